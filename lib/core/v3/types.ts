/** Amounts are integers in fen (分). */
export interface TransactionAmount {
  total: number;
  payer_total?: number;
  currency: string;
  payer_currency?: string;
}

/** The state of a v3 order (`trade_state`). */
export type TradeState =
  'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

/**
 * A payment order, as queries return it and as `TRANSACTION.SUCCESS` notifications carry it.
 * Merchant mode fills `appid`/`mchid`/`payer.openid`; partner mode fills the `sp_`/`sub_` fields.
 */
export interface Transaction {
  appid?: string;
  mchid?: string;
  sp_appid?: string;
  sp_mchid?: string;
  sub_appid?: string;
  sub_mchid?: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: 'JSAPI' | 'NATIVE' | 'APP' | 'MICROPAY' | 'MWEB' | 'FACEPAY';
  trade_state: TradeState;
  trade_state_desc: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer?: { openid?: string; sp_openid?: string; sub_openid?: string };
  amount?: TransactionAmount;
  scene_info?: { device_id?: string };
  promotion_detail?: unknown[];
}

/** The state of a v3 refund. */
export type RefundStatus = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';

/** The amounts of a v3 refund, in fen (分). */
export interface RefundAmount {
  total: number;
  refund: number;
  payer_total: number;
  payer_refund: number;
  settlement_refund?: number;
  settlement_total?: number;
  discount_refund?: number;
  currency: string;
  from?: { account: string; amount: number }[];
}

/** A refund, as creating or querying it returns it. */
export interface Refund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  channel: 'ORIGINAL' | 'BALANCE' | 'OTHER_BALANCE' | 'OTHER_BANKCARD';
  user_received_account: string;
  success_time?: string;
  create_time: string;
  status: RefundStatus;
  funds_account?: string;
  amount: RefundAmount;
  promotion_detail?: unknown[];
  sub_mchid?: string;
}

/** The answer to a JSAPI / mini program prepay: pass `prepay_id` to `jsapiPayParams`. */
export interface JsapiPrepayResult {
  prepay_id: string;
}
/** The answer to an App prepay: pass `prepay_id` to `appPayParams`. */
export interface AppPrepayResult {
  prepay_id: string;
}
/** The answer to an H5 prepay: send the payer's browser to `h5_url`. */
export interface H5PrepayResult {
  h5_url: string;
}
/** The answer to a Native prepay: show `code_url` as a QR code. */
export interface NativePrepayResult {
  code_url: string;
}

/** Where and how to download a bill, as the apply call returns it. */
export interface BillInfo {
  /** Usually `SHA1`. */
  hash_type: string;
  hash_value: string;
  download_url: string;
}

/** What `wx.requestPayment` / `WeixinJSBridge` needs for JSAPI and mini program payments. */
export interface JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** What the App SDK's `PayReq` needs. */
export interface AppPayParams {
  appid: string;
  partnerid: string;
  prepayid: string;
  package: 'Sign=WXPay';
  noncestr: string;
  timestamp: string;
  sign: string;
}
