import type {
  ProfitSharingAddReceiverDto,
  ProfitSharingDeleteReceiverDto,
  ProfitSharingOrderDto,
  ProfitSharingReturnDto,
  ProfitSharingUnfreezeDto,
} from './profit-sharing.dto.js';

/** A split request, validated before sending; fields WeChat Pay adds later pass through. */
export type ProfitSharingOrderRequest = ProfitSharingOrderDto & Record<string, unknown>;
/** A return request, validated before sending. */
export type ProfitSharingReturnRequest = ProfitSharingReturnDto & Record<string, unknown>;
/** An unfreeze request, validated before sending. */
export type ProfitSharingUnfreezeRequest = ProfitSharingUnfreezeDto & Record<string, unknown>;
/** A receiver to add, validated before sending. */
export type ProfitSharingAddReceiverRequest = ProfitSharingAddReceiverDto & Record<string, unknown>;
/** A receiver to delete, validated before sending. */
export type ProfitSharingDeleteReceiverRequest = ProfitSharingDeleteReceiverDto &
  Record<string, unknown>;

/** 分账接收方类型. */
export type ProfitSharingReceiverType = 'MERCHANT_ID' | 'PERSONAL_OPENID' | 'PERSONAL_SUB_OPENID';

/** 分账单状态: `PROCESSING` until every receiver's result is final, then `FINISHED`. */
export type ProfitSharingOrderState = 'PROCESSING' | 'FINISHED';

/**
 * 分账失败原因 of a receiver whose result is `CLOSED`: `ACCOUNT_ABNORMAL`, `NO_RELATION`,
 * `RECEIVER_HIGH_RISK`, `RECEIVER_REAL_NAME_NOT_VERIFIED`, `NO_AUTH`, `RECEIVER_RECEIPT_LIMIT`,
 * `PAYER_ACCOUNT_ABNORMAL`, `INVALID_REQUEST`; its money goes back to the merchant.
 */
export type ProfitSharingFailReason =
  | 'ACCOUNT_ABNORMAL'
  | 'NO_RELATION'
  | 'RECEIVER_HIGH_RISK'
  | 'RECEIVER_REAL_NAME_NOT_VERIFIED'
  | 'NO_AUTH'
  | 'RECEIVER_RECEIPT_LIMIT'
  | 'PAYER_ACCOUNT_ABNORMAL'
  | 'INVALID_REQUEST';

/** One receiver's part of a split, as WeChat Pay reports it. */
export interface ProfitSharingReceiverResult {
  /** 分账金额, in fen. */
  amount: number;
  /** 分账描述. */
  description: string;
  /** 分账接收方类型. */
  type: ProfitSharingReceiverType;
  /** 分账接收方帐号. */
  account: string;
  /** 分账结果: `PENDING`, `SUCCESS` or `CLOSED` (see `fail_reason`). */
  result: 'PENDING' | 'SUCCESS' | 'CLOSED';
  /** 分账失败原因, when `result` is `CLOSED`. */
  fail_reason?: ProfitSharingFailReason;
  /** 分账创建时间, RFC 3339. */
  create_time: string;
  /** 分账完成时间, RFC 3339. */
  finish_time: string;
  /** 分账明细单号: WeChat Pay's number of this part, as in the fund-flow bill. */
  detail_id: string;
}

/** A split (or an unfreeze), as requesting, querying or unfreezing returns it. */
export interface ProfitSharingOrder {
  /** 子商户号 (partner mode). */
  sub_mchid?: string;
  /** 微信订单号. */
  transaction_id: string;
  /** 商户分账单号. */
  out_order_no: string;
  /** 微信分账单号. */
  order_id: string;
  /** 分账单状态: each receiver's outcome is in its `result`. */
  state: ProfitSharingOrderState;
  /** 分账接收方列表. */
  receivers?: ProfitSharingReceiverResult[];
}

/** A return (分账回退), as requesting or querying it returns it. */
export interface ProfitSharingReturn {
  /** 子商户号 (partner mode). */
  sub_mchid?: string;
  /** 微信分账单号. */
  order_id: string;
  /** 商户分账单号. */
  out_order_no: string;
  /** 商户回退单号. */
  out_return_no: string;
  /** 微信回退单号. */
  return_id: string;
  /** 回退商户号. */
  return_mchid: string;
  /** 回退金额, in fen. */
  amount: number;
  /** 回退描述. */
  description: string;
  /**
   * 回退结果: `PROCESSING` (query again with the same `out_return_no`, never a new one),
   * `SUCCESS` or `FAILED` (see `fail_reason`).
   */
  result: 'PROCESSING' | 'SUCCESS' | 'FAILED';
  /**
   * 失败原因: `ACCOUNT_ABNORMAL`, `BALANCE_NOT_ENOUGH`, `TIME_OUT_CLOSED`,
   * `PAYER_ACCOUNT_ABNORMAL` or `INVALID_REQUEST`.
   */
  fail_reason?: string;
  /** 创建时间, RFC 3339. */
  create_time: string;
  /** 完成时间, RFC 3339. */
  finish_time?: string;
}

/** 查询剩余待分金额: what is still frozen for splitting. */
export interface ProfitSharingUnsplitAmount {
  /** 微信订单号. */
  transaction_id: string;
  /** 订单剩余待分金额, in fen. */
  unsplit_amount: number;
}

/** A receiver, as adding or deleting it returns it (the name stays encrypted, never echoed). */
export interface ProfitSharingReceiver {
  /** 子商户号 (partner mode). */
  sub_mchid?: string;
  /** 接收方类型. */
  type: ProfitSharingReceiverType;
  /** 接收方账号. */
  account: string;
  /** 与分账方的关系类型 (add only). */
  relation_type?: string;
  /** 自定义的分账关系 (add only). */
  custom_relation?: string;
}

/**
 * The decrypted `resource` of a `PROFITSHARING.SUCCESS` or `PROFITSHARING.RETURN` notification
 * (分账动账通知), sent to a merchant receiver for each split to it or return from it.
 */
export interface ProfitSharingNotification {
  /** 直连商户号: the merchant that split (merchant mode). */
  mchid?: string;
  /** 服务商商户号 (partner mode). */
  sp_mchid?: string;
  /** 子商户号: the sub-merchant that split (partner mode). */
  sub_mchid?: string;
  /** 微信订单号. */
  transaction_id: string;
  /** 微信分账/回退单号. */
  order_id: string;
  /** 商户分账/回退单号. */
  out_order_no: string;
  /** 分账接收方: who received (or returned) how much. */
  receiver: {
    /** 分账接收方类型. */
    type: ProfitSharingReceiverType;
    /** 分账接收方账号. */
    account: string;
    /** 分账动账金额, in fen. */
    amount: number;
    /** 分账/回退描述. */
    description: string;
  };
  /** 成功时间, RFC 3339. */
  success_time: string;
}
