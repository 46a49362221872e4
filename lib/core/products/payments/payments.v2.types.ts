import type { V2SignType } from '../../crypto/v2-sign.js';
import type { V2Fields } from '../../v2/xml.js';
import type { MicropayDto, UnifiedOrderDto, V2OrderRefDto } from './payments.v2.dto.js';
import type { AppPayParams } from './payments.types.js';

/** A unifiedorder request, validated before sending; other v2 fields pass through. */
export type V2UnifiedOrder = UnifiedOrderDto & Record<string, unknown>;
/** A micropay request, validated before sending. */
export type V2Micropay = MicropayDto & Record<string, unknown>;
/** An order by `out_trade_no` or `transaction_id`, validated before sending. */
export type V2OrderRef = V2OrderRefDto & Record<string, unknown>;

/** JSAPI / mini program parameters for API v2 orders. */
export interface V2JsapiPayParams {
  /** The AppID the payer's openid belongs to. */
  appId: string;
  /** Unix seconds, as a string. */
  timeStamp: string;
  /** A random string of 32 characters. */
  nonceStr: string;
  /** `prepay_id=…`. */
  package: string;
  /** The order's sign type, `MD5` or `HMAC-SHA256`. */
  signType: V2SignType;
  /** The v2 signature of the five fields above. */
  paySign: string;
}

/** App parameters for API v2 orders: the same fields as API v3's, MD5/HMAC-signed. */
export type V2AppPayParams = AppPayParams;

/** The answer of unifiedorder: `prepay_id`, plus `code_url` (NATIVE) or `mweb_url` (MWEB). */
export type V2UnifiedOrderResult = V2Fields & {
  /** 预支付交易会话标识, valid for two hours. */
  prepay_id: string;
  /** 交易类型, as ordered. */
  trade_type: string;
  /** 二维码链接 of a NATIVE order. */
  code_url?: string;
  /** 支付跳转链接 of an MWEB (H5) order. */
  mweb_url?: string;
};

/** Per-call options of the v2 client payment parameters. */
export interface V2PayParamsOptions {
  /**
   * The AppID the payer's client pays with.
   * @default the configured appid (partner mode: subAppid, else appid)
   */
  appId?: string;
  /**
   * The order's sign type.
   * @default the configured `v2SignType`
   */
  signType?: V2SignType;
}

/** Per-call options of {@link V2Payments.appPayParams}. */
export interface V2AppPayParamsOptions extends V2PayParamsOptions {
  /**
   * Partner mode: the sub-merchant the order was placed for, which is the `partnerid`.
   * @default the configured subMchid
   */
  subMchid?: string;
}
