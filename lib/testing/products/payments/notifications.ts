import { randomUUID } from 'node:crypto';
import type { SimulatorNotifications } from '../../notifications/notifications.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import type { SimulatedOrder } from './orders.js';
import { transactionJson, v2OrderFields } from './transaction.js';

/**
 * An order's `TRANSACTION.SUCCESS` notification in the API version it was placed with, under
 * the same event id on every delivery unless `id` replaces it.
 */
export function transactionNotification(
  notifications: SimulatorNotifications,
  order: SimulatedOrder,
  tamper: NotificationTamper = {},
  id?: string,
): OutgoingNotification {
  order.notificationId ??= randomUUID();
  const eventType = 'TRANSACTION.SUCCESS';
  if (order.apiVersion === 'v2') {
    return notifications.v2({
      id: id ?? order.notificationId,
      eventType,
      url: order.notifyUrl,
      appid: order.appid,
      mchid: order.mchid,
      subMchid: order.subMchid,
      signType: order.v2SignType ?? 'MD5',
      sandbox: order.v2Sandbox ?? false,
      fields: {
        result_code: 'SUCCESS',
        return_code: 'SUCCESS',
        ...v2OrderFields(order),
        trade_state: undefined,
        trade_state_desc: undefined,
      },
      signed: true,
      tamper,
    });
  }
  return notifications.v3({
    id: id ?? order.notificationId,
    eventType,
    summary: '支付成功',
    originalType: 'transaction',
    payload: transactionJson(order),
    url: order.notifyUrl,
    mchid: order.mchid,
    tamper,
  });
}
