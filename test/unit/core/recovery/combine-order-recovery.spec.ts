import { describe, expect, it } from 'vitest';
import { WechatPayApiError } from '../../../../lib/core/errors.js';
import { businessEventKey } from '../../../../lib/core/notify/business-key.js';
import { NotificationDeduplicator } from '../../../../lib/core/notify/notification-deduplicator.js';
import type { VerifiedNotification } from '../../../../lib/core/notify/notification.types.js';
import {
  OrderRecovery,
  type RecoveryOrderApi,
} from '../../../../lib/core/recovery/order-recovery.js';
import type {
  RecoveryOutcome,
  RecoveryTask,
} from '../../../../lib/core/recovery/recovery.types.js';
import { MemoryIdempotencyStore } from '../../../../lib/index.js';

const timings = { scheduleMs: [15_000, 30_000, 60_000], intervalMs: 600_000 };
const quiet = { warn: () => undefined, error: () => undefined };
const SUB_ORDERS = [
  { mchid: '1', out_trade_no: 'C1A' },
  { mchid: '1', out_trade_no: 'C1B' },
];

function combineTask(fields: Partial<RecoveryTask> = {}): RecoveryTask {
  return {
    id: '1:v3-combine:C1',
    kind: 'combine',
    version: 'v3',
    mchid: '1',
    outTradeNo: 'C1',
    combineAppid: 'wxapp',
    subOrders: SUB_ORDERS,
    createdAt: 0,
    expiresAt: 7_200_000,
    attempt: 0,
    dueAt: 15_000,
    ...fields,
  };
}

function combineAnswer(...states: string[]): Record<string, unknown> {
  return {
    combine_appid: 'wxapp',
    combine_mchid: '1',
    combine_out_trade_no: 'C1',
    sub_orders: states.map((trade_state, i) => ({
      mchid: '1',
      out_trade_no: SUB_ORDERS[i]!.out_trade_no,
      trade_state,
    })),
  };
}

function recovery(api: RecoveryOrderApi, store = new MemoryIdempotencyStore()) {
  const outcomes: RecoveryOutcome[] = [];
  const handled: VerifiedNotification<Record<string, unknown>>[] = [];
  const deduplicator = new NotificationDeduplicator(store, { logger: quiet });
  const engine = new OrderRecovery(
    { api, deduplicator, mchid: '1', timings, logger: quiet },
    { handler: (n) => void handled.push(n), onOutcome: (o) => void outcomes.push(o) },
  );
  return { engine, outcomes, handled, deduplicator };
}

