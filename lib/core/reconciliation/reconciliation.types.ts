/**
 * The state of an order in the merchant's database, as reconciliation needs it. `paid` and
 * `refunded` (partly or wholly) mean WeChat Pay took the money; `unpaid` and `closed` mean it
 * did not.
 */
export type ReconciliationOrderState = 'unpaid' | 'paid' | 'refunded' | 'closed';

/** A refund the merchant requested, as its database records it. */
export interface ReconciliationRefund {
  /** 商户退款单号. */
  out_refund_no: string;
  /** The refund amount in fen (what was asked for: `amount.refund`). */
  amount: number;
  /**
   * When WeChat Pay created the refund (the refund's `create_time`): the trade bill lists a
   * refund on the day it was requested. Refunds created on another day are not compared; when
   * absent, the refund is taken to belong to the day being reconciled.
   */
  created_at?: Date;
}

/**
 * One order of the merchant, as {@link ReconciliationSource.orders} yields it.
 */
export interface ReconciliationOrder {
  /** 商户订单号. */
  out_trade_no: string;
  /** The order amount in fen (`amount.total`). */
  amount: number;
  /** Whether WeChat Pay holds (or held) the money, as the merchant's database sees it. */
  state: ReconciliationOrderState;
  /**
   * When it was paid (the transaction's `success_time`): the trade bill lists a payment on the
   * day it succeeded. A paid order paid on another day is only compared for its refunds; when
   * absent, a paid order is taken to be paid on the day being reconciled.
   */
  paid_at?: Date;
  /** Its refunds; those created on another day are ignored. */
  refunds?: readonly ReconciliationRefund[];
}

/**
 * The merchant's side of reconciliation, implemented over its database.
 * @example
 * const source: ReconciliationSource = {
 *   async *orders(date) {
 *     // COLLATE "C": code-point order, the order reconciliation checks.
 *     yield* db.stream(
 *       `SELECT … FROM orders WHERE paid_on = $1 OR refunded_on = $1 ORDER BY out_trade_no COLLATE "C"`,
 *       [date],
 *     );
 *   },
 * };
 */
export interface ReconciliationSource {
  /**
   * Every order paid on `date` (China time, `YYYY-MM-DD`) or with a refund created on that day,
   * each once, in ascending `out_trade_no` order by code point (SQL:
   * `ORDER BY out_trade_no COLLATE "C"` on PostgreSQL, a `_bin` collation on MySQL). Orders in
   * any other order make reconciliation fail with a `WechatPayError` rather than answer wrongly.
   * Stream them (a cursor): reconciliation holds one order at a time.
   */
  orders(date: string): AsyncIterable<ReconciliationOrder>;
}

/** A payment the bill lists for an order this side does not have as paid: ship it or refund it. */
export interface PaidAtWechatPayNotHere {
  kind: 'paid_at_wechatpay_not_here';
  out_trade_no: string;
  /** 微信订单号. */
  transaction_id: string;
  /** The amount WeChat Pay took, in fen. */
  amount: number;
  /** The order's state here; `undefined` when there is no such order here. */
  state_here?: ReconciliationOrderState;
}

/** An order paid here on the day that the bill does not list: check it with a query. */
export interface PaidHereNotAtWechatPay {
  kind: 'paid_here_not_at_wechatpay';
  out_trade_no: string;
  /** The order amount here, in fen. */
  amount: number;
  state_here: ReconciliationOrderState;
}

/** A payment both sides have, for different amounts. */
export interface AmountMismatch {
  kind: 'amount_mismatch';
  out_trade_no: string;
  transaction_id: string;
  /** The order amount here, in fen. */
  amount_here: number;
  /** 订单金额 in the bill, in fen. */
  amount_at_wechatpay: number;
}

/**
 * A refund that differs: the bill lists it and this side does not (`not_here`), this side has it
 * and the bill does not (`not_at_wechatpay`), or both have it for different amounts (`amount`).
 */
export interface RefundMismatch {
  kind: 'refund_mismatch';
  reason: 'not_here' | 'not_at_wechatpay' | 'amount';
  out_trade_no: string;
  out_refund_no: string;
  /** 微信退款单号, when the bill lists the refund. */
  refund_id?: string;
  /** The refund amount here, in fen, when this side has it. */
  amount_here?: number;
  /** 申请退款金额 in the bill, in fen, when the bill lists it. */
  amount_at_wechatpay?: number;
}

/** One difference between the bill and the merchant's orders. */
export type ReconciliationDifference =
  PaidAtWechatPayNotHere | PaidHereNotAtWechatPay | AmountMismatch | RefundMismatch;

/** The kinds of {@link ReconciliationDifference}. */
export type ReconciliationDifferenceKind = ReconciliationDifference['kind'];

/** Counts and sums of one side, in fen. */
export interface ReconciliationTotals {
  /** Payments on the day. */
  payments: number;
  /** Their amounts. */
  paid: number;
  /** Refunds created on the day. */
  refunds: number;
  /** Their amounts. */
  refunded: number;
}

/** What reconciling one day found; plain JSON (dates as strings). */
export interface ReconciliationReport {
  /** The day, `YYYY-MM-DD`, China time. */
  date: string;
  /** The API the bill was downloaded through. */
  api: 'v3' | 'v2';
  /** The trade bill's payments and refunds (its summary was checked against its rows). */
  bill: ReconciliationTotals;
  /** The merchant's payments and refunds on the day. */
  here: ReconciliationTotals;
  /** Payments and refunds found on both sides with the same amount. */
  matched: { payments: number; refunds: number };
  /** How many differences of each kind; complete even when `differences` was cut short. */
  counts: Record<ReconciliationDifferenceKind, number>;
  /** The differences, in `out_trade_no` order, at most `maxDifferences` of them. */
  differences: ReconciliationDifference[];
  /** Whether `differences` holds fewer than the counts add up to (see `onDifference`). */
  truncated: boolean;
}

/** Options of a reconciliation run. */
export interface ReconcileOptions {
  /**
   * Which API downloads the trade bill.
   * @default 'v3'
   */
  api?: 'v3' | 'v2';
  /** Partner mode: the sub-merchant whose bill to reconcile (default: the configured one). */
  subMchid?: string;
  /**
   * At most this many differences are kept in the report; the counts stay complete. Every
   * difference still reaches `onDifference`.
   * @default 1000
   */
  maxDifferences?: number;
  /**
   * Receives the finished report before `reconcile` returns it: the hook of a scheduled daily
   * job (see `reconcileYesterday`), e.g. to mail the text summary or open tickets.
   */
  onReport?: (report: ReconciliationReport) => void | Promise<void>;
  /** Receives every difference as it is found, e.g. to write them to a table. */
  onDifference?: (difference: ReconciliationDifference) => void | Promise<void>;
  /**
   * Bill rows sorted in memory at a time; a larger bill is sorted in runs written to temporary
   * files under `tempDir` and merged, so memory does not grow with the bill.
   * @default 100000
   */
  rowsInMemory?: number;
  /**
   * Where the temporary runs go; they are removed when reconciliation ends.
   * @default os.tmpdir()
   */
  tempDir?: string;
}
