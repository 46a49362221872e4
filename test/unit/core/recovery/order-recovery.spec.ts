import { describe, expect, it } from 'vitest';
import { WechatPayApiError } from '../../../../lib/core/errors.js';
import { NotificationDeduplicator } from '../../../../lib/core/notify/notification-deduplicator.js';
import {
  OrderRecovery,
  type RecoveryOrderApi,
} from '../../../../lib/core/recovery/order-recovery.js';
import { nextDueAt, orderExpiry } from '../../../../lib/core/recovery/recovery-schedule.js';
import type {
  RecoveryOutcome,
  RecoveryTask,
} from '../../../../lib/core/recovery/recovery.types.js';
import { MemoryIdempotencyStore } from '../../../../lib/index.js';

const timings = { scheduleMs: [15_000, 30_000, 60_000], intervalMs: 600_000 };
const quiet = { warn: () => undefined, error: () => undefined };

function task(fields: Partial<RecoveryTask> = {}): RecoveryTask {
  return {
    id: '1:v3:O1',
    version: 'v3',
    mchid: '1',
    outTradeNo: 'O1',
    createdAt: 0,
    expiresAt: 7_200_000,
    attempt: 0,
    dueAt: 15_000,
    ...fields,
  };
}

function recovery(api: RecoveryOrderApi) {
  const outcomes: RecoveryOutcome[] = [];
  const handled: unknown[] = [];
  const engine = new OrderRecovery(
    {
      api,
      deduplicator: new NotificationDeduplicator(new MemoryIdempotencyStore(), { logger: quiet }),
      mchid: '1',
      timings,
      logger: quiet,
    },
    { handler: (n) => void handled.push(n.payload), onOutcome: (o) => void outcomes.push(o) },
  );
  return { engine, outcomes, handled };
}

describe('the recovery schedule', () => {
  it('follows the schedule, then the interval, and never goes past the expiry', () => {
    expect(nextDueAt(task({ attempt: 0 }), timings, 0)).toBe(15_000);
    expect(nextDueAt(task({ attempt: 2 }), timings, 0)).toBe(60_000);
    expect(nextDueAt(task({ attempt: 3 }), timings, 0)).toBe(660_000);
    expect(nextDueAt(task({ attempt: 4 }), timings, 0)).toBe(1_260_000);
    expect(nextDueAt(task({ attempt: 40 }), timings, 0)).toBe(7_200_000);
  });

  it('reads time_expire in v3 (RFC 3339) and v2 (yyyyMMddHHmmss, China time), else 2 hours', () => {
    expect(orderExpiry('2026-06-08T10:34:56+08:00', 0, 1)).toBe(Date.parse('2026-06-08T02:34:56Z'));
    expect(orderExpiry('20260608103456', 0, 1)).toBe(Date.parse('2026-06-08T02:34:56Z'));
    expect(orderExpiry(undefined, 1000, 7_200_000)).toBe(7_201_000);
  });
});

describe('OrderRecovery', () => {
  it('an unpaid order is queried again at the next slot', async () => {
    const { engine, outcomes } = recovery({
      query: () => Promise.resolve({ trade_state: 'NOTPAY' }),
      close: () => Promise.resolve(),
    });
    const next = await engine.step(task(), 15_000);
    expect(next).toMatchObject({ attempt: 1, dueAt: 30_000, lastState: 'NOTPAY' });
    expect(outcomes).toEqual([]);
  });

  it('a payment whose handler fails is retried, never reported paid', async () => {
    const api = {
      query: () => Promise.resolve({ out_trade_no: 'O1', trade_state: 'SUCCESS' }),
      close: () => Promise.resolve(),
    };
    const outcomes: RecoveryOutcome[] = [];
    let calls = 0;
    const engine = new OrderRecovery(
      {
        api,
        deduplicator: new NotificationDeduplicator(new MemoryIdempotencyStore(), { logger: quiet }),
        mchid: '1',
        timings,
        logger: quiet,
      },
      {
        handler: () => {
          calls += 1;
          if (calls === 1) throw new Error('database down');
        },
        onOutcome: (o) => void outcomes.push(o),
      },
    );
    const retry = await engine.step(task(), 15_000);
    expect(retry).toBeDefined();
    expect(outcomes).toEqual([]);
    expect(await engine.step(retry!, retry!.dueAt)).toBeUndefined();
    expect(calls).toBe(2);
    expect(outcomes).toMatchObject([{ type: 'PAID', handledBy: 'recovery' }]);
  });

  it('an order whose close keeps failing and that stays unknown asks a person', async () => {
    const { engine, outcomes } = recovery({
      query: () => Promise.reject(new Error('connect ECONNREFUSED')),
      close: () => Promise.reject(new Error('connect ECONNREFUSED')),
    });
    let current: RecoveryTask | undefined = task({ dueAt: 7_200_000 });
    let steps = 0;
    while (current && steps < 20) {
      current = await engine.step(current, Math.max(current.dueAt, 7_200_000));
      steps += 1;
    }
    expect(current).toBeUndefined();
    expect(steps).toBeLessThan(10);
    expect(outcomes).toMatchObject([
      {
        type: 'NEEDS_ATTENTION',
        order: { outTradeNo: 'O1' },
        reason: expect.stringContaining('query failed'),
      },
    ]);
  });

  it('a close refused as ORDERPAID runs the paid path, marked paid at close', async () => {
    const { engine, outcomes, handled } = recovery({
      query: () => Promise.resolve({ out_trade_no: 'O1', trade_state: 'SUCCESS' }),
      close: () =>
        Promise.reject(
          new WechatPayApiError({ status: 400, code: 'ORDERPAID', message: '订单已支付' }),
        ),
    });
    expect(await engine.step(task({ dueAt: 7_200_000 }), 7_200_000)).toBeUndefined();
    expect(handled).toHaveLength(1);
    expect(outcomes).toMatchObject([{ type: 'PAID', paidAtClose: true }]);
  });
});
