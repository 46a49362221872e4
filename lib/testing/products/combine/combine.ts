import type { CombineTransaction } from '../../../core/products/combine/combine.types.js';
import { findOrThrow } from '../../find-or-throw.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import type { OrderBook } from '../payments/orders.js';
import type { SimulatorContext, SimulatorProduct } from '../product.js';
import { CombineBook, combineJson, type SimulatedCombineOrder } from './combine-book.js';
import { combineNotification } from './notifications.js';
import { combineV3Routes } from './v3-routes.js';

/**
 * Combine payments (合单支付): one payment for several sub-orders, each an ordinary order of the
 * payments product (so refunds work on it), paid together by `pay` and announced by one
 * `TRANSACTION.SUCCESS` notification carrying every sub-order.
 */
export class CombineProduct implements SimulatorProduct {
  readonly combines = new CombineBook();
  readonly v3Routes;

  constructor(
    private readonly context: SimulatorContext,
    orders: OrderBook,
  ) {
    this.v3Routes = combineV3Routes(orders, this.combines);
  }

  /** Any combine order with this number, or an error that names it. */
  combine(combineOutTradeNo: string): SimulatedCombineOrder {
    return findOrThrow(
      this.combines.findAny(combineOutTradeNo),
      () => new Error(`simulator: no combine order ${combineOutTradeNo}`),
    );
  }

  /**
   * The payer pays the whole combine order with one password: every sub-order NOTPAY → SUCCESS,
   * and one notification goes out for all of them.
   */
  pay(combineOutTradeNo: string, payer: { openid?: string }): CombineTransaction {
    const combine = this.combine(combineOutTradeNo);
    const unpaid = combine.subOrders.find((order) => order.state !== 'NOTPAY');
    if (combine.closed || unpaid) {
      throw new Error(
        `simulator: combine order ${combineOutTradeNo} cannot be paid: ${combine.closed ? 'it is closed' : `sub-order ${unpaid!.outTradeNo} is ${unpaid!.state}`}`,
      );
    }
    const now = new Date();
    const openid = payer.openid ?? combine.payer?.openid ?? 'oSimulatorPayerOpenid000000';
    combine.payer = { ...combine.payer, openid };
    for (const order of combine.subOrders) {
      order.state = 'SUCCESS';
      order.successTime = now;
      order.payer ??= { openid };
    }
    // `dropNotifications({ outTradeNo })` names the combine order by its combine number.
    this.context.notifications.send(() => this.notification(combine), combineOutTradeNo);
    return combineJson(combine);
  }

  /** The combine order's `TRANSACTION.SUCCESS` notification. */
  notification(combine: SimulatedCombineOrder, tamper?: NotificationTamper): OutgoingNotification {
    return combineNotification(this.context.notifications, combine, tamper);
  }
}
