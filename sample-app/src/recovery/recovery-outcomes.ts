import { Injectable, Logger } from '@nestjs/common';
import { type RecoveryOutcome, WechatRecoveryOutcome } from 'nestjs-wechatpay';
import { OrderRepository } from '../orders/order.repository.js';

/**
 * How the library's missed-notification recovery (WECHATPAY_RECOVERY) ended for an order of the
 * default merchant. A payment it found already went through the payment handler
 * (NotificationsController.paid): only the endings without a payment land here.
 */
@Injectable()
export class RecoveryOutcomes {
  private readonly logger = new Logger('Recovery');

  constructor(private readonly orders: OrderRepository) {}

  @WechatRecoveryOutcome()
  async ended(outcome: RecoveryOutcome): Promise<void> {
    const id = outcome.order.outTradeNo;
    switch (outcome.type) {
      case 'CLOSED':
      case 'REVOKED':
        // Closed at WeChat Pay when it expired unpaid: it can no longer be paid here either.
        if (await this.orders.transition(id, 'CREATED', 'CLOSED')) {
          this.logger.log(`order ${id} expired unpaid: CLOSED`);
        }
        return;
      case 'NEEDS_ATTENTION':
        if (outcome.order.kind === 'refund') {
          this.logger.error(
            `refund ${outcome.order.outRefundNo} needs a person: ${outcome.reason}`,
          );
          return;
        }
        await this.orders.flag(id, `payment unknown after recovery: ${outcome.reason}`);
        this.logger.error(`order ${id} needs a person: ${outcome.reason}`);
        return;
      case 'PAID':
        // markPaid moved a CLOSED order back to PAID and logged it: ship it or refund it.
        if (outcome.paidAtClose) this.logger.warn(`order ${id} was paid as it was being closed`);
        return;
    }
  }
}
