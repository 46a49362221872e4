import type { MerchantIdentity } from './merchant-identity.js';

type IdentityFields = Partial<Record<'appid' | 'sp_appid' | 'sub_appid' | 'sub_mchid', string>>;

/**
 * How API v3 names the merchant in requests: ordinary merchants send `appid` + `mchid`,
 * service providers `sp_appid` + `sp_mchid` + `sub_mchid` (+ `sub_appid`). Every v3 product
 * fills its bodies and queries through these, so the rules live in one place.
 */

/**
 * An order body: the caller's fields with the merchant identity and the notify URL filled in.
 * Fields WeChat Pay adds later pass through untouched.
 * @throws WechatPayValidationError when an AppID, the sub-merchant or the notify URL is missing,
 *   or a given AppID is not one of the merchant's
 */
export function v3OrderFields(
  merchant: MerchantIdentity,
  order: Record<string, unknown> & { notify_url?: string },
  what: string,
): Record<string, unknown> {
  const notifyUrl = merchant.notifyUrl(order.notify_url, what);
  return { ...v3AppFields(merchant, order, what), notify_url: notifyUrl };
}

/**
 * A body that names the merchant and its AppID without a notify URL (code payments and their
 * reversal): `appid` + `mchid`, or `sp_appid` + `sp_mchid` + `sub_mchid` (+ `sub_appid`).
 * @param options.appidOptional partner mode may leave `sp_appid` out when none is configured
 *   (the partner reverse request, where WeChat Pay marks it optional)
 * @throws WechatPayValidationError when a required AppID or the sub-merchant is missing, or a
 *   given AppID is not one of the merchant's
 */
export function v3AppFields(
  merchant: MerchantIdentity,
  fields: Record<string, unknown>,
  what: string,
  options: { appidOptional?: boolean } = {},
): Record<string, unknown> {
  const { appid, sp_appid, sub_appid, sub_mchid, ...rest } = fields as Record<string, unknown> &
    IdentityFields;
  if (!merchant.partner) {
    return { ...rest, appid: merchant.orderAppid(appid, what), mchid: merchant.mchid };
  }
  // Partner bodies name the service provider's AppID `sp_appid`; `appid` is taken for it too.
  const field = sp_appid === undefined ? 'appid' : 'sp_appid';
  const spAppid =
    options.appidOptional === true
      ? merchant.requestAppid(sp_appid ?? appid, what, field)
      : merchant.orderAppid(sp_appid ?? appid, what, field);
  const subAppid = merchant.subAppid(sub_appid);
  return {
    ...rest,
    ...(spAppid ? { sp_appid: spAppid } : {}),
    sp_mchid: merchant.mchid,
    sub_mchid: merchant.subMchid(sub_mchid, what),
    ...(subAppid ? { sub_appid: subAppid } : {}),
  };
}

/**
 * Who is asking, as the query of order queries and the body of a close request: `mchid`, or
 * `sp_mchid` + `sub_mchid` in partner mode.
 */
export function v3Requester(
  merchant: MerchantIdentity,
  subMchid: string | undefined,
  what: string,
): Record<string, string> {
  return merchant.partner
    ? { sp_mchid: merchant.mchid, sub_mchid: merchant.subMchid(subMchid, what) }
    : { mchid: merchant.mchid };
}

/** `sub_mchid` in partner mode, nothing otherwise (refund queries, trade bills, refunds). */
export function v3SubMchid(
  merchant: MerchantIdentity,
  subMchid: string | undefined,
  what: string,
): Record<string, string> {
  return merchant.partner ? { sub_mchid: merchant.subMchid(subMchid, what) } : {};
}

/**
 * A query or body that may name the sub-merchant (trade bills): a given `sub_mchid` is replaced
 * by the resolved one in partner mode, and left out otherwise.
 */
export function v3WithSubMchid<T extends object>(
  merchant: MerchantIdentity,
  fields: T & { sub_mchid?: string | null },
  what: string,
): Omit<T, 'sub_mchid'> & Record<string, string> {
  const { sub_mchid, ...rest } = fields;
  return { ...rest, ...v3SubMchid(merchant, sub_mchid ?? undefined, what) };
}

/**
 * A refund body: refunds share one path in both modes; partners name the sub-merchant in the
 * body, and the refund notify URL defaults to `refundNotifyUrl`.
 */
export function v3RefundFields(
  merchant: MerchantIdentity,
  refund: Record<string, unknown> & { notify_url?: string },
  what: string,
): Record<string, unknown> {
  const { sub_mchid, ...rest } = refund as Record<string, unknown> & IdentityFields;
  const notifyUrl = merchant.refundNotifyUrl(refund.notify_url);
  return {
    ...rest,
    ...v3SubMchid(merchant, sub_mchid, what),
    ...(notifyUrl ? { notify_url: notifyUrl } : {}),
  };
}

/**
 * A profit-sharing body (splits, receivers): `sub_mchid` in partner mode, the AppID the
 * receivers' openids belong to (`appid`: the service provider's in partner mode) and, in partner
 * mode, the sub-merchant's `sub_appid`. Ordinary merchants send neither `sub_mchid` nor
 * `sub_appid`.
 * @param appidRequired whether the call needs an AppID (adding or deleting a receiver, a split
 *   to a `PERSONAL_OPENID`); otherwise the configured one is sent when there is one
 * @throws WechatPayValidationError when a required AppID or the sub-merchant is missing
 */
export function v3ProfitSharingFields(
  merchant: MerchantIdentity,
  fields: Record<string, unknown>,
  what: string,
  appidRequired: boolean,
): Record<string, unknown> {
  const { appid, sub_appid, sub_mchid, ...rest } = fields as Record<string, unknown> &
    IdentityFields;
  const resolved = appidRequired
    ? merchant.orderAppid(appid, what)
    : merchant.requestAppid(appid, what);
  const subAppid = merchant.subAppid(sub_appid);
  return {
    ...v3SubMchid(merchant, sub_mchid, what),
    ...(resolved ? { appid: resolved } : {}),
    ...(subAppid ? { sub_appid: subAppid } : {}),
    ...rest,
  };
}
