import { describe, expect, it } from 'vitest';
import { businessEventKey } from '../../../../lib/core/notify/business-key.js';
import { NotificationDeduplicator } from '../../../../lib/core/notify/notification-deduplicator.js';
import type { VerifiedNotification } from '../../../../lib/core/notify/notification.types.js';
import {
  OrderRecovery,
  type RecoveryHandlers,
  type RecoveryOrderApi,
} from '../../../../lib/core/recovery/order-recovery.js';
import type {
  RecoveryOutcome,
  RecoveryTask,
} from '../../../../lib/core/recovery/recovery.types.js';
import { MemoryIdempotencyStore } from '../../../../lib/index.js';

const timings = { scheduleMs: [15_000, 30_000, 60_000], intervalMs: 600_000 };
const quiet = { warn: () => undefined, error: () => undefined };
const WATCH_END = 604_800_000;

function refundTask(fields: Partial<RecoveryTask> = {}): RecoveryTask {
  return {
    id: '1:v3-refund:R1',
    kind: 'refund',
    version: 'v3',
    mchid: '1',
    outTradeNo: 'O1',
    outRefundNo: 'R1',
    createdAt: 0,
    expiresAt: WATCH_END,
    attempt: 0,
    dueAt: 15_000,
    ...fields,
  };
}

/** A v3 `Refund` as the refund query answers it. */
function refundAnswer(status: string): Record<string, unknown> {
  return {
    refund_id: '50000000382019052709732678859',
    out_refund_no: 'R1',
    transaction_id: '1217752501201407033233368018',
    out_trade_no: 'O1',
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    create_time: '2026-06-08T10:34:56+08:00',
    ...(status === 'SUCCESS' ? { success_time: '2026-06-08T10:35:56+08:00' } : {}),
    status,
    funds_account: 'UNSETTLED',
    amount: {
      total: 300,
      refund: 100,
      payer_total: 300,
      payer_refund: 100,
      settlement_refund: 100,
      settlement_total: 300,
      discount_refund: 0,
      currency: 'CNY',
    },
  };
}

function recovery(
  queryRefund: RecoveryOrderApi['queryRefund'],
  events: (keyof NonNullable<RecoveryHandlers['refundHandlers']>)[] = [
    'REFUND.SUCCESS',
    'REFUND.CLOSED',
    'REFUND.ABNORMAL',
  ],
  handle: (n: VerifiedNotification<Record<string, unknown>>) => unknown = () => undefined,
) {
  const outcomes: RecoveryOutcome[] = [];
  const handled: VerifiedNotification<Record<string, unknown>>[] = [];
  const deduplicator = new NotificationDeduplicator(new MemoryIdempotencyStore(), {
    logger: quiet,
  });
  const payments: unknown[] = [];
  const engine = new OrderRecovery(
    {
      api: {
        query: () => Promise.reject(new Error('orders are not queried for a refund')),
        close: () => Promise.reject(new Error('a refund is never closed')),
        queryRefund,
      },
      deduplicator,
      mchid: '1',
      timings,
      logger: quiet,
    },
    {
      handler: (n) => void payments.push(n),
      refundHandlers: Object.fromEntries(
        events.map((event) => [
          event,
          (n: VerifiedNotification<Record<string, unknown>>) => {
            handled.push(n);
            return handle(n);
          },
        ]),
      ),
      onOutcome: (o) => void outcomes.push(o),
    },
  );
  return { engine, outcomes, handled, deduplicator, payments };
}

