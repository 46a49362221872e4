import type { AbnormalRefundDto, RefundDto } from './refunds.dto.js';

/** A refund request, validated before sending; fields WeChat Pay adds later pass through. */
export type RefundRequest = RefundDto & Record<string, unknown>;

/**
 * 发起异常退款: where an ABNORMAL refund goes instead, validated before sending; `bank_account`
 * and `real_name` are given in plain text and encrypted by the library.
 */
export type AbnormalRefundRequest = AbnormalRefundDto;

/**
 * 退款状态: `SUCCESS`, `CLOSED`, `PROCESSING` or `ABNORMAL` (send it elsewhere with
 * `refunds.applyAbnormalRefund`, or in the merchant platform).
 */
export type RefundStatus = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';

/** 金额信息 of a refund, in fen. */
export interface RefundAmount {
  /** 订单金额: the order total. */
  total: number;
  /** 退款金额: the amount refunded. */
  refund: number;
  /** 用户支付金额: what the payer paid. */
  payer_total: number;
  /** 用户退款金额: what goes back to the payer, coupons excluded. */
  payer_refund: number;
  /** 应结退款金额: the refund less non-recharge coupons. */
  settlement_refund?: number;
  /** 应结订单金额: the order total less non-recharge coupons. */
  settlement_total?: number;
  /** 优惠退款金额: the part of the refund that was a discount. */
  discount_refund?: number;
  /** 退款币种: `CNY`. */
  currency: string;
  /** 退款出资账户及金额: which accounts paid the refund. */
  from?: { account: string; amount: number }[];
}

/** A refund, as creating or querying it returns it. */
export interface Refund {
  /** 微信支付退款单号. */
  refund_id: string;
  /** 商户退款单号. */
  out_refund_no: string;
  /** 微信支付订单号 of the refunded order. */
  transaction_id: string;
  /** 商户订单号 of the refunded order. */
  out_trade_no: string;
  /**
   * 退款渠道: `ORIGINAL` the way it was paid, `BALANCE` to the payer's balance, `OTHER_BALANCE`
   * / `OTHER_BANKCARD` elsewhere because the original account failed.
   */
  channel: 'ORIGINAL' | 'BALANCE' | 'OTHER_BALANCE' | 'OTHER_BANKCARD';
  /** 退款入账账户, e.g. `支付用户零钱` or a bank card description. */
  user_received_account: string;
  /** 退款成功时间, RFC 3339; present when `status` is `SUCCESS`. */
  success_time?: string;
  /** 退款创建时间, RFC 3339. */
  create_time: string;
  /** 退款状态. */
  status: RefundStatus;
  /** 资金账户 the refund was paid from, e.g. `UNSETTLED`, `AVAILABLE`, `BASIC`. */
  funds_account?: string;
  /** 金额信息. */
  amount: RefundAmount;
  /** 优惠退款信息, as WeChat Pay sent it. */
  promotion_detail?: unknown[];
  /** 子商户号 (partner mode). */
  sub_mchid?: string;
}
