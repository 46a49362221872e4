import type { VerifiedNotification } from '../notify/notification.types.js';

/**
 * An order being watched after its prepay, as the recovery store keeps it: enough to query
 * and close it after a restart.
 */
export interface RecoveryTask {
  /**
   * `<mchid>[:<sub_mchid>]:<version>:<out_trade_no>`: one task per order
   * (`<mchid>:v3-combine:<combine_out_trade_no>` for a combine order,
   * `<mchid>[:<sub_mchid>]:v3-refund:<out_refund_no>` for a refund: `-`, never in a merchant
   * number, keeps BullMQ's job ids, where `:` becomes `_`, apart from an order's whose number
   * has `_`).
   */
  id: string;
  /**
   * What is watched: an ordinary order, a combine order (合单支付) queried and closed by the
   * combine APIs, or a refund (queried until it ends, never closed). Absent on tasks kept by
   * versions before combine recovery: an ordinary order.
   * @default 'payment'
   */
  kind?: 'payment' | 'combine' | 'refund';
  /** The API version the order was placed with; it is queried and closed with the same. */
  version: 'v3' | 'v2';
  /** The merchant that placed it (`sp_mchid` in partner mode). */
  mchid: string;
  /** The sub-merchant of partner mode. */
  subMchid?: string;
  /** 商户订单号; of a combine order its `combine_out_trade_no`; of a refund its order's, if known. */
  outTradeNo: string;
  /** Refunds: 商户退款单号, by which the refund is queried. */
  outRefundNo?: string;
  /** Combine orders: the `combine_appid` it was placed with, which its close names again. */
  combineAppid?: string;
  /** Combine orders: every sub-order, as its close must name them (all, as at prepay). */
  subOrders?: RecoverySubOrder[];
  /** When the order was placed (ms since the epoch). */
  createdAt: number;
  /**
   * When it may no longer be paid (ms since the epoch): then it is closed. A refund is watched
   * until then (`DEFAULT_REFUND_WATCH_MS` after it was requested), then a person is asked.
   */
  expiresAt: number;
  /** How many queries were made. */
  attempt: number;
  /** When the next step is due (ms since the epoch). */
  dueAt: number;
  /**
   * Set once the order expired: true after its close was sent (the steps after it only confirm
   * the outcome), false while a failed close waits to be sent again.
   */
  closing?: boolean;
  /** Failed steps in a row (query, close or handler), for the back-off. */
  failures?: number;
  /** The state the last query returned. */
  lastState?: string;
  /** How many steps ran before this one (names BullMQ's job of the step). */
  step?: number;
}

/** A sub-order of a watched combine order: what closing the combine order names. */
export interface RecoverySubOrder {
  /** 子单商户号 (partner mode: the service provider). */
  mchid: string;
  /** 子单商户订单号. */
  out_trade_no: string;
  /** Partner mode: 子商户号. */
  sub_mchid?: string;
  /** Partner mode: 子商户应用ID, when the prepay named one. */
  sub_appid?: string;
}

type RecoveryOrderFields = Pick<
  RecoveryTask,
  'version' | 'mchid' | 'subMchid' | 'outTradeNo' | 'createdAt' | 'expiresAt'
>;

/**
 * The order an outcome is about: an ordinary order (`kind: 'payment'`), a combine order
 * (`kind: 'combine'`, `outTradeNo` being its `combine_out_trade_no`, with its sub-orders), or a
 * refund (`kind: 'refund'`, `outTradeNo` being its order's).
 */
export type RecoveryOrder =
  | (RecoveryOrderFields & { kind: 'payment' })
  | (RecoveryOrderFields & { kind: 'combine'; subOrders: RecoverySubOrder[] })
  | (RecoveryOrderFields & { kind: 'refund'; outRefundNo: string });

/**
 * How the recovery of one order ended, for the `onOutcome` hook (`@WechatRecoveryOutcome()` in
 * Nest). Every order ends in exactly one of them.
 */
export type RecoveryOutcome =
  /**
   * The order was paid. `handledBy: 'recovery'` when a query found the payment and ran the
   * payment handler; `'notification'` when the notification had already run it. `paidAtClose`
   * when the payer paid between the last query and the close: if your order was already given
   * up (marked failed, stock released), refund it.
   */
  | {
      type: 'PAID';
      order: RecoveryOrder;
      handledBy: 'recovery' | 'notification';
      paidAtClose: boolean;
      /**
       * The queried order (v3 `Transaction`, v2 orderquery fields, or a combine order's
       * `CombineTransaction`).
       */
      transaction: Record<string, unknown>;
    }
  /**
   * A watched refund ended (`SUCCESS`, `CLOSED` or `ABNORMAL`; `order.kind` is `'refund'`).
   * `handledBy: 'recovery'` when a query found it and ran the `@WechatNotify` handler of its
   * `REFUND.<status>` event; `'notification'` when the notification had already run it; `'none'`
   * when no handler takes that event.
   */
  | {
      type: 'REFUND';
      order: RecoveryOrder;
      status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
      handledBy: 'recovery' | 'notification' | 'none';
      /** The queried refund (v3 `Refund`). */
      transaction: Record<string, unknown>;
    }
  /** Not paid by its expiry: closed, it can no longer be paid. */
  | { type: 'CLOSED'; order: RecoveryOrder; transaction: Record<string, unknown> }
  /** Revoked (撤销) by the merchant or WeChat Pay. */
  | { type: 'REVOKED'; order: RecoveryOrder; transaction: Record<string, unknown> }
  /**
   * Still unknown after the whole schedule (queries failed, the close failed, the handler kept
   * failing): a person must look at it.
   */
  | {
      type: 'NEEDS_ATTENTION';
      order: RecoveryOrder;
      /** What went wrong last, without secrets. */
      reason: string;
      /** The last state a query returned, when one did. */
      lastState?: string;
    };

/** The payment handler recovery runs, with the queried order as the payload. */
export type RecoveryPaymentHandler = (
  notification: VerifiedNotification<Record<string, unknown>>,
) => unknown;

/** Receives every {@link RecoveryOutcome}. */
export type RecoveryOutcomeHook = (outcome: RecoveryOutcome) => unknown;

/** Per-call recovery option of the prepay methods (and of `refunds.create`). */
export interface PrepayRecoveryOptions {
  /**
   * Whether this order is watched by recovery (queried on the schedule, closed at expiry; a
   * refund: queried until it ends).
   * @default the `recovery` module option
   */
  recovery?: boolean;
}
