import { randomUUID } from 'node:crypto';
import { encryptV2RefundInfo } from '../../../core/crypto/v2-refund-info.js';
import { buildV2Xml } from '../../../core/v2/xml.js';
import type { SimulatorMerchants } from '../../merchants.js';
import type { SimulatorNotifications } from '../../notifications/notifications.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import { chinaDateTime, chinaTime } from '../../time.js';
import { receivedBy, type SimulatedRefund } from './refund-book.js';
import { V2_REFUND_STATUS } from './v2-routes.js';

const SUMMARY = { SUCCESS: '退款成功', CLOSED: '退款关闭', ABNORMAL: '退款异常' } as const;

/**
 * A refund's `REFUND.*` notification in the API version its order was placed with (a refund
 * still PROCESSING is announced as SUCCESS), to the refund's `notify_url` or else the order's.
 */
export function refundNotification(
  notifications: SimulatorNotifications,
  merchants: SimulatorMerchants,
  refund: SimulatedRefund,
  tamper: NotificationTamper = {},
): OutgoingNotification {
  refund.notificationId ??= randomUUID();
  const { order } = refund;
  const status = refund.status === 'PROCESSING' ? 'SUCCESS' : refund.status;
  const url = refund.notifyUrl ?? order.notifyUrl;
  if (order.apiVersion === 'v2') {
    const root = buildV2Xml({
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      refund_id: refund.refundId,
      out_refund_no: refund.outRefundNo,
      total_fee: String(order.total),
      refund_fee: String(refund.refund),
      settlement_refund_fee: String(refund.refund),
      refund_status: V2_REFUND_STATUS[status],
      success_time: refund.successTime ? chinaDateTime(refund.successTime) : undefined,
      refund_recv_accout: '支付用户零钱',
      refund_account: 'REFUND_SOURCE_UNSETTLED_FUNDS',
      refund_request_source: 'API',
    })
      .replace(/^<xml>/, '<root>')
      .replace(/<\/xml>$/, '</root>');
    const { apiKey } = merchants.getOrDefault(order.mchid);
    return notifications.v2({
      id: refund.notificationId,
      eventType: `REFUND.${status}`,
      url,
      appid: order.appid,
      mchid: order.mchid,
      subMchid: order.subMchid,
      signType: order.v2SignType ?? 'MD5',
      sandbox: order.v2Sandbox ?? false,
      fields: { return_code: 'SUCCESS', req_info: encryptV2RefundInfo(root, apiKey) },
      // The refund message is encrypted with the API key instead of signed.
      signed: false,
      tamper,
    });
  }
  return notifications.v3({
    id: refund.notificationId,
    eventType: `REFUND.${status}`,
    summary: SUMMARY[status],
    originalType: 'refund',
    payload: {
      ...(order.subMchid
        ? { sp_mchid: order.mchid, sub_mchid: order.subMchid }
        : { mchid: order.mchid }),
      out_trade_no: order.outTradeNo,
      transaction_id: order.transactionId,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_status: status,
      ...(refund.successTime ? { success_time: chinaTime(refund.successTime) } : {}),
      user_received_account: receivedBy(refund.abnormalRefund).user_received_account,
      amount: {
        total: order.total,
        refund: refund.refund,
        payer_total: order.total,
        payer_refund: refund.refund,
      },
    },
    url,
    mchid: order.mchid,
    tamper,
  });
}
