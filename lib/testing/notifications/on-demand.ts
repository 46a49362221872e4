import type { SimulatorProducts } from '../products/index.js';
import type { NotificationTamper } from '../tampering.js';
import type { NotificationDelivery, SimulatorNotifier } from './notifier.js';

/**
 * Notifications a test asks for now, outside the automatic schedule: the same event as the
 * automatic one (same id), optionally spoiled or sent in several copies, never redelivered.
 */
export class OnDemandNotifications {
  constructor(
    private readonly products: SimulatorProducts,
    private readonly notifier: SimulatorNotifier,
  ) {}

  /** An order's `TRANSACTION.SUCCESS`. */
  transaction(outTradeNo: string, tamper: NotificationTamper): Promise<NotificationDelivery[]> {
    const { payments } = this.products;
    const notification = payments.notification(payments.order(outTradeNo), tamper);
    return this.notifier.deliverNow(notification, tamper.copies);
  }

  /** An order's `TRANSACTION.SUCCESS`, signed and encrypted but not sent; `id` replaces its id. */
  signedTransaction(
    outTradeNo: string,
    options: NotificationTamper & { id?: string },
  ): { url: string; body: string; headers: Record<string, string> } {
    const { payments } = this.products;
    const notification = payments.notification(payments.order(outTradeNo), options, options.id);
    return { url: notification.url, ...notification.build() };
  }

  /** A combine order's `TRANSACTION.SUCCESS`. */
  combine(combineOutTradeNo: string, tamper: NotificationTamper): Promise<NotificationDelivery[]> {
    const { combine } = this.products;
    const notification = combine.notification(combine.combine(combineOutTradeNo), tamper);
    return this.notifier.deliverNow(notification, tamper.copies);
  }

  /** A refund's `REFUND.*`. */
  refund(outRefundNo: string, tamper: NotificationTamper): Promise<NotificationDelivery[]> {
    const { refunds } = this.products;
    const notification = refunds.notification(refunds.refund(outRefundNo), tamper);
    return this.notifier.deliverNow(notification, tamper.copies);
  }

  /** A transfer's `MCHTRANSFER.BILL.FINISHED`. */
  transfer(outBillNo: string, tamper: NotificationTamper): Promise<NotificationDelivery[]> {
    const { transfers } = this.products;
    const notification = transfers.notification(transfers.transfer(outBillNo), tamper);
    return this.notifier.deliverNow(notification, tamper.copies);
  }

  /** A receiver's `PROFITSHARING.SUCCESS` of a split. */
  profitSharing(
    outOrderNo: string,
    account: string,
    tamper: NotificationTamper,
  ): Promise<NotificationDelivery[]> {
    const notification = this.products.profitSharing.notification(outOrderNo, account, tamper);
    return this.notifier.deliverNow(notification, tamper.copies);
  }

  /** One of a complaint's `COMPLAINT.*` (`index`, oldest first), `copies` times. */
  complaint(
    complaintId: string,
    options: { index?: number; copies?: number },
  ): Promise<NotificationDelivery[]> {
    const notification = this.products.complaints.notificationsOf(complaintId)[options.index ?? 0];
    if (!notification)
      throw new Error(`simulator: complaint ${complaintId} sent no such notification`);
    return this.notifier.deliverNow(notification, options.copies);
  }
}