describe('OrderRecovery of a refund', () => {
  it('a refund still PROCESSING is queried again at the next slot, never closed', async () => {
    const { engine, outcomes, handled } = recovery(() =>
      Promise.resolve(refundAnswer('PROCESSING')),
    );
    const next = await engine.step(refundTask(), 15_000);
    expect(next).toMatchObject({
      attempt: 1,
      dueAt: 30_000,
      lastState: 'PROCESSING',
      kind: 'refund',
    });
    expect(handled).toEqual([]);
    expect(outcomes).toEqual([]);
  });

  it('a refund that succeeded runs the REFUND.SUCCESS handler with the notification shape, under the refund notification key', async () => {
    const { engine, outcomes, handled, deduplicator, payments } = recovery(() =>
      Promise.resolve(refundAnswer('SUCCESS')),
    );
    expect(await engine.step(refundTask(), 15_000)).toBeUndefined();
    expect(payments).toEqual([]);
    expect(handled).toHaveLength(1);
    const [notification] = handled;
    expect(notification!.envelope).toMatchObject({
      event_type: 'REFUND.SUCCESS',
      resource_type: 'recovery',
    });
    expect(notification!.payload).toEqual({
      mchid: '1',
      out_trade_no: 'O1',
      transaction_id: '1217752501201407033233368018',
      out_refund_no: 'R1',
      refund_id: '50000000382019052709732678859',
      refund_status: 'SUCCESS',
      success_time: '2026-06-08T10:35:56+08:00',
      user_received_account: '支付用户零钱',
      amount: { total: 300, refund: 100, payer_total: 300, payer_refund: 100 },
    });
    const key = businessEventKey('1', notification!);
    expect(key).toBe('1:refund:R1:SUCCESS');
    const late = await deduplicator.run(key, () => {
      throw new Error('ran twice');
    });
    expect(late.status).toBe('already-handled');
    expect(outcomes).toMatchObject([
      {
        type: 'REFUND',
        status: 'SUCCESS',
        handledBy: 'recovery',
        order: { kind: 'refund', outRefundNo: 'R1', outTradeNo: 'O1' },
      },
    ]);
  });

  it("in partner mode the payload names sp_mchid and sub_mchid, and the key the sub-merchant, as the notification's do", async () => {
    const { engine, handled } = recovery(() => Promise.resolve(refundAnswer('CLOSED')));
    await engine.step(refundTask({ id: '1:9:v3-refund:R1', subMchid: '9' }), 15_000);
    expect(handled[0]!.envelope.event_type).toBe('REFUND.CLOSED');
    expect(handled[0]!.payload).toMatchObject({
      sp_mchid: '1',
      sub_mchid: '9',
      refund_status: 'CLOSED',
    });
    expect(handled[0]!.payload).not.toHaveProperty('mchid');
    expect(businessEventKey('1', handled[0]!)).toBe('1:9:refund:R1:CLOSED');
  });

  it('each end runs the handler of its own event; without one the end is only reported', async () => {
    const abnormal = recovery(() => Promise.resolve(refundAnswer('ABNORMAL')), ['REFUND.SUCCESS']);
    expect(await abnormal.engine.step(refundTask(), 15_000)).toBeUndefined();
    expect(abnormal.handled).toEqual([]);
    expect(abnormal.outcomes).toMatchObject([
      { type: 'REFUND', status: 'ABNORMAL', handledBy: 'none' },
    ]);
    // Nothing was claimed: a handler added later still gets the real notification.
    const later = await abnormal.deduplicator.run('1:refund:R1:ABNORMAL', () => undefined);
    expect(later.status).toBe('handled');

    const routed = recovery(() => Promise.resolve(refundAnswer('ABNORMAL')), ['REFUND.ABNORMAL']);
    await routed.engine.step(refundTask(), 15_000);
    expect(routed.handled.map((n) => n.envelope.event_type)).toEqual(['REFUND.ABNORMAL']);
  });

  it('a failing refund handler is retried, never reported handled', async () => {
    let calls = 0;
    const { engine, outcomes } = recovery(
      () => Promise.resolve(refundAnswer('SUCCESS')),
      undefined,
      () => {
        calls += 1;
        if (calls === 1) throw new Error('database down');
      },
    );
    const retry = await engine.step(refundTask(), 15_000);
    expect(retry).toBeDefined();
    expect(outcomes).toEqual([]);
    expect(await engine.step(retry!, retry!.dueAt)).toBeUndefined();
    expect(calls).toBe(2);
    expect(outcomes).toMatchObject([{ type: 'REFUND', handledBy: 'recovery' }]);
  });

  it('a refund still PROCESSING at the end of the watch asks a person', async () => {
    const { engine, outcomes } = recovery(() => Promise.resolve(refundAnswer('PROCESSING')));
    expect(await engine.step(refundTask({ attempt: 40 }), WATCH_END)).toBeUndefined();
    expect(outcomes).toMatchObject([
      {
        type: 'NEEDS_ATTENTION',
        order: { kind: 'refund', outRefundNo: 'R1' },
        lastState: 'PROCESSING',
        reason: expect.stringContaining('still PROCESSING'),
      },
    ]);
  });
});
