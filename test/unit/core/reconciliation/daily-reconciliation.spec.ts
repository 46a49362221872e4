import { describe, expect, it, vi } from 'vitest';
import { WechatPayApiError } from '../../../../lib/core/errors.js';
import {
  DailyReconciliation,
  type DailyReconciliationResult,
} from '../../../../lib/core/reconciliation/daily-reconciliation.js';
import type {
  ReconciliationJob,
  ReconciliationScheduler,
} from '../../../../lib/core/reconciliation/reconciliation-scheduler.js';
import type { ReconciliationReport } from '../../../../lib/core/reconciliation/reconciliation.types.js';
import { MemoryIdempotencyStore } from '../../../../lib/core/store/memory-idempotency-store.js';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const SLOT = at('2026-06-09T02:30:00Z'); // 10:30 China time

function reportOf(date: string): ReconciliationReport {
  const totals = { payments: 0, paid: 0, refunds: 0, refunded: 0 };
  return {
    date,
    api: 'v3',
    bill: totals,
    here: totals,
    matched: { payments: 0, refunds: 0 },
    counts: {
      paid_at_wechatpay_not_here: 0,
      paid_here_not_at_wechatpay: 0,
      amount_mismatch: 0,
      refund_mismatch: 0,
    },
    differences: [],
    truncated: false,
  };
}

const notReady = () =>
  new WechatPayApiError({ status: 400, code: 'STATEMENT_CREATING', message: '账单生成中' });

/** A job whose bill answers as `answers` say, one per attempt, then a report. */
async function jobWith(answers: (Error | 'ok')[], store = new MemoryIdempotencyStore()) {
  const results: DailyReconciliationResult[] = [];
  const calls: string[] = [];
  const warnings: string[] = [];
  let job: ReconciliationJob | undefined;
  const scheduler: ReconciliationScheduler = {
    start: (j) => {
      job = j;
      return Promise.resolve();
    },
    stop: () => Promise.resolve(),
  };
  const daily = new DailyReconciliation({
    config: {
      reconciliationTime: '10:30',
      reconciliationRetryMs: 30 * MIN,
      reconciliationScheduler: scheduler,
      idempotencyStore: store,
      notificationLeaseMs: 60_000,
      notificationStoreTimeoutMs: 2000,
      hasV3: true,
      subMchid: undefined,
    },
    mchid: '1900000001',
    reconciliation: {
      reconcile: (date) => {
        calls.push(date);
        const answer = answers.shift() ?? 'ok';
        return answer === 'ok' ? Promise.resolve(reportOf(date)) : Promise.reject(answer);
      },
    },
    logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
  });
  await daily.start({
    source: { orders: async function* () {} },
    onResult: (r) => void results.push(r),
  });
  return { daily, job: job!, results, calls, warnings };
}

describe('DailyReconciliation', () => {
  it('starts the scheduler with the configured slot and yesterday as the task', async () => {
    const { job } = await jobWith([]);
    expect(job.minuteOfDay).toBe(630);
    expect(job.taskFor(SLOT).date).toBe('2026-06-08');
  });

  it('reconciles the day once and hands the report to the hook; the same day again is skipped', async () => {
    const { job, results, calls } = await jobWith([]);
    expect(await job.run(job.taskFor(SLOT), SLOT)).toBeUndefined();
    expect(results).toEqual([
      { status: 'reconciled', date: '2026-06-08', attempts: 1, report: reportOf('2026-06-08') },
    ]);
    // A catch-up or a second instance on the same store: nothing runs twice.
    expect(await job.run(job.taskFor(SLOT), SLOT + MIN)).toBeUndefined();
    expect(calls).toEqual(['2026-06-08']);
    expect(results).toHaveLength(1);
  });

  it('tries again later while the bill is not ready (STATEMENT_CREATING), backing off', async () => {
    const { job, results, warnings } = await jobWith([notReady(), notReady()]);
    const first = await job.run(job.taskFor(SLOT), SLOT);
    expect(first).toEqual({ ...job.taskFor(SLOT), attempt: 1, dueAt: SLOT + 30 * MIN });
    expect(warnings[0]).toMatch(/2026-06-08: attempt 1 failed \(.*STATEMENT_CREATING/);
    const second = await job.run(first!, first!.dueAt);
    expect(second).toMatchObject({ attempt: 2, dueAt: first!.dueAt + 60 * MIN });
    expect(results).toEqual([]);
    expect(await job.run(second!, second!.dueAt)).toBeUndefined();
    expect(results).toEqual([
      { status: 'reconciled', date: '2026-06-08', attempts: 3, report: reportOf('2026-06-08') },
    ]);
  });

  it('tells the hook the day failed when no retry fits before the cut-off, and settles the day', async () => {
    const { job, results, calls } = await jobWith([notReady(), notReady()]);
    const task = job.taskFor(SLOT);
    const late = task.cutOffAt - 10 * MIN; // 23:50 China time
    expect(await job.run(task, late)).toBeUndefined();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'failed', date: '2026-06-08', attempts: 1 });
    const error = (results[0] as { error: unknown }).error;
    expect(error).toBeInstanceOf(WechatPayApiError);
    expect((error as WechatPayApiError).code).toBe('STATEMENT_CREATING');
    // Settled: a catch-up does not report the day again.
    expect(await job.run(task, late + MIN)).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('plans the retry from when a long attempt ended: one that failed past the cut-off gives up', async () => {
    const { job, results, calls } = await jobWith([notReady()]);
    const task = job.taskFor(SLOT);
    const clock = vi.spyOn(performance, 'now');
    let elapsed = 0;
    clock.mockImplementation(() => elapsed);
    try {
      // Begun at 10:30 with hours left; the bill took until past midnight China time to fail.
      const long = job.run(task, SLOT);
      elapsed = task.cutOffAt - SLOT + MIN;
      expect(await long).toBeUndefined();
    } finally {
      clock.mockRestore();
    }
    expect(calls).toHaveLength(1);
    expect(results).toEqual([expect.objectContaining({ status: 'failed', attempts: 1 })]);
  });

  it('reconciles again when the hook threw on the report, so the report is not lost', async () => {
    const results: DailyReconciliationResult[] = [];
    const { daily, job } = await jobWith([]);
    await daily.stop();
    let failOnce = true;
    await daily.start({
      source: { orders: async function* () {} },
      onResult: (r) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('mail server down');
        }
        results.push(r);
      },
    });
    const next = await job.run(job.taskFor(SLOT), SLOT);
    expect(next).toMatchObject({ attempt: 1, dueAt: SLOT + 30 * MIN });
    expect(await job.run(next!, next!.dueAt)).toBeUndefined();
    expect(results).toMatchObject([{ status: 'reconciled', attempts: 2 }]);
  });

  it('is not running until started, and says so to the health check', async () => {
    const { daily } = await jobWith([]);
    expect(daily.running).toBe(true);
    expect(await daily.health(100)).toEqual({ healthy: true });
    await daily.stop();
    expect(daily.running).toBe(false);
    expect(await daily.health(100)).toMatchObject({ healthy: false });
  });
});
