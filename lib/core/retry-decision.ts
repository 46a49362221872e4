/**
 * The one place that decides, for a failed call, whether WeChat Pay may have acted on it and
 * whether the same request may be sent again. Every `WechatPayError` carries the answer.
 */

/** What a caller may conclude from a failed call. */
export interface RetryDecision {
  /**
   * WeChat Pay may have received and acted on the request: never replace it with a new one
   * (a new out_trade_no / out_refund_no); query its result, or send the same request again.
   */
  mayHaveTakenEffect: boolean;
  /**
   * Sending the same request again — unchanged, with the same merchant key (out_trade_no,
   * out_refund_no) — is safe and may succeed: the failure was transient and WeChat Pay
   * deduplicates by that key. False when the same request would fail the same way
   * (validation, configuration, a refusal such as ORDERPAID), and for a write without such a
   * key that may have arrived: query its result first.
   */
  retrySafe: boolean;
}

/** Nothing reached WeChat Pay, or what did was refused for good: fix the cause, then call again. */
export const FAILED_FOR_GOOD: Readonly<RetryDecision> = Object.freeze({
  mayHaveTakenEffect: false,
  retrySafe: false,
});

/**
 * The request reached WeChat Pay but its answer could not be trusted or used (a signature
 * that does not verify, a body that is not what it should be): its outcome is unknown.
 */
export const OUTCOME_UNKNOWN: Readonly<RetryDecision> = Object.freeze({
  mayHaveTakenEffect: true,
  retrySafe: true,
});

/**
 * The payment is under way but not finished (付款码: the payer is typing a password): it has
 * taken effect as far as anyone can tell, and sending it again would not settle it: query it.
 */
const IN_PROGRESS: Readonly<RetryDecision> = Object.freeze({
  mayHaveTakenEffect: true,
  retrySafe: false,
});

/** WeChat Pay's codes for "under way: query the result" (v3 and v2). */
const IN_PROGRESS_CODES: ReadonlySet<string> = new Set(['USERPAYING']);

/** WeChat Pay's codes for "a transient failure: send the same request again" (v3 and v2). */
const RETRY_CODES: ReadonlySet<string> = new Set([
  'SYSTEM_ERROR',
  'SYSTEMERROR',
  'FREQUENCY_LIMITED',
  'FREQUENCY_LIMIT',
  'BIZERR_NEED_RETRY',
  // 银行系统异常 (付款码): the bank timed out; WeChat Pay asks for the same request again.
  'BANK_ERROR',
  'BANKERROR',
]);

/**
 * The request may have arrived and been acted on, but WeChat Pay would not deduplicate a second
 * copy: query its result before sending it again.
 */
const QUERY_FIRST: Readonly<RetryDecision> = Object.freeze({
  mayHaveTakenEffect: true,
  retrySafe: false,
});

/**
 * An error answer: 5xx, 429 and WeChat Pay's retry codes leave the outcome unknown (WeChat Pay
 * asks for the same request again, which is safe only when `idempotent`: otherwise query
 * first, as after a broken connection); USERPAYING is a payment under way; any other answer is
 * a refusal that nothing changed.
 * @param idempotent a read, or a write WeChat Pay deduplicates by the merchant's number
 */
export function decisionForAnswer(status: number, code: string, idempotent = true): RetryDecision {
  if (IN_PROGRESS_CODES.has(code)) return IN_PROGRESS;
  if (status >= 500 || status === 429 || RETRY_CODES.has(code)) {
    return idempotent ? OUTCOME_UNKNOWN : QUERY_FIRST;
  }
  return FAILED_FOR_GOOD;
}

/**
 * An answer that cannot be trusted or used (its signature does not verify, its body does not
 * parse): the request arrived, so its outcome is unknown, and only a request WeChat Pay
 * deduplicates may be sent again as it is; any other must be queried first.
 * @param idempotent a read, or a write WeChat Pay deduplicates by the merchant's number
 */
export function decisionForUnusableAnswer(idempotent: boolean): RetryDecision {
  return idempotent ? OUTCOME_UNKNOWN : QUERY_FIRST;
}

/**
 * No usable answer. `mayHaveArrived`: some attempt failed after a byte could have left (reset,
 * timeout), not before (connection refused, DNS). `idempotent`: a read, or a write keyed by a
 * merchant-chosen number, which WeChat Pay deduplicates.
 */
export function decisionForNoAnswer(mayHaveArrived: boolean, idempotent: boolean): RetryDecision {
  return { mayHaveTakenEffect: mayHaveArrived, retrySafe: idempotent || !mayHaveArrived };
}