describe('OrderRecovery of a combine order', () => {
  it('every sub-order paid: the payment handler gets the combine order as its notification would carry it, under the combine notification key', async () => {
    const answer = combineAnswer('SUCCESS', 'SUCCESS');
    const { engine, outcomes, handled, deduplicator } = recovery({
      query: () => Promise.resolve(answer),
      close: () => Promise.reject(new Error('not expected')),
    });
    expect(await engine.step(combineTask(), 15_000)).toBeUndefined();
    expect(handled).toHaveLength(1);
    expect(handled[0]!.envelope.event_type).toBe('TRANSACTION.SUCCESS');
    expect(handled[0]!.payload).toEqual(answer);
    const key = businessEventKey('1', handled[0]!);
    expect(key).toBe('1:combine:C1:SUCCESS');
    // The real notification, later, is the duplicate.
    const late = await deduplicator.run(key, () => {
      throw new Error('ran twice');
    });
    expect(late.status).toBe('already-handled');
    expect(outcomes).toMatchObject([
      {
        type: 'PAID',
        handledBy: 'recovery',
        order: { kind: 'combine', outTradeNo: 'C1', subOrders: SUB_ORDERS },
        transaction: answer,
      },
    ]);
  });

  it('a combine notification handled first: recovery reports PAID by the notification without running the handler', async () => {
    const store = new MemoryIdempotencyStore();
    const { engine, outcomes, handled, deduplicator } = recovery(
      {
        query: () => Promise.resolve(combineAnswer('SUCCESS', 'SUCCESS')),
        close: () => Promise.resolve(),
      },
      store,
    );
    await deduplicator.run('1:combine:C1:SUCCESS', () => undefined);
    expect(await engine.step(combineTask(), 15_000)).toBeUndefined();
    expect(handled).toHaveLength(0);
    expect(outcomes).toMatchObject([{ type: 'PAID', handledBy: 'notification' }]);
  });

  it('unpaid sub-orders are queried again; at expiry the combine order is closed and CLOSED is told', async () => {
    let closed = false;
    const closes: RecoveryTask[] = [];
    const { engine, outcomes, handled } = recovery({
      query: () =>
        Promise.resolve(
          closed ? combineAnswer('CLOSED', 'CLOSED') : combineAnswer('NOTPAY', 'NOTPAY'),
        ),
      close: (task) => {
        closes.push(task);
        closed = true;
        return Promise.resolve();
      },
    });
    const next = await engine.step(combineTask(), 15_000);
    expect(next).toMatchObject({ attempt: 1, dueAt: 30_000, lastState: 'NOTPAY', kind: 'combine' });
    expect(await engine.step(next!, 7_200_000)).toBeUndefined();
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({
      outTradeNo: 'C1',
      combineAppid: 'wxapp',
      subOrders: SUB_ORDERS,
    });
    expect(handled).toHaveLength(0);
    expect(outcomes).toMatchObject([
      { type: 'CLOSED', order: { kind: 'combine', outTradeNo: 'C1' } },
    ]);
  });

  it('paid between the last query and the close: the close is refused and the paid path runs, marked paid at close', async () => {
    const { engine, outcomes, handled } = recovery({
      query: () => Promise.resolve(combineAnswer('SUCCESS', 'SUCCESS')),
      close: () =>
        Promise.reject(
          new WechatPayApiError({ status: 400, code: 'ORDERPAID', message: '订单已支付' }),
        ),
    });
    expect(await engine.step(combineTask({ dueAt: 7_200_000 }), 7_200_000)).toBeUndefined();
    expect(handled).toHaveLength(1);
    expect(outcomes).toMatchObject([
      { type: 'PAID', paidAtClose: true, order: { kind: 'combine' } },
    ]);
  });

  it('sub-orders that stay mixed after the close are never handled as paid: a person is asked', async () => {
    const { engine, outcomes, handled } = recovery({
      query: () => Promise.resolve(combineAnswer('SUCCESS', 'NOTPAY')),
      close: () =>
        Promise.reject(
          new WechatPayApiError({ status: 400, code: 'ORDERPAID', message: '订单已支付' }),
        ),
    });
    let current: RecoveryTask | undefined = combineTask({ dueAt: 7_200_000 });
    let steps = 0;
    while (current && steps < 20) {
      current = await engine.step(current, Math.max(current.dueAt, 7_200_000));
      steps += 1;
    }
    expect(current).toBeUndefined();
    expect(handled).toHaveLength(0);
    expect(outcomes).toMatchObject([
      {
        type: 'NEEDS_ATTENTION',
        order: { kind: 'combine', outTradeNo: 'C1' },
        lastState: 'MIXED(SUCCESS,NOTPAY)',
      },
    ]);
  });

  it('a task kept by an earlier version (no kind) is recovered as an ordinary order', async () => {
    const queried: RecoveryTask[] = [];
    const { engine, outcomes, handled } = recovery({
      query: (task) => {
        queried.push(task);
        return Promise.resolve({ out_trade_no: 'O1', trade_state: 'SUCCESS' });
      },
      close: () => Promise.resolve(),
    });
    const stored = JSON.parse(
      '{"id":"1:v3:O1","version":"v3","mchid":"1","outTradeNo":"O1","createdAt":0,"expiresAt":7200000,"attempt":0,"dueAt":15000}',
    ) as RecoveryTask;
    expect(await engine.step(stored, 15_000)).toBeUndefined();
    expect(queried[0]!.kind).toBeUndefined();
    expect(businessEventKey('1', handled[0]!)).toBe('1:trade:O1:SUCCESS');
    expect(outcomes).toMatchObject([
      { type: 'PAID', order: { kind: 'payment', outTradeNo: 'O1' } },
    ]);
  });
});
