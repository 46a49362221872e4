import { setTimeout as sleep } from 'node:timers/promises';
import {
  WechatPayApiError,
  WechatPayError,
  WechatPayNetworkError,
  WechatPayValidationError,
} from '../../errors.js';
import type { TillClock, TillOptions, TillOutcome, TillSchedule } from './code-payments.types.js';

/** Where an order stands after an answer of the till's calls. */
export type TillState<T> =
  | { state: 'paid'; transaction: T }
  | { state: 'pending' }
  | { state: 'failed'; code: string; message: string }
  | { state: 'reversed' };

/** What a reversal answered: done, or WeChat Pay asks for another one. */
export type ReverseAnswer = { state: 'reversed' } | { state: 'again'; message: string };

/**
 * One API version's calls of the till: pay, query and reverse one order. Each maps an answer
 * to a state and throws what it cannot interpret; the loop classifies thrown errors.
 */
export interface TillCalls<T> {
  /** 商户订单号 of the order. */
  readonly outTradeNo: string;
  pay(): Promise<TillState<T>>;
  query(): Promise<TillState<T>>;
  reverse(): Promise<ReverseAnswer>;
}

/** The schedule WeChat Pay's 付款码支付 guide describes; see {@link TillSchedule}. */
export const TILL_SCHEDULE: Readonly<Required<TillSchedule>> = Object.freeze({
  firstQueryAfterMs: 5000,
  queryIntervalMs: 5000,
  deadlineMs: 45_000,
  reverseNotBeforeMs: 15_000,
  reverseRetryIntervalMs: 5000,
  reverseAttempts: 5,
});

const SYSTEM_CLOCK: TillClock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

/** The codes by which WeChat Pay says the order it was asked about does not exist. */
const NO_SUCH_ORDER = new Set(['ORDER_NOT_EXIST', 'ORDERNOTEXIST']);

/**
 * A payment code's trade state (交易状态) as the till sees it: paid, still waiting for the payer,
 * refused, or reversed.
 */
export function tillStateOf<T>(
  tradeState: string | undefined,
  description: string | undefined,
  transaction: T,
): TillState<T> {
  switch (tradeState) {
    case 'SUCCESS':
    case 'REFUND':
      return { state: 'paid', transaction };
    case 'PAYERROR':
    case 'CLOSED':
      return { state: 'failed', code: tradeState, message: description ?? tradeState };
    case 'REVOKED':
      return { state: 'reversed' };
    default:
      // USERPAYING, NOTPAY, ACCEPT: the payer has not confirmed yet.
      return { state: 'pending' };
  }
}

/**
 * The till's state machine, for either API version: pay; on USERPAYING or an unclear answer
 * query until a final state or the deadline; then reverse, not before `reverseNotBeforeMs`, and
 * again while WeChat Pay asks for it. Every path ends in a {@link TillOutcome}; only errors that
 * mean nothing was sent (an invalid request, a missing configuration) are thrown.
 * @throws WechatPayValidationError before sending when the payment is not valid
 */
export async function runTill<T>(
  calls: TillCalls<T>,
  options: TillOptions = {},
): Promise<TillOutcome<T>> {
  const schedule = scheduleOf(options);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const startedAt = clock.now();
  const outTradeNo = calls.outTradeNo;

  let state = await calls.pay().catch((error: unknown) => stateOfFailedPayment<T>(error));
  if (state.state === 'pending') {
    await clock.sleep(schedule.firstQueryAfterMs);
    for (;;) {
      // A query that fails says nothing about the order: keep asking until the deadline.
      state = await calls.query().catch((error: unknown) => pendingUnlessBug<T>(error));
      const remaining = startedAt + schedule.deadlineMs - clock.now();
      if (state.state !== 'pending' || remaining <= 0) break;
      await clock.sleep(Math.min(schedule.queryIntervalMs, remaining));
    }
  }
  switch (state.state) {
    case 'paid':
      return { status: 'paid', outTradeNo, transaction: state.transaction };
    case 'failed':
      return { status: 'failed', outTradeNo, code: state.code, message: state.message };
    case 'reversed':
      return { status: 'reversed', outTradeNo };
    case 'pending': {
      const wait = startedAt + schedule.reverseNotBeforeMs - clock.now();
      if (wait > 0) await clock.sleep(wait);
      return reverse(calls, schedule, clock);
    }
  }
}

