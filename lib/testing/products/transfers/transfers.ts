import type { TransferBill } from '../../../core/products/transfers/transfers.types.js';
import { findOrThrow } from '../../find-or-throw.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import type { V3Route } from '../../v3/answers.js';
import type { SimulatorContext, SimulatorProduct } from '../product.js';
import { transferNotification } from './notifications.js';
import { type SimulatedTransfer, TransferBook, transferJson } from './transfer-book.js';
import { transfersV3Routes } from './v3-routes.js';

/** How long WeChat Pay waits for the user to confirm a transfer. */
const EXPIRE_AFTER_MS = 24 * 3_600_000;

/**
 * 商家转账: transfers wait in WAIT_USER_CONFIRM until the test confirms them as the user
 * (`confirm`), cancels them (CANCELING → CANCELLED) or lets them expire (`expire`, or after
 * `transfers.expireAfterMs`); every final state is notified (`MCHTRANSFER.BILL.FINISHED`).
 */
export class TransfersProduct implements SimulatorProduct {
  readonly transfers = new TransferBook();
  readonly v3Routes: V3Route[];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly context: SimulatorContext) {
    this.v3Routes = transfersV3Routes(this.transfers, context.platformKeys, {
      cancel: (transfer) => this.cancel(transfer),
    });
    const { expireAfterMs = EXPIRE_AFTER_MS, acceptedForMs } = context.options.transfers ?? {};
    this.transfers.onAdded = (transfer) => {
      if (acceptedForMs !== undefined) {
        // Accepted, the funds not locked yet: the user can confirm only later.
        transfer.state = 'ACCEPTED';
        this.later(acceptedForMs, () => {
          if (transfer.state !== 'ACCEPTED') return;
          transfer.state = 'WAIT_USER_CONFIRM';
          transfer.updatedAt = new Date();
        });
      }
      this.later(expireAfterMs, () => {
        if (transfer.state === 'WAIT_USER_CONFIRM' || transfer.state === 'ACCEPTED')
          this.finish(transfer, 'CANCELLED', 'OVERDUE_CLOSE');
      });
    };
  }

  /** Any transfer with this number, or an error that names it. */
  transfer(outBillNo: string): SimulatedTransfer {
    return findOrThrow(
      this.transfers.findAny(outBillNo),
      () => new Error(`simulator: no transfer ${outBillNo}`),
    );
  }

  /** The user confirms in WeChat: WAIT_USER_CONFIRM → TRANSFERING → SUCCESS, notified. */
  confirm(outBillNo: string): TransferBill {
    const transfer = this.waiting(outBillNo, 'confirm');
    transfer.state = 'TRANSFERING';
    return this.finish(transfer, 'SUCCESS');
  }

  /** The user never confirmed: WAIT_USER_CONFIRM → CANCELLED (`OVERDUE_CLOSE`), notified. */
  expire(outBillNo: string): TransferBill {
    return this.finish(this.waiting(outBillNo, 'expire'), 'CANCELLED', 'OVERDUE_CLOSE');
  }

  /** The transfer's `MCHTRANSFER.BILL.FINISHED` notification. */
  notification(transfer: SimulatedTransfer, tamper?: NotificationTamper): OutgoingNotification {
    const { notifyUrl } = transfer;
    if (!notifyUrl) throw new Error(`simulator: transfer ${transfer.outBillNo} has no notify_url`);
    return transferNotification(this.context.notifications, transfer, notifyUrl, tamper);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** 撤销: CANCELING now, CANCELLED (and notified) once the money is back, just after. */
  private cancel(transfer: SimulatedTransfer): void {
    transfer.state = 'CANCELING';
    transfer.updatedAt = new Date();
    this.later(0, () => this.finish(transfer, 'CANCELLED', 'MERCHANT_REVOCATION'));
  }

  private waiting(outBillNo: string, what: string): SimulatedTransfer {
    const transfer = this.transfer(outBillNo);
    if (transfer.state !== 'WAIT_USER_CONFIRM') {
      throw new Error(
        `simulator: cannot ${what} transfer ${outBillNo}: it is ${transfer.state}, not WAIT_USER_CONFIRM`,
      );
    }
    return transfer;
  }

  private finish(
    transfer: SimulatedTransfer,
    state: 'SUCCESS' | 'FAIL' | 'CANCELLED',
    failReason?: string,
  ): TransferBill {
    transfer.state = state;
    transfer.failReason = failReason;
    transfer.updatedAt = new Date();
    if (transfer.notifyUrl) this.context.notifications.send(() => this.notification(transfer));
    return transferJson(transfer);
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
