import { randomUUID } from 'node:crypto';
import type { SimulatorNotifications } from '../../notifications/notifications.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import { chinaTime } from '../../time.js';
import type { SimulatedTransfer } from './transfer-book.js';

/** A final transfer's `MCHTRANSFER.BILL.FINISHED` notification, to its `notify_url`. */
export function transferNotification(
  notifications: SimulatorNotifications,
  transfer: SimulatedTransfer,
  url: string,
  tamper: NotificationTamper = {},
): OutgoingNotification {
  transfer.notificationId ??= randomUUID();
  return notifications.v3({
    id: transfer.notificationId,
    eventType: 'MCHTRANSFER.BILL.FINISHED',
    summary: '商家转账单据终态通知',
    originalType: 'mch_payment',
    payload: {
      mch_id: transfer.mchid,
      ...(transfer.subMchid ? { sub_mchid: transfer.subMchid } : {}),
      out_bill_no: transfer.outBillNo,
      transfer_bill_no: transfer.transferBillNo,
      state: transfer.state,
      transfer_amount: transfer.amount,
      openid: transfer.openid,
      ...(transfer.failReason ? { fail_reason: transfer.failReason } : {}),
      create_time: chinaTime(transfer.createdAt),
      update_time: chinaTime(transfer.updatedAt),
    },
    url,
    mchid: transfer.mchid,
    tamper,
  });
}
