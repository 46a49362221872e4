import { describe, expect, it } from 'vitest';
import {
  WechatPayApiError,
  WechatPayNetworkError,
  WechatPayValidationError,
} from '../../../../../lib/core/errors.js';
import type { TillClock } from '../../../../../lib/core/products/code-payments/code-payments.types.js';
import {
  type ReverseAnswer,
  runTill,
  TILL_SCHEDULE,
  type TillState,
} from '../../../../../lib/core/products/code-payments/till-loop.js';

/** A clock that only moves when the loop sleeps, recording every call with its time. */
class FakeClock implements TillClock {
  time = 0;
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.time += ms;
    return Promise.resolve();
  }
}

type Step<T> = T | Error;

/** Till calls that answer from scripts and log `name@time`. */
function till(
  clock: FakeClock,
  script: {
    pay: Step<TillState<string>>;
    query?: Step<TillState<string>>[];
    reverse?: Step<ReverseAnswer>[];
  },
) {
  const log: string[] = [];
  const queries = [...(script.query ?? [])];
  const reversals = [...(script.reverse ?? [])];
  const answer = <T>(name: string, step: Step<T> | undefined, fallback: T): Promise<T> => {
    log.push(`${name}@${clock.time}`);
    const value = step ?? fallback;
    return value instanceof Error ? Promise.reject(value) : Promise.resolve(value);
  };
  return {
    log,
    calls: {
      outTradeNo: 'TILL001',
      pay: () => answer('pay', script.pay, { state: 'pending' }),
      query: () => answer('query', queries.shift(), { state: 'pending' }),
      reverse: () => answer('reverse', reversals.shift(), { state: 'reversed' }),
    },
  };
}

const apiError = (status: number, code: string) =>
  new WechatPayApiError({ status, code, message: code });
const PENDING: TillState<string> = { state: 'pending' };

