import { v2MerchantFields } from '../merchant/v2-merchant-fields.js';
import type { V2Fields } from '../v2/xml.js';
import { assertValid } from '../validation/validate.js';
import type { V2ProductContext } from './product-context.js';

/** One API v2 endpoint as a product calls it. */
export interface V2Call {
  /** e.g. `/pay/orderquery`. */
  path: string;
  /** The DTO the input is checked against before anything is sent. */
  dto: new () => object;
  /** What the call is, for errors, e.g. `orderquery request`. */
  what: string;
  /** The call places an order, so an AppID is required. */
  order?: boolean;
  /** The endpoint needs the merchant client certificate (`/secapi/*`). */
  cert?: boolean;
  /**
   * Re-sending after a broken connection cannot act twice (WeChat Pay deduplicates by the
   * merchant's number). `false` for a call whose second copy would be refused in a way that
   * hides the first one's outcome, such as micropay's ORDERPAID.
   * @default true
   */
  idempotent?: boolean;
}

/**
 * The common shape of an API v2 call: validate the input, name the merchant (`appid`, and in
 * partner mode `sub_mch_id` / `sub_appid`), then sign, send and check the answer.
 * @throws WechatPayValidationError before sending when the input is not valid
 */
export function sendV2(
  context: V2ProductContext,
  call: V2Call,
  params: Record<string, unknown>,
): Promise<V2Fields> {
  assertValid(call.dto, params, call.what);
  const fields = v2MerchantFields(context.merchant, params, call.what, { order: call.order });
  return context.api.request(call.path, fields, {
    ...(call.cert ? { cert: true } : {}),
    ...(call.idempotent === false ? { idempotent: false } : {}),
  });
}