async function reverse<T>(
  calls: TillCalls<T>,
  schedule: Required<TillSchedule>,
  clock: TillClock,
): Promise<TillOutcome<T>> {
  const { outTradeNo } = calls;
  let last = 'no reversal was sent';
  for (let attempt = 1; attempt <= schedule.reverseAttempts; attempt += 1) {
    if (attempt > 1) await clock.sleep(schedule.reverseRetryIntervalMs);
    try {
      const answer = await calls.reverse();
      if (answer.state === 'reversed') return { status: 'reversed', outTradeNo };
      last = answer.message;
    } catch (error) {
      if (!(error instanceof WechatPayError)) throw error;
      if (error instanceof WechatPayApiError && NO_SUCH_ORDER.has(error.code)) {
        // The payment never reached WeChat Pay: nothing was charged, nothing is left to undo.
        return { status: 'failed', outTradeNo, code: error.code, message: error.message };
      }
      if (!error.mayHaveTakenEffect && !error.retrySafe) {
        return {
          status: 'unknown',
          outTradeNo,
          message: unknownMessage(error.message),
          cause: error,
        };
      }
      last = error.message;
    }
  }
  return {
    status: 'unknown',
    outTradeNo,
    message: unknownMessage(
      `${schedule.reverseAttempts} reversals got no final answer; the last: ${last}`,
    ),
  };
}

/**
 * A payment that threw: under way or unclear (USERPAYING, SYSTEMERROR, BANKERROR, a broken
 * connection after sending) means query; a refusal means failed; nothing sent is rethrown
 * unless the network refused it, which is a failure the till can retry with the same code.
 */
function stateOfFailedPayment<T>(error: unknown): TillState<T> {
  if (!(error instanceof WechatPayError)) throw error;
  if (error.mayHaveTakenEffect) return { state: 'pending' };
  // These refusals prove an earlier payment with this order number exists (a copy re-sent by
  // the till or the transport): its state, not this refusal, is the outcome.
  if (error instanceof WechatPayApiError && EARLIER_PAYMENT_EXISTS.has(error.code)) {
    return { state: 'pending' };
  }
  if (error instanceof WechatPayApiError) {
    return { state: 'failed', code: error.code, message: error.message };
  }
  if (error instanceof WechatPayNetworkError) {
    return { state: 'failed', code: 'NOT_SENT', message: error.message };
  }
  throw error;
}

const EARLIER_PAYMENT_EXISTS: ReadonlySet<string> = new Set([
  'ORDERPAID',
  'ORDER_PAID',
  'OUT_TRADE_NO_USED',
  'ORDERREVERSED',
  'ORDER_REVERSED',
  'ORDERCLOSED',
  'ORDER_CLOSED',
  'TRADE_STATE_ERROR',
]);

function pendingUnlessBug<T>(error: unknown): TillState<T> {
  if (error instanceof WechatPayError) return { state: 'pending' };
  throw error;
}

function unknownMessage(reason: string): string {
  return `the payment's outcome is unknown (${reason}): query the order, and reverse it if it is not paid, before charging the payer again`;
}

/**
 * The schedule with the defaults filled in.
 * @throws WechatPayValidationError for a time that is not a whole number of ms ≥ 0, or fewer
 *   than one reversal
 */
function scheduleOf(options: TillSchedule): Required<TillSchedule> {
  const schedule = { ...TILL_SCHEDULE };
  const problems = [];
  for (const key of Object.keys(TILL_SCHEDULE) as (keyof TillSchedule)[]) {
    const value = options[key];
    if (value === undefined) continue;
    const least = key === 'reverseAttempts' ? 1 : 0;
    if (!Number.isSafeInteger(value) || value < least) {
      problems.push({
        field: key,
        message:
          key === 'reverseAttempts'
            ? 'must be a whole number of reversals, at least 1'
            : 'must be a whole number of milliseconds, 0 or more',
      });
    }
    schedule[key] = value;
  }
  if (problems.length) throw new WechatPayValidationError('till schedule', problems);
  return schedule;
}
