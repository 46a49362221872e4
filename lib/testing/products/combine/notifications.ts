import { randomUUID } from 'node:crypto';
import type { SimulatorNotifications } from '../../notifications/notifications.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import { combineJson, type SimulatedCombineOrder } from './combine-book.js';

/**
 * A combine order's one `TRANSACTION.SUCCESS` notification, carrying every sub-order, to its
 * `notify_url`, encrypted with the APIv3 key of the merchant that placed it (`combine_mchid`).
 */
export function combineNotification(
  notifications: SimulatorNotifications,
  combine: SimulatedCombineOrder,
  tamper: NotificationTamper = {},
): OutgoingNotification {
  combine.notificationId ??= randomUUID();
  return notifications.v3({
    id: combine.notificationId,
    eventType: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    originalType: 'transaction',
    payload: combineJson(combine),
    url: combine.notifyUrl,
    mchid: combine.combineMchid,
    tamper,
  });
}
