import { decryptV2RefundInfo } from '../crypto/v2-refund-info.js';
import { verifyV2 } from '../crypto/v2-sign.js';
import { WechatPayNotificationError, WechatPaySignatureError } from '../errors.js';
import { acceptedAppids, assertNotificationAppid } from '../merchant/merchant-identity.js';
import { parseV2Xml, type V2Fields } from '../v2/xml.js';
import type { NotificationEnvelope, VerifiedNotification } from './notification.types.js';

/** What a v2 notification is checked against. */
export interface V2NotificationContext {
  /** The key v2 signatures use (the sandbox sign key in sandbox mode). */
  signingKey: string;
  /** The API v2 key: `req_info` is always encrypted with it. */
  apiKey: string;
  mchid: string;
  /** The merchant's default AppID (the service provider's in partner mode). */
  appid: string | undefined;
  /**
   * The merchant's other AppIDs: `appid` must be `appid` or one of these. With neither, the
   * AppID is not checked.
   * @default []
   */
  appids?: readonly string[];
}

/** The decrypted `req_info` of a v2 refund notification, with the outer fields. */
export type V2RefundNotification = V2Fields & {
  out_refund_no: string;
  refund_id: string;
  refund_status: 'SUCCESS' | 'CHANGE' | 'REFUNDCLOSE';
  refund_fee: string;
  total_fee: string;
};

/** A v2 payment result notification. */
export type V2PaymentNotification = V2Fields & {
  out_trade_no: string;
  transaction_id: string;
  total_fee: string;
  result_code: string;
};

const REFUND_EVENTS: Record<string, string> = {
  SUCCESS: 'REFUND.SUCCESS',
  CHANGE: 'REFUND.ABNORMAL',
  REFUNDCLOSE: 'REFUND.CLOSED',
};

/**
 * Checks an API v2 payment or refund notification from its raw XML: entities refused,
 * `return_code` SUCCESS, the merchant ours, then a payment's `sign` verified in constant time,
 * or a refund's `req_info` decrypted (AES-256-ECB with the API key), and then the AppID one the
 * merchant declared (`appid` or `appids`; `sub_appid` is the sub-merchant's and not checked).
 *
 * Event types follow API v3's names so one `events` filter serves both: `TRANSACTION.SUCCESS`
 * (or `TRANSACTION.FAIL`), `REFUND.SUCCESS`, `REFUND.ABNORMAL`, `REFUND.CLOSED`.
 */
export function verifyV2Notification(
  rawBody: Buffer,
  context: V2NotificationContext,
): VerifiedNotification {
  const fields = parseV2Xml(rawBody.toString('utf8'));
  if (fields.return_code !== 'SUCCESS') {
    throw new WechatPayNotificationError(
      `return_code is ${fields.return_code ?? 'missing'}: ${fields.return_msg ?? ''}`.trim(),
    );
  }
  if (fields.mch_id !== context.mchid) {
    throw new WechatPayNotificationError(
      `the notification is for merchant ${fields.mch_id ?? '(none)'}, not ${context.mchid}: check that its notify_url routes to the right registration`,
    );
  }
  // Checked once the message is known to come from WeChat Pay, so only WeChat Pay is told
  // which AppIDs the merchant has.
  const checkAppid = () =>
    assertNotificationAppid(fields.appid, 'appid', acceptedAppids(context.appid, context.appids));
  if (fields.req_info !== undefined) {
    // Refund results carry no sign: the encryption with the API key authenticates them.
    const { req_info: reqInfo, ...outer } = fields;
    const refund = {
      ...outer,
      ...parseV2Xml(decryptV2RefundInfo(reqInfo, context.apiKey)),
    } as V2RefundNotification;
    checkAppid();
    if (!refund.out_refund_no || !refund.refund_status) {
      throw new WechatPayNotificationError('req_info lacks out_refund_no or refund_status');
    }
    const envelope = envelopeOf(
      `refund:${refund.out_refund_no}:${refund.refund_status}`,
      REFUND_EVENTS[refund.refund_status] ?? `REFUND.${refund.refund_status}`,
      refund.success_time ?? '',
    );
    return { version: 'v2', id: envelope.id, envelope, payload: refund };
  }
  if (!fields.sign || !verifyV2(fields, context.signingKey)) {
    throw new WechatPaySignatureError(
      'the notification sign does not verify: it was altered, or apiKey is not this merchant’s API v2 key',
    );
  }
  checkAppid();
  if (!fields.out_trade_no)
    throw new WechatPayNotificationError('the notification lacks out_trade_no');
  const envelope = envelopeOf(
    `pay:${fields.transaction_id ?? fields.out_trade_no}`,
    fields.result_code === 'SUCCESS' ? 'TRANSACTION.SUCCESS' : 'TRANSACTION.FAIL',
    fields.time_end ?? '',
  );
  return { version: 'v2', id: envelope.id, envelope, payload: fields };
}

function envelopeOf(id: string, eventType: string, time: string): NotificationEnvelope {
  return { id, create_time: time, event_type: eventType, resource_type: 'xml', summary: '' };
}
