import type { H5PrepayDto, JsapiPrepayDto, PrepayDto } from './payments.dto.js';

/** The four prepay channels of API v3. */
export type PrepayChannel = 'jsapi' | 'app' | 'h5' | 'native';

/** A Native or App order, validated before sending; fields WeChat Pay adds later pass through. */
export type PrepayOrder = PrepayDto & Record<string, unknown>;
/** A JSAPI / mini program order, validated before sending. */
export type JsapiPrepayOrder = JsapiPrepayDto & Record<string, unknown>;
/** An H5 order, validated before sending. */
export type H5PrepayOrder = H5PrepayDto & Record<string, unknown>;

/** 订单金额 of a placed order. Amounts are integers in fen (分). */
export interface TransactionAmount {
  /** 总金额: the order total. */
  total: number;
  /** 用户支付金额: what the payer paid after discounts. */
  payer_total?: number;
  /** 货币类型: `CNY`. */
  currency: string;
  /** 用户支付币种: `CNY`. */
  payer_currency?: string;
}

/**
 * 交易状态: `SUCCESS` paid, `REFUND` refund started, `NOTPAY` not paid, `CLOSED` closed,
 * `REVOKED` reversed (micropay), `USERPAYING` waiting for the payer, `PAYERROR` failed.
 */
export type TradeState =
  'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

/**
 * A payment order, as queries return it and as `TRANSACTION.SUCCESS` notifications carry it.
 * Merchant mode fills `appid`/`mchid`/`payer.openid`; partner mode fills the `sp_`/`sub_` fields.
 */
export interface Transaction {
  /** 应用ID the order was placed with (ordinary merchants). */
  appid?: string;
  /** 商户号 (ordinary merchants). */
  mchid?: string;
  /** 服务商应用ID (partner mode). */
  sp_appid?: string;
  /** 服务商户号 (partner mode). */
  sp_mchid?: string;
  /** 子商户应用ID (partner mode). */
  sub_appid?: string;
  /** 子商户号 (partner mode). */
  sub_mchid?: string;
  /** 商户订单号. */
  out_trade_no: string;
  /** 微信支付订单号; present once the payer started paying. */
  transaction_id?: string;
  /** 交易类型. */
  trade_type?: 'JSAPI' | 'NATIVE' | 'APP' | 'MICROPAY' | 'MWEB' | 'FACEPAY';
  /** 交易状态. */
  trade_state: TradeState;
  /** 交易状态描述, for people. */
  trade_state_desc: string;
  /** 银行类型 of the payer's funds, e.g. `OTHERS`, `CMC`. */
  bank_type?: string;
  /** 附加数据 given when the order was placed. */
  attach?: string;
  /** 支付完成时间, RFC 3339. */
  success_time?: string;
  /** 支付者: the payer's openid under the AppID used. */
  payer?: { openid?: string; sp_openid?: string; sub_openid?: string };
  /** 订单金额. */
  amount?: TransactionAmount;
  /** 场景信息: the merchant's device. */
  scene_info?: { device_id?: string };
  /** 优惠功能: the coupons applied, as WeChat Pay sent them. */
  promotion_detail?: unknown[];
}

/** The answer of a JSAPI / mini program order. */
export interface JsapiPrepayResult {
  /** 预支付交易会话标识, valid for two hours; pass it to `jsapiPayParams`. */
  prepay_id: string;
}
/** The answer of an App order. */
export interface AppPrepayResult {
  /** 预支付交易会话标识, valid for two hours; pass it to `appPayParams`. */
  prepay_id: string;
}
/** The answer of an H5 order. */
export interface H5PrepayResult {
  /** 支付跳转链接, valid for five minutes: redirect the payer's browser to it. */
  h5_url: string;
}
/** The answer of a Native order. */
export interface NativePrepayResult {
  /** 二维码链接, valid for two hours: show it as a QR code. */
  code_url: string;
}

/** What `wx.requestPayment` / `WeixinJSBridge` needs for JSAPI and mini program payments. */
export interface JsapiPayParams {
  /** The AppID the payer's openid belongs to. */
  appId: string;
  /** Unix seconds, as a string. */
  timeStamp: string;
  /** A random string of 32 characters. */
  nonceStr: string;
  /** `prepay_id=…`. */
  package: string;
  /** Always `RSA` in API v3. */
  signType: 'RSA';
  /** SHA256withRSA of `appId\ntimeStamp\nnonceStr\npackage\n`, base64. */
  paySign: string;
}

/** What the App SDK's `PayReq` needs. */
export interface AppPayParams {
  /** The App's AppID. */
  appid: string;
  /** The merchant number (the sub-merchant's in partner mode). */
  partnerid: string;
  /** The order's `prepay_id`. */
  prepayid: string;
  /** Always `Sign=WXPay`. */
  package: 'Sign=WXPay';
  /** A random string of 32 characters. */
  noncestr: string;
  /** Unix seconds, as a string. */
  timestamp: string;
  /** The signature: API v3 SHA256withRSA, or API v2 MD5 / HMAC-SHA256. */
  sign: string;
}
