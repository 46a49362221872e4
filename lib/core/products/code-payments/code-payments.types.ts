import type { V2Fields } from '../../v2/xml.js';
import type { Transaction } from '../payments/payments.types.js';
import type { CodepayDto } from './code-payments.dto.js';

/** A code payment (付款码支付) request, validated before sending; other fields pass through. */
export type CodepayOrder = CodepayDto & Record<string, unknown>;

/** The answer of 撤销: the order WeChat Pay reversed. */
export interface CodepayReverseResult {
  /** 应用ID (ordinary merchants). */
  appid?: string;
  /** 直连商户号 (ordinary merchants). */
  mchid?: string;
  /** 合作伙伴应用ID (partner mode). */
  sp_appid?: string;
  /** 合作伙伴商户号 (partner mode). */
  sp_mchid?: string;
  /** 特约商户应用ID (partner mode). */
  sub_appid?: string;
  /** 特约商户号 (partner mode). */
  sub_mchid?: string;
  /** 商户订单号 of the reversed order. */
  out_trade_no: string;
}

/**
 * How long the till waits for the payer, following WeChat Pay's 付款码支付 guide: after USERPAYING
 * or an unclear answer (SYSTEMERROR, BANKERROR, a broken connection) query every few seconds
 * until a final state or the deadline, then reverse — never right after paying (the guide asks
 * for at least 15 s) — and reverse again while WeChat Pay asks for it (`recall: Y`, SYSTEMERROR).
 * All times are in milliseconds.
 */
export interface TillSchedule {
  /**
   * Wait before the first query after USERPAYING or an unclear answer (the guide: "等待5秒").
   * @default 5000
   */
  firstQueryAfterMs?: number;
  /**
   * Wait between two queries while the payer confirms.
   * @default 5000
   */
  queryIntervalMs?: number;
  /**
   * How long, from sending the payment, the payer has to confirm before the till gives up and
   * reverses (the guide suggests 30 to 45 s).
   * @default 45000
   */
  deadlineMs?: number;
  /**
   * The earliest moment, from sending the payment, a reversal is sent (the guide: at least 15 s
   * after paying).
   * @default 15000
   */
  reverseNotBeforeMs?: number;
  /**
   * Wait between two reversals when WeChat Pay asks for another one.
   * @default 5000
   */
  reverseRetryIntervalMs?: number;
  /**
   * How many reversals are sent before the outcome is handed to a person.
   * @default 5
   */
  reverseAttempts?: number;
}

/** Where the till loop reads the time and waits: the real clock unless a test replaces it. */
export interface TillClock {
  /** Milliseconds, as `Date.now()`. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** Options of `payAtTill`: the schedule, and a clock for tests. */
export interface TillOptions extends TillSchedule {
  /**
   * The clock the loop waits with.
   * @default the system clock (`Date.now`, `setTimeout`)
   */
  clock?: TillClock;
}

/**
 * What a till payment came to; `status` says which, and each one is final for the till:
 * - `paid`: the payer paid; `transaction` is WeChat Pay's order.
 * - `failed`: WeChat Pay refused the payment, no money moved (`code` e.g. AUTH_CODE_INVALID,
 *   NOTENOUGH / NOT_ENOUGH, PAYERROR): tell the payer `message`, scan again with a new order number.
 * - `reversed`: the payer did not confirm in time and the order was reversed (撤销): nothing is
 *   charged, or what was charged is returned to the payer.
 * - `unknown`: neither a final state nor a reversal could be obtained: a person must check the
 *   order (query it, or reverse it within 7 days) before the payer leaves or is charged again.
 */
export type TillOutcome<T> =
  | { status: 'paid'; outTradeNo: string; transaction: T }
  | { status: 'failed'; outTradeNo: string; code: string; message: string }
  | { status: 'reversed'; outTradeNo: string }
  | { status: 'unknown'; outTradeNo: string; message: string; cause?: unknown };

/** The outcome of an API v3 till payment: a paid one carries the v3 order. */
export type CodepayTillOutcome = TillOutcome<Transaction>;

/** The outcome of an API v2 till payment: a paid one carries the micropay or orderquery fields. */
export type V2MicropayTillOutcome = TillOutcome<V2Fields>;
