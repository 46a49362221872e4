import { randomUUID } from 'node:crypto';
import type { SimulatorNotifications } from '../../notifications/notifications.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import { chinaTime } from '../../time.js';
import type { SimulatedReturn, SimulatedSplit, SimulatedSplitPart } from './profit-sharing-book.js';

/**
 * A 分账动账通知 to a merchant receiver: `PROFITSHARING.SUCCESS` for its part of a split,
 * `PROFITSHARING.RETURN` for a return from it, encrypted with the receiver's APIv3 key and sent
 * to the URL it configured (WeChat Pay notifies receivers only).
 */
export function profitSharingNotification(
  notifications: SimulatorNotifications,
  url: string,
  event:
    | { kind: 'split'; split: SimulatedSplit; part: SimulatedSplitPart }
    | { kind: 'return'; record: SimulatedReturn },
  tamper: NotificationTamper = {},
): OutgoingNotification {
  const split = event.kind === 'split' ? event.split : event.record.split;
  const part = event.kind === 'split' ? event.part : event.record.part;
  const holder = event.kind === 'split' ? event.part : event.record;
  holder.notificationId ??= randomUUID();
  const { order } = split;
  const returned = event.kind === 'return' ? event.record : undefined;
  return notifications.v3({
    id: holder.notificationId,
    eventType: returned ? 'PROFITSHARING.RETURN' : 'PROFITSHARING.SUCCESS',
    summary: returned ? '分账回退' : '分账',
    originalType: 'profitsharing',
    payload: {
      ...(order.subMchid
        ? { sp_mchid: order.mchid, sub_mchid: order.subMchid }
        : { mchid: order.mchid }),
      transaction_id: order.transactionId,
      order_id: returned ? returned.returnId : split.orderId,
      out_order_no: returned ? returned.outReturnNo : split.outOrderNo,
      receiver: {
        type: part.type,
        account: part.account,
        amount: returned ? returned.amount : part.amount,
        description: returned ? returned.description : part.description,
      },
      success_time: chinaTime(returned ? returned.createdAt : (part.finishedAt ?? new Date())),
    },
    url,
    mchid: part.account,
    tamper,
  });
}
