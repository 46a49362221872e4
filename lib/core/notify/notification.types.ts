import type { EncryptedResource } from '../crypto/aes-gcm.js';
import type { Transaction, TransactionAmount } from '../products/payments/payments.types.js';
import type { RefundStatus } from '../products/refunds/refunds.types.js';

/**
 * Event types of API v3 notifications: payments, refunds, profit sharing
 * (`PROFITSHARING.SUCCESS` a split to a merchant receiver, `PROFITSHARING.RETURN` a return from
 * it), complaints and transfers (`MCHTRANSFER.BILL.FINISHED`).
 */
export type WechatPayEventType =
  | 'TRANSACTION.SUCCESS'
  | 'REFUND.SUCCESS'
  | 'REFUND.ABNORMAL'
  | 'REFUND.CLOSED'
  | 'PROFITSHARING.SUCCESS'
  | 'PROFITSHARING.RETURN'
  /** 产生新投诉 (resource: `ComplaintNotification`). */
  | 'COMPLAINT.CREATE'
  /** 投诉状态变化 (resource: `ComplaintNotification`). */
  | 'COMPLAINT.STATE_CHANGE'
  /** 商家转账 reached SUCCESS, FAIL or CANCELLED (resource: `TransferBillNotification`). */
  | 'MCHTRANSFER.BILL.FINISHED'
  | (string & {});

/** The outer, unencrypted part of an API v3 notification. */
export interface NotificationEnvelope {
  /** Unique per event; redeliveries of the same event carry the same id. */
  id: string;
  create_time: string;
  event_type: WechatPayEventType;
  /** `encrypt-resource`. */
  resource_type: string;
  summary: string;
}

/** The raw body of an API v3 notification. */
export interface V3NotificationBody extends NotificationEnvelope {
  resource: EncryptedResource;
}

/**
 * The decrypted `resource` of a `TRANSACTION.SUCCESS` notification: a paid order, so the fields
 * a payment always has are required. Compare `amount.total` with your own order before marking
 * it paid.
 */
export interface TransactionNotification extends Transaction {
  transaction_id: string;
  success_time: string;
  amount: TransactionAmount & { payer_total: number };
  payer: NonNullable<Transaction['payer']>;
}

/** The decrypted `resource` of a `REFUND.*` notification. */
export interface RefundNotification {
  mchid?: string;
  sp_mchid?: string;
  sub_mchid?: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: Exclude<RefundStatus, 'PROCESSING'>;
  success_time?: string;
  user_received_account: string;
  amount: { total: number; refund: number; payer_total: number; payer_refund: number };
}

/** A verified, decrypted notification, as `@WechatNotification()` hands it over. */
export interface VerifiedNotification<
  T = TransactionNotification | RefundNotification | Record<string, unknown>,
> {
  version: 'v3' | 'v2';
  /** The event id (v3), or a key derived from the merchant's numbers (v2). */
  id: string;
  envelope: NotificationEnvelope;
  /** The decrypted payload, as `@WechatPayload()` hands it over. */
  payload: T;
}