describe('runTill', () => {
  it('pays at once without a query', async () => {
    const clock = new FakeClock();
    const t = till(clock, { pay: { state: 'paid', transaction: 'T' } });
    expect(await runTill(t.calls, { clock })).toEqual({
      status: 'paid',
      outTradeNo: 'TILL001',
      transaction: 'T',
    });
    expect(t.log).toEqual(['pay@0']);
  });

  it('after USERPAYING queries 5 s later, then every 5 s, until paid', async () => {
    const clock = new FakeClock();
    const t = till(clock, {
      pay: apiError(202, 'USERPAYING'),
      query: [PENDING, PENDING, { state: 'paid', transaction: 'T' }],
    });
    expect((await runTill(t.calls, { clock })).status).toBe('paid');
    expect(t.log).toEqual(['pay@0', 'query@5000', 'query@10000', 'query@15000']);
  });

  it('reverses once after the 45 s deadline, the last query at the deadline', async () => {
    const clock = new FakeClock();
    const t = till(clock, { pay: apiError(202, 'USERPAYING') });
    expect(await runTill(t.calls, { clock })).toEqual({
      status: 'reversed',
      outTradeNo: 'TILL001',
    });
    expect(t.log.filter((l) => l.startsWith('query'))).toHaveLength(9);
    expect(t.log.slice(-2)).toEqual(['query@45000', 'reverse@45000']);
  });

  it('never reverses before reverseNotBeforeMs, even with an earlier deadline', async () => {
    const clock = new FakeClock();
    const t = till(clock, { pay: new WechatPayNetworkError('reset', ['x'], { retrySafe: false }) });
    await runTill(t.calls, { clock, firstQueryAfterMs: 100, deadlineMs: 1000 });
    expect(t.log.at(-1)).toBe(`reverse@${TILL_SCHEDULE.reverseNotBeforeMs}`);
  });

  it('sends the reversal again while it must be retried, then hands over', async () => {
    const clock = new FakeClock();
    const t = till(clock, {
      pay: apiError(500, 'SYSTEM_ERROR'),
      reverse: [{ state: 'again', message: 'recall: Y' }, apiError(500, 'SYSTEM_ERROR')],
    });
    const outcome = await runTill(t.calls, { clock, reverseAttempts: 2 });
    expect(outcome).toMatchObject({ status: 'unknown', outTradeNo: 'TILL001' });
    expect(outcome.status === 'unknown' && outcome.message).toMatch(
      /2 reversals got no final answer; the last: .*SYSTEM_ERROR.*query the order/,
    );
    expect(t.log.slice(-2)).toEqual(['reverse@45000', 'reverse@50000']);
  });

  it('a reversal refused for good is unknown at once; one that finds no order is failed', async () => {
    const clock = new FakeClock();
    const refused = till(clock, {
      pay: apiError(202, 'USERPAYING'),
      reverse: [apiError(403, 'NO_AUTH')],
    });
    expect(await runTill(refused.calls, { clock })).toMatchObject({ status: 'unknown' });
    expect(refused.log.filter((l) => l.startsWith('reverse'))).toHaveLength(1);
    const missing = till(new FakeClock(), {
      pay: apiError(500, 'SYSTEMERROR'),
      reverse: [apiError(200, 'ORDERNOTEXIST')],
    });
    expect(await runTill(missing.calls, { clock: new FakeClock() })).toMatchObject({
      status: 'failed',
      code: 'ORDERNOTEXIST',
    });
  });

  it('query failures keep the loop going; final query states end it', async () => {
    const clock = new FakeClock();
    const t = till(clock, {
      pay: apiError(202, 'USERPAYING'),
      query: [
        apiError(500, 'SYSTEM_ERROR'),
        apiError(404, 'ORDER_NOT_EXIST'),
        { state: 'failed', code: 'PAYERROR', message: '支付失败' },
      ],
    });
    expect(await runTill(t.calls, { clock })).toEqual({
      status: 'failed',
      outTradeNo: 'TILL001',
      code: 'PAYERROR',
      message: '支付失败',
    });
    const reversed = till(new FakeClock(), {
      pay: apiError(202, 'USERPAYING'),
      query: [{ state: 'reversed' }],
    });
    expect((await runTill(reversed.calls, { clock: new FakeClock() })).status).toBe('reversed');
  });

  it('a refused payment fails without a query; nothing sent is a failure the till can retry', async () => {
    const refused = till(new FakeClock(), { pay: apiError(403, 'NOT_ENOUGH') });
    expect(await runTill(refused.calls, { clock: new FakeClock() })).toMatchObject({
      status: 'failed',
      code: 'NOT_ENOUGH',
    });
    expect(refused.log).toEqual(['pay@0']);
    const unsent = till(new FakeClock(), {
      pay: new WechatPayNetworkError('refused', ['x'], {
        mayHaveTakenEffect: false,
        retrySafe: true,
      }),
    });
    expect(await runTill(unsent.calls, { clock: new FakeClock() })).toMatchObject({
      status: 'failed',
      code: 'NOT_SENT',
    });
  });

  it('rethrows an invalid payment and bugs, and refuses an invalid schedule', async () => {
    const invalid = new WechatPayValidationError('code payment', [{ field: 'x', message: 'y' }]);
    await expect(runTill(till(new FakeClock(), { pay: invalid }).calls)).rejects.toBe(invalid);
    const bug = new TypeError('boom');
    await expect(runTill(till(new FakeClock(), { pay: bug }).calls)).rejects.toBe(bug);
    const error = await runTill(till(new FakeClock(), { pay: PENDING }).calls, {
      queryIntervalMs: -1,
      reverseAttempts: 0,
      deadlineMs: 1.5,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayValidationError);
    expect((error as WechatPayValidationError).problems.map((p) => p.field)).toEqual([
      'queryIntervalMs',
      'deadlineMs',
      'reverseAttempts',
    ]);
  });
});
