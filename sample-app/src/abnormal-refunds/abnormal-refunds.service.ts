import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { WechatPayError } from 'nestjs-wechatpay';
import { type Order, OrderRepository } from '../orders/order.repository.js';
import { MerchantClients } from '../payments/merchant-clients.js';
import type { ApplyAbnormalRefundDto } from './abnormal-refund.dto.js';

/**
 * 异常退款: a refund WeChat Pay could not return the way it was paid (the payer's card was
 * cancelled…) leaves the order REFUND_ABNORMAL. Staff send it to the payer's debit card or to
 * the merchant's bank account; the order is REFUNDING again and the refund notification that
 * follows settles it as any refund (REFUNDED, or REFUND_ABNORMAL once more).
 */
@Injectable()
export class AbnormalRefundsService {
  private readonly logger = new Logger('AbnormalRefunds');

  constructor(
    private readonly repository: OrderRepository,
    private readonly merchants: MerchantClients,
  ) {}

  async apply(id: string, destination: ApplyAbnormalRefundDto): Promise<Order> {
    const order = await this.repository.find(id);
    if (!order) throw new NotFoundException(`no order ${id}`);
    if (order.status !== 'REFUND_ABNORMAL') {
      throw new ConflictException(`order ${id} is ${order.status}, not REFUND_ABNORMAL`);
    }
    if (order.api !== 'v3') {
      throw new BadRequestException(
        'abnormal refunds are an API v3 operation: settle this API v2 refund in the merchant platform',
      );
    }
    const refundNo = order.refundNo!;
    const wechatPay = this.merchants.for(order.merchant);
    // The API names the refund by WeChat Pay's refund_id, which the query gives.
    const { refund_id } = await wechatPay.refunds.query(refundNo);
    // REFUNDING before the call: the refund notification may arrive before the call returns.
    if (!(await this.repository.transition(id, 'REFUND_ABNORMAL', 'REFUNDING', {}, { refundNo }))) {
      throw new ConflictException(`order ${id} changed while applying the abnormal refund`);
    }
    try {
      await wechatPay.refunds.applyAbnormalRefund(refund_id, {
        out_refund_no: refundNo,
        type: destination.type,
        ...(destination.type === 'USER_BANK_CARD'
          ? {
              bank_type: destination.bankType,
              // Plain text here: the library encrypts both for WeChat Pay.
              bank_account: destination.bankAccount,
              real_name: destination.realName,
            }
          : {}),
      });
    } catch (error) {
      // Refused: still abnormal, for staff to try again. Unclear: wait for the notification.
      if (!(error instanceof WechatPayError && error.mayHaveTakenEffect)) {
        await this.repository.transition(id, 'REFUNDING', 'REFUND_ABNORMAL', {}, { refundNo });
      }
      throw error;
    }
    this.logger.log(`order ${id}: abnormal refund ${refundNo} sent to ${destination.type}`);
    return (await this.repository.find(id))!;
  }
}
