import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { TILL_SCHEDULE, type TillOptions, type TillOutcome } from 'nestjs-wechatpay';
import { MerchantClients } from '../payments/merchant-clients.js';
import type { Order } from '../orders/order.repository.js';
import { OrderRepository } from '../orders/order.repository.js';
import { OrdersService } from '../orders/orders.service.js';
import { WECHATPAY_SIMULATOR } from '../simulator/simulator.token.js';

/** What the till shows the cashier after a scan. */
export interface TillResult {
  order: Order;
  /** paid, failed (show `message` to the payer), reversed, or unknown (call a supervisor). */
  status: TillOutcome<unknown>['status'];
  code?: string;
  message?: string;
}

/**
 * The till: rings up a catalogue product as an order and charges the scanned payment code
 * with `payAtTill`, which waits for the payer's password, queries, and reverses when the payer
 * gives up. Paid orders become PAID (refundable like any other), failed and reversed ones
 * CLOSED; an order whose outcome is unknown stays CREATED with an anomaly for staff.
 */
@Injectable()
export class TillService {
  private readonly logger = new Logger('Till');
  private readonly schedule: TillOptions;

  constructor(
    private readonly orders: OrdersService,
    private readonly repository: OrderRepository,
    private readonly merchants: MerchantClients,
    @Optional() @Inject(WECHATPAY_SIMULATOR) simulator?: object,
  ) {
    // The guide's schedule (up to 45 s per payer); against the simulator thirty times faster, so
    // the simulated password (150 ms) comes well before the deadline (1.5 s) on a busy machine.
    this.schedule = simulator ? scaled(1 / 30) : {};
  }

  async charge(productId: string, authCode: string, api: 'v3' | 'v2', deviceIp: string) {
    const order = await this.orders.create(productId, api);
    const wechatPay = this.merchants.for(order.merchant);
    const outcome =
      api === 'v2'
        ? await wechatPay.v2.codePayments.payAtTill(
            {
              body: order.product,
              out_trade_no: order.id,
              total_fee: order.total,
              spbill_create_ip: deviceIp,
              auth_code: authCode,
            },
            this.schedule,
          )
        : await wechatPay.codePayments.payAtTill(
            {
              description: order.product,
              out_trade_no: order.id,
              amount: { total: order.total },
              payer: { auth_code: authCode },
              scene_info: { device_ip: deviceIp },
            },
            this.schedule,
          );
    return this.record(order, outcome);
  }

  private async record(order: Order, outcome: TillOutcome<unknown>): Promise<TillResult> {
    switch (outcome.status) {
      case 'paid': {
        const transaction = outcome.transaction as { transaction_id?: string };
        await this.repository.transition(order.id, 'CREATED', 'PAID', {
          transactionId: transaction.transaction_id,
        });
        break;
      }
      case 'failed':
      case 'reversed':
        await this.repository.transition(order.id, 'CREATED', 'CLOSED');
        break;
      case 'unknown':
        this.logger.error(`till order ${order.id}: ${outcome.message}`);
        await this.repository.flag(order.id, outcome.message);
    }
    return {
      order: await this.orders.get(order.id),
      status: outcome.status,
      ...('code' in outcome ? { code: outcome.code } : {}),
      ...('message' in outcome ? { message: outcome.message } : {}),
    };
  }
}

function scaled(factor: number): TillOptions {
  const { reverseAttempts, ...times } = TILL_SCHEDULE;
  return {
    reverseAttempts,
    ...Object.fromEntries(Object.entries(times).map(([key, ms]) => [key, Math.round(ms * factor)])),
  };
}
