import type { Transaction } from '../../../core/products/payments/payments.types.js';
import { findOrThrow } from '../../find-or-throw.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import type { SimulatorContext, SimulatorProduct } from '../product.js';
import { transactionNotification } from './notifications.js';
import { OrderBook, type SimulatedOrder } from './orders.js';
import { transactionJson } from './transaction.js';
import { paymentsV2Routes } from './v2-routes.js';
import { paymentsV3Routes } from './v3-routes.js';

/** Payments (orders): prepay, query, close and their notifications, in API v3 and v2. */
export class PaymentsProduct implements SimulatorProduct {
  readonly orders = new OrderBook();
  readonly v3Routes = paymentsV3Routes(this.orders);
  readonly v2Routes = paymentsV2Routes(this.orders);

  constructor(private readonly context: SimulatorContext) {}

  /** Any order with this number, or an error that names it. */
  order(outTradeNo: string): SimulatedOrder {
    return findOrThrow(
      this.orders.findAny(outTradeNo),
      () => new Error(`simulator: no order ${outTradeNo}`),
    );
  }

  /** The payer pays: NOTPAY → SUCCESS, and the notification goes out. */
  pay(outTradeNo: string, payer: { openid?: string }): Transaction {
    const order = this.order(outTradeNo);
    if (order.state !== 'NOTPAY')
      throw new Error(`simulator: order ${outTradeNo} is ${order.state}, not NOTPAY`);
    order.state = 'SUCCESS';
    order.successTime = new Date();
    order.payer ??= order.subMchid
      ? { sp_openid: payer.openid ?? 'oSimulatorPayerOpenid000000' }
      : { openid: payer.openid ?? 'oSimulatorPayerOpenid000000' };
    this.context.notifications.send(() => this.notification(order), order.outTradeNo);
    return transactionJson(order);
  }

  /**
   * Runs `hook` when the next close request for this order arrives, before the order is looked
   * at: e.g. the payer pays between the merchant's last query and its close.
   */
  onNextClose(outTradeNo: string, hook: () => void): void {
    this.orders.onNextClose(outTradeNo, hook);
  }

  /** The order's `TRANSACTION.SUCCESS` notification. */
  notification(
    order: SimulatedOrder,
    tamper?: NotificationTamper,
    id?: string,
  ): OutgoingNotification {
    return transactionNotification(this.context.notifications, order, tamper, id);
  }
}
