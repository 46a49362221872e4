import type { Refund, RefundStatus } from '../../../core/products/refunds/refunds.types.js';
import { findOrThrow } from '../../find-or-throw.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import type { V3Route } from '../../v3/answers.js';
import type { V2Route } from '../../v2/route.js';
import type { OrderBook } from '../payments/orders.js';
import type { SimulatorContext, SimulatorProduct } from '../product.js';
import { abnormalRefundRoute } from './abnormal-refund.js';
import { refundNotification } from './notifications.js';
import { RefundBook, refundJson, type SimulatedRefund } from './refund-book.js';
import { refundsV2Routes } from './v2-routes.js';
import { refundsV3Routes } from './v3-routes.js';

/**
 * Refunds of paid orders, in API v3 and v2: accepted as PROCESSING, settled by a test
 * (`completeRefund`) or after `refunds.settleAfterMs`, then notified.
 */
export class RefundsProduct implements SimulatorProduct {
  readonly refunds = new RefundBook();
  readonly v3Routes: V3Route[];
  readonly v2Routes: Record<string, V2Route>;
  private readonly settleTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly context: SimulatorContext,
    orders: OrderBook,
  ) {
    const settleAfterMs = context.options.refunds?.settleAfterMs;
    // An abnormal refund re-sent elsewhere is PROCESSING again and settles like a new one.
    const settle = (refund: SimulatedRefund) => {
      if (settleAfterMs !== undefined) this.settleLater(refund, settleAfterMs);
    };
    this.v3Routes = [
      ...refundsV3Routes(orders, this.refunds),
      abnormalRefundRoute(this.refunds, context.platformKeys, settle),
    ];
    this.v2Routes = refundsV2Routes(orders, this.refunds);
    if (settleAfterMs !== undefined) this.refunds.onAdded = settle;
  }

  /** Any refund with this number, or an error that names it. */
  refund(outRefundNo: string): SimulatedRefund {
    return findOrThrow(
      this.refunds.findAny(outRefundNo),
      () => new Error(`simulator: no refund ${outRefundNo}`),
    );
  }

  /** PROCESSING → `status`, and the notification goes out. */
  complete(outRefundNo: string, status: Exclude<RefundStatus, 'PROCESSING'>): Refund {
    const refund = this.refund(outRefundNo);
    if (refund.status !== 'PROCESSING') {
      throw new Error(`simulator: refund ${outRefundNo} is already ${refund.status}`);
    }
    refund.status = status;
    if (status === 'SUCCESS') refund.successTime = new Date();
    // A closed refund gives the amount back to the refundable balance, as WeChat Pay does.
    if (status === 'CLOSED') refund.order.refunded -= refund.refund;
    this.context.notifications.send(() => this.notification(refund));
    return refundJson(refund);
  }

  /** The refund's `REFUND.*` notification. */
  notification(refund: SimulatedRefund, tamper?: NotificationTamper): OutgoingNotification {
    return refundNotification(this.context.notifications, this.context.merchants, refund, tamper);
  }

  stop(): void {
    for (const timer of this.settleTimers) clearTimeout(timer);
    this.settleTimers.clear();
  }

  private settleLater(refund: SimulatedRefund, afterMs: number): void {
    const timer = setTimeout(() => {
      this.settleTimers.delete(timer);
      if (refund.status === 'PROCESSING') this.complete(refund.outRefundNo, 'SUCCESS');
    }, afterMs);
    timer.unref();
    this.settleTimers.add(timer);
  }
}
