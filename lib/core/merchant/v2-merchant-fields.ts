import type { MerchantIdentity } from './merchant-identity.js';

type IdentityFields = Partial<Record<'appid' | 'sub_mch_id' | 'sub_appid', string>>;

/**
 * How API v2 names the merchant in requests: `appid`, and in partner mode `sub_mch_id` /
 * `sub_appid`, filled from the options unless given (`mch_id` is added when signing). An order
 * needs an AppID; a given one must be one of the merchant's.
 * @param options.order the request places an order, so an AppID is required
 * @throws WechatPayValidationError when a required field is missing or an AppID is not declared
 */
export function v2MerchantFields(
  merchant: MerchantIdentity,
  params: Record<string, unknown>,
  what: string,
  { order = false } = {},
): Record<string, unknown> {
  const { appid, sub_mch_id, sub_appid, ...rest } = params as Record<string, unknown> &
    IdentityFields;
  const result: Record<string, unknown> = {
    ...rest,
    appid: order ? merchant.orderAppid(appid, what) : merchant.requestAppid(appid, what),
  };
  if (merchant.partner) {
    result.sub_mch_id = merchant.subMchid(sub_mch_id, what, 'sub_mch_id');
    result.sub_appid = merchant.subAppid(sub_appid);
  }
  return result;
}

/** An order that WeChat Pay notifies about (unifiedorder): the identity plus a `notify_url`. */
export function v2OrderFields(
  merchant: MerchantIdentity,
  order: Record<string, unknown> & { notify_url?: string },
  what: string,
): Record<string, unknown> {
  const notifyUrl = merchant.notifyUrl(order.notify_url, what);
  return { ...v2MerchantFields(merchant, order, what, { order: true }), notify_url: notifyUrl };
}

/** A refund: the identity plus `notify_url`, defaulting to `refundNotifyUrl`. */
export function v2RefundFields(
  merchant: MerchantIdentity,
  refund: Record<string, unknown> & { notify_url?: string },
  what: string,
): Record<string, unknown> {
  const notifyUrl = merchant.refundNotifyUrl(refund.notify_url);
  return {
    ...v2MerchantFields(merchant, refund, what),
    ...(notifyUrl ? { notify_url: notifyUrl } : {}),
  };
}
