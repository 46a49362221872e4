import { describe, expect, it } from 'vitest';
import { PaymentRecovery } from '../../../../lib/core/recovery/payment-recovery.js';
import { MemoryRecoveryStore } from '../../../../lib/core/recovery/recovery-store.js';
import type { RecoveryScheduler } from '../../../../lib/core/recovery/recovery-scheduler.js';
import type { RecoveryTask } from '../../../../lib/core/recovery/recovery.types.js';

const quiet = { warn: () => undefined, error: () => undefined };

/** A PaymentRecovery (recovery on) whose scheduler only records what it is given. */
function tracker() {
  const scheduled: RecoveryTask[] = [];
  const scheduler: RecoveryScheduler = {
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    schedule: (task) => {
      scheduled.push(task);
      return Promise.resolve();
    },
  };
  const recovery = new PaymentRecovery({
    config: {
      recovery: true,
      recoverySchedule: [15_000],
      recoveryIntervalMs: 600_000,
      recoveryDefaultExpiryMs: 7_200_000,
      recoveryStore: new MemoryRecoveryStore(),
      recoveryScheduler: scheduler,
    },
    mchid: '1900000001',
    api: {
      query: () => Promise.reject(new Error('unused')),
      close: () => Promise.reject(new Error('unused')),
    },
    deduplicator: { run: () => Promise.reject(new Error('unused')) },
    logger: quiet,
  });
  return { recovery, scheduled };
}

describe('PaymentRecovery.track', () => {
  it('keeps of a combine order what its close names, and nothing of the rest of the prepay', async () => {
    const { recovery, scheduled } = tracker();
    await recovery.track({
      version: 'v3',
      outTradeNo: 'CART001',
      timeExpire: '2026-06-08T10:34:56+08:00',
      combine: {
        combineAppid: 'wxd678efh567hg6787',
        subOrders: [
          {
            mchid: '1900000001',
            out_trade_no: 'CART001A',
            description: 'Coffee',
            amount: { total_amount: 1800 },
          },
          {
            mchid: '1900000001',
            out_trade_no: 'CART001B',
            sub_mchid: '1900000109',
            sub_appid: 'wx88',
          },
        ] as never,
      },
    });
    expect(scheduled[0]).toMatchObject({
      id: '1900000001:v3-combine:CART001',
      kind: 'combine',
      version: 'v3',
      outTradeNo: 'CART001',
      combineAppid: 'wxd678efh567hg6787',
      expiresAt: Date.parse('2026-06-08T02:34:56Z'),
    });
    expect(scheduled[0]!.subOrders).toEqual([
      { mchid: '1900000001', out_trade_no: 'CART001A' },
      { mchid: '1900000001', out_trade_no: 'CART001B', sub_mchid: '1900000109', sub_appid: 'wx88' },
    ]);
  });

  it('a refund is watched by its out_refund_no for DEFAULT_REFUND_WATCH_MS', async () => {
    const { recovery, scheduled } = tracker();
    const before = Date.now();
    await recovery.track({
      version: 'v3',
      outTradeNo: 'ORDER1',
      subMchid: '1900000109',
      refund: { outRefundNo: 'REFUND1' },
    });
    expect(scheduled[0]).toMatchObject({
      id: '1900000001:1900000109:v3-refund:REFUND1',
      kind: 'refund',
      outRefundNo: 'REFUND1',
      outTradeNo: 'ORDER1',
    });
    expect(scheduled[0]!.expiresAt - before).toBeGreaterThanOrEqual(7 * 24 * 3_600_000);
  });

  it("combine and refund tasks never share a BullMQ job id (':' → '_') with an ordinary order", async () => {
    const { recovery, scheduled } = tracker();
    await recovery.track({ version: 'v3', outTradeNo: 'combine_C00001' });
    await recovery.track({ version: 'v3', outTradeNo: 'refund_R00001' });
    await recovery.track({
      version: 'v3',
      outTradeNo: 'C00001',
      combine: { combineAppid: 'wx', subOrders: [] },
    });
    await recovery.track({ version: 'v3', outTradeNo: 'O1', refund: { outRefundNo: 'R00001' } });
    const jobIds = scheduled.map((task) => task.id.replaceAll(':', '_'));
    expect(new Set(jobIds).size).toBe(4);
  });

  it('an ordinary order keeps the task shape of earlier versions (no kind)', async () => {
    const { recovery, scheduled } = tracker();
    await recovery.track({ version: 'v2', outTradeNo: 'ORDER2' });
    expect(scheduled[0]).not.toHaveProperty('kind');
    expect(scheduled[0]!.id).toBe('1900000001:v2:ORDER2');
  });
});
