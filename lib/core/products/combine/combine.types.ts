import type { TradeState, Transaction } from '../payments/payments.types.js';
import type {
  CombineAppPrepayDto,
  CombineCloseDto,
  CombineH5PrepayDto,
  CombineJsapiPrepayDto,
} from './combine.dto.js';

/** A combine App or Native order, validated before sending; other fields pass through. */
export type CombinePrepayOrder = CombineAppPrepayDto & Record<string, unknown>;
/** A combine JSAPI / mini program order, validated before sending. */
export type CombineJsapiPrepayOrder = CombineJsapiPrepayDto & Record<string, unknown>;
/** A combine H5 order, validated before sending. */
export type CombineH5PrepayOrder = CombineH5PrepayDto & Record<string, unknown>;
/** What closing a combine order names: its sub-orders. */
export type CombineCloseRequest = CombineCloseDto & Record<string, unknown>;

/** 订单金额 of a sub-order, in fen (分). */
export interface CombineSubOrderAmount {
  /** 标价金额: the sub-order's amount. */
  total_amount: number;
  /** 标价币种: `CNY`. */
  currency: string;
  /** 现金支付金额: what the payer paid for this sub-order; present once paid. */
  payer_amount?: number;
  /** 现金支付币种: `CNY`; present once paid. */
  payer_currency?: string;
}

/**
 * 子单信息 of a combine order, as the query and the notification carry it. Each sub-order is an
 * ordinary order of its merchant (`mchid`; in partner mode of `sub_mchid`): query and refund it
 * with `wechatPay.payments` / `wechatPay.refunds` by its `out_trade_no`.
 */
export interface CombineSubOrder {
  /** 子单商户号: the merchant of the sub-order (partner mode: the service provider). */
  mchid: string;
  /** 子商户号 (partner mode): the sub-merchant paid by this sub-order. */
  sub_mchid?: string;
  /** 子商户应用ID (partner mode). */
  sub_appid?: string;
  /** 子用户标识 (partner mode): the payer's openid under `sub_appid`. */
  sub_openid?: string;
  /** 交易类型: `JSAPI`, `NATIVE`, `APP` or `MWEB`. */
  trade_type?: NonNullable<Transaction['trade_type']>;
  /** 交易状态 of this sub-order. */
  trade_state: TradeState;
  /** 付款银行, e.g. `OTHERS`, `CMC`; present once paid. */
  bank_type?: string;
  /** 附加数据 given when the order was placed. */
  attach: string;
  /** 支付完成时间, RFC 3339; present once paid. */
  success_time?: string;
  /** 微信订单号; present once paid. */
  transaction_id?: string;
  /** 子单商户订单号. */
  out_trade_no: string;
  /** 订单金额. */
  amount: CombineSubOrderAmount;
  /** 优惠功能: the coupons applied to this sub-order, as WeChat Pay sent them. */
  promotion_detail?: unknown[];
}

/** A combine order, as the query returns it. */
export interface CombineTransaction {
  /** 合单商户AppID: the AppID the combine order was placed with. */
  combine_appid: string;
  /** 合单商户号: the merchant (partner mode: the service provider) that placed it. */
  combine_mchid: string;
  /** 合单商户订单号. */
  combine_out_trade_no: string;
  /** 场景信息: the merchant's device, when given. */
  scene_info?: { device_id?: string };
  /** 子单信息. */
  sub_orders: CombineSubOrder[];
  /** 合单支付者: the payer's openid under `combine_appid`; present once paid. */
  combine_payer_info?: { openid?: string; sub_openid?: string };
}

/** A sub-order of a paid combine order: the fields a payment always has are required. */
export interface PaidCombineSubOrder extends CombineSubOrder {
  transaction_id: string;
  success_time: string;
  amount: Required<CombineSubOrderAmount>;
}

/**
 * The decrypted `resource` of a combine `TRANSACTION.SUCCESS` notification: one event for the
 * whole combine order, carrying every sub-order. Tell it from an ordinary payment by
 * `combine_out_trade_no` (see `isCombineNotification`). Compare each sub-order's
 * `amount.total_amount` with your own order before marking it paid.
 */
export interface CombineTransactionNotification extends CombineTransaction {
  sub_orders: PaidCombineSubOrder[];
}

/** The answer of a combine JSAPI / mini program or App order. */
export interface CombinePrepayIdResult {
  /** 预支付交易会话标识, valid for two hours: pass it to `jsapiPayParams` / `appPayParams`. */
  prepay_id: string;
}
/** The answer of a combine H5 order. */
export interface CombineH5PrepayResult {
  /** 支付跳转链接: redirect the payer's browser to it. */
  h5_url: string;
}
/** The answer of a combine Native order. */
export interface CombineNativePrepayResult {
  /** 二维码链接: show it as a QR code. */
  code_url: string;
}

/**
 * Whether a verified `TRANSACTION.SUCCESS` payload is a combine payment (one event for several
 * sub-orders) rather than an ordinary one: a route may receive both when they share a notify URL.
 */
export function isCombineNotification(payload: unknown): payload is CombineTransactionNotification {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as { combine_out_trade_no?: unknown }).combine_out_trade_no === 'string' &&
    Array.isArray((payload as { sub_orders?: unknown }).sub_orders)
  );
}
