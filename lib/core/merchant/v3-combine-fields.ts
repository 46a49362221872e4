import { WechatPayValidationError } from '../errors.js';
import type { MerchantIdentity } from './merchant-identity.js';

type SubOrderIdentity = {
  out_trade_no: string;
  mchid?: string;
  sub_mchid?: string;
  sub_appid?: string;
};

/**
 * How combine payments (合单支付) name the merchant: `combine_appid` + `combine_mchid` for the
 * whole order, and on each sub-order its `mchid` (partner mode: the service provider) plus
 * `sub_mchid` (+ `sub_appid`) in partner mode. The sub-merchant of a partner's sub-order defaults
 * to `subMchid` like every other partner call.
 * @see https://pay.weixin.qq.com/docs/merchant/products/combine-payment/apilist-jsapi.html
 * @see https://pay.weixin.qq.com/docs/partner/products/combine-payment/apilist-jsapi.html
 */

/** How many sub-orders a combine order may hold: ordinary merchants 2–10, service providers 1–50. */
export const COMBINE_SUB_ORDER_LIMITS = {
  merchant: { min: 2, max: 10 },
  partner: { min: 1, max: 50 },
} as const;

/**
 * A combine prepay body: the caller's fields with `combine_appid`, `combine_mchid`, the notify URL
 * and each sub-order's merchant filled in.
 * @throws WechatPayValidationError when an AppID, a sub-merchant or the notify URL is missing, a
 *   given merchant number is not the configured one, or the sub-orders are too few, too many or
 *   repeat an `out_trade_no`
 */
export function v3CombineOrderFields(
  merchant: MerchantIdentity,
  order: Record<string, unknown> & {
    combine_appid?: string;
    combine_mchid?: string;
    notify_url?: string;
    sub_orders: SubOrderIdentity[];
  },
  what: string,
): Record<string, unknown> {
  const limits = COMBINE_SUB_ORDER_LIMITS[merchant.partner ? 'partner' : 'merchant'];
  const count = order.sub_orders.length;
  if (count < limits.min || count > limits.max) {
    throw new WechatPayValidationError(what, [
      {
        field: 'sub_orders',
        message: `must hold ${limits.min} to ${limits.max} sub-orders in ${merchant.partner ? 'partner' : 'merchant'} mode, got ${count}`,
      },
    ]);
  }
  const seen = new Set<string>();
  order.sub_orders.forEach((sub, i) => {
    if (seen.has(sub.out_trade_no)) {
      throw new WechatPayValidationError(what, [
        { field: `sub_orders[${i}].out_trade_no`, message: 'repeats another sub-order' },
      ]);
    }
    seen.add(sub.out_trade_no);
  });
  return {
    ...v3CombineFields(merchant, order, what),
    combine_mchid: combineMchid(merchant, order.combine_mchid, what),
    notify_url: merchant.notifyUrl(order.notify_url, what),
  };
}

/**
 * `combine_appid` and the sub-orders' merchants, as closing a combine order sends them.
 * @throws WechatPayValidationError as {@link v3CombineOrderFields}
 */
export function v3CombineFields<T extends SubOrderIdentity>(
  merchant: MerchantIdentity,
  request: Record<string, unknown> & { combine_appid?: string; sub_orders: T[] },
  what: string,
): Record<string, unknown> & { combine_appid: string; sub_orders: T[] } {
  return {
    ...request,
    combine_appid: merchant.orderAppid(request.combine_appid, what, 'combine_appid'),
    sub_orders: request.sub_orders.map((sub, i) => subOrderIdentity(merchant, sub, i, what)),
  };
}

function combineMchid(merchant: MerchantIdentity, given: string | undefined, what: string) {
  if (given !== undefined && given !== merchant.mchid) {
    throw new WechatPayValidationError(what, [
      {
        field: 'combine_mchid',
        message: `must be the configured mchid ${merchant.mchid}, which signs the request (leave it out)`,
      },
    ]);
  }
  return merchant.mchid;
}

function subOrderIdentity<T extends SubOrderIdentity>(
  merchant: MerchantIdentity,
  sub: T,
  i: number,
  what: string,
): T {
  const field = (name: string) => `sub_orders[${i}].${name}`;
  if (!merchant.partner) {
    if (sub.sub_mchid !== undefined || sub.sub_appid !== undefined) {
      throw new WechatPayValidationError(what, [
        {
          field: field(sub.sub_mchid !== undefined ? 'sub_mchid' : 'sub_appid'),
          message: 'is only for partner mode: an ordinary merchant names the sub-order by mchid',
        },
      ]);
    }
    return { ...sub, mchid: sub.mchid ?? merchant.mchid };
  }
  if (sub.mchid !== undefined && sub.mchid !== merchant.mchid) {
    throw new WechatPayValidationError(what, [
      {
        field: field('mchid'),
        message: `must be the service provider's mchid ${merchant.mchid} in partner mode; name the sub-merchant in sub_mchid`,
      },
    ]);
  }
  const subAppid = merchant.subAppid(sub.sub_appid);
  return {
    ...sub,
    mchid: merchant.mchid,
    sub_mchid: merchant.subMchid(sub.sub_mchid, what, field('sub_mchid')),
    ...(subAppid ? { sub_appid: subAppid } : {}),
  };
}
