import { describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import {
  BullmqReconciliationScheduler,
  BullmqRecoveryScheduler,
  resolveWechatPayConfig,
  type WechatPayConfigError,
  type WechatPayOptions,
  wechatPayOptionsFromEnv,
} from '../../../../lib/index.js';
import { createTestMerchant } from '../../../../lib/testing/index.js';

const merchant = createTestMerchant();

function problemsOf(options: WechatPayOptions): WechatPayConfigError['problems'] {
  try {
    resolveWechatPayConfig(options);
  } catch (error) {
    return (error as WechatPayConfigError).problems;
  }
  throw new Error('expected a WechatPayConfigError');
}

describe('options of the daily reconciliation job', () => {
  it('default to 10:30 China time, retried every 30 min, on in-process timers', () => {
    const config = resolveWechatPayConfig(merchant.options);
    expect(config.reconciliationTime).toBe('10:30');
    expect(config.reconciliationRetryMs).toBe(1_800_000);
    expect(config.reconciliationScheduler).toBeUndefined();
  });

  it('are read from WECHATPAY_RECONCILIATION_TIME and WECHATPAY_RECONCILIATION_RETRY_MS', () => {
    const options = wechatPayOptionsFromEnv({
      WECHATPAY_MCHID: merchant.mchid,
      WECHATPAY_RECONCILIATION_TIME: '11:05',
      WECHATPAY_RECONCILIATION_RETRY_MS: '600000',
    });
    expect(options).toMatchObject({ reconciliationTime: '11:05', reconciliationRetryMs: 600_000 });
  });

  it('refuse a time that is not HH:mm and a scheduler that is not one, saying what to give', () => {
    for (const reconciliationTime of ['10:30am', '24:00', '9:30']) {
      expect(problemsOf({ ...merchant.options, reconciliationTime })).toEqual([
        { field: 'reconciliationTime', message: 'must be HH:mm China time, 00:00 to 23:59' },
      ]);
    }
    expect(problemsOf({ ...merchant.options, reconciliationScheduler: {} as never })).toEqual([
      {
        field: 'reconciliationScheduler',
        message:
          'must be a ReconciliationScheduler: an object with start and stop (BullmqReconciliationScheduler)',
      },
    ]);
    expect(problemsOf({ ...merchant.options, reconciliationRetryMs: 1 })).toMatchObject([
      { field: 'reconciliationRetryMs' },
    ]);
  });
  it("refuse the recovery scheduler's BullMQ queue: each worker would take the other's jobs", () => {
    // The schedulers only keep the queue until started; nothing connects here.
    const queue = (name: string, prefix?: string) =>
      ({ name, opts: prefix === undefined ? {} : { prefix } }) as unknown as Queue;
    const schedulers = (a: Queue, b: Queue) => ({
      ...merchant.options,
      recovery: true,
      recoveryScheduler: new BullmqRecoveryScheduler(a),
      reconciliationScheduler: new BullmqReconciliationScheduler(b),
    });
    expect(problemsOf(schedulers(queue('wechatpay'), queue('wechatpay', 'bull')))).toEqual([
      {
        field: 'reconciliationScheduler',
        message: expect.stringMatching(
          /recovery scheduler's BullMQ queue \(bull:wechatpay\): give it a queue of its own/,
        ),
      },
    ]);
    expect(() =>
      resolveWechatPayConfig(schedulers(queue('wechatpay'), queue('wechatpay', 'other'))),
    ).not.toThrow();
    expect(() =>
      resolveWechatPayConfig(schedulers(queue('recovery'), queue('reconciliation'))),
    ).not.toThrow();
  });
});
