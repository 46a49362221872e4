import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ReconciliationDayTask,
  taskForSlot,
} from '../../../../lib/core/reconciliation/daily-schedule.js';
import { EmbeddedReconciliationScheduler } from '../../../../lib/core/reconciliation/embedded-reconciliation-scheduler.js';
import type { ReconciliationJob } from '../../../../lib/core/reconciliation/reconciliation-scheduler.js';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** A job that records its runs; `retries` says how many times each day asks to be retried. */
function recordingJob(retries = 0, retryMs = 30 * MIN) {
  const runs: { date: string; attempt: number; at: string }[] = [];
  const job: ReconciliationJob = {
    minuteOfDay: 10 * 60 + 30,
    taskFor: taskForSlot,
    run: (task: ReconciliationDayTask, now: number) => {
      runs.push({ date: task.date, attempt: task.attempt, at: new Date(now).toISOString() });
      return Promise.resolve(
        task.attempt < retries
          ? { ...task, attempt: task.attempt + 1, dueAt: now + retryMs }
          : undefined,
      );
    },
  };
  return { job, runs };
}

// Fake timers: the clock and the timers move only when the test says, so nothing depends on
// how loaded the machine is.
describe('EmbeddedReconciliationScheduler', () => {
  let scheduler: EmbeddedReconciliationScheduler;
  beforeEach(() => {
    vi.useFakeTimers();
    scheduler = new EmbeddedReconciliationScheduler();
  });
  afterEach(async () => {
    await scheduler.stop();
    vi.useRealTimers();
  });

  it('started before the slot: runs yesterday at 10:30 China time, then every day', async () => {
    vi.setSystemTime(at('2026-06-09T01:00:00Z')); // 09:00 China time
    const { job, runs } = recordingJob();
    await scheduler.start(job);
    await vi.advanceTimersByTimeAsync(89 * MIN);
    expect(runs).toEqual([]);
    expect(await scheduler.health()).toMatchObject({
      healthy: true,
      nextRunAt: '2026-06-09T02:30:00.000Z',
    });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(runs).toEqual([{ date: '2026-06-08', attempt: 0, at: '2026-06-09T02:30:00.000Z' }]);
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(runs.map((r) => r.date)).toEqual(['2026-06-08', '2026-06-09']);
    expect(runs[1]!.at).toBe('2026-06-10T02:30:00.000Z');
  });

  it('started after the slot: catches yesterday up at once', async () => {
    vi.setSystemTime(at('2026-06-09T05:00:00Z')); // 13:00 China time
    const { job, runs } = recordingJob();
    await scheduler.start(job);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([{ date: '2026-06-08', attempt: 0, at: '2026-06-09T05:00:00.000Z' }]);
    expect(await scheduler.health()).toMatchObject({ nextRunAt: '2026-06-10T02:30:00.000Z' });
  });

  it('started after midnight China time, before the slot: no catch-up of the day before', async () => {
    vi.setSystemTime(at('2026-06-08T16:30:00Z')); // 00:30 China time on 06-09
    const { job, runs } = recordingJob();
    await scheduler.start(job);
    await vi.advanceTimersByTimeAsync(9 * HOUR + 59 * MIN);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(MIN);
    expect(runs).toEqual([{ date: '2026-06-08', attempt: 0, at: '2026-06-09T02:30:00.000Z' }]);
  });

  it('runs the retries a day asks for, when they are due', async () => {
    vi.setSystemTime(at('2026-06-09T02:29:00Z'));
    const { job, runs } = recordingJob(2);
    await scheduler.start(job);
    await vi.advanceTimersByTimeAsync(MIN + 29 * MIN);
    expect(runs.map((r) => r.attempt)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(MIN);
    expect(runs.map((r) => r.attempt)).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(30 * MIN);
    expect(runs).toEqual([
      { date: '2026-06-08', attempt: 0, at: '2026-06-09T02:30:00.000Z' },
      { date: '2026-06-08', attempt: 1, at: '2026-06-09T03:00:00.000Z' },
      { date: '2026-06-08', attempt: 2, at: '2026-06-09T03:30:00.000Z' },
    ]);
  });

  it('takes its clock from `now`: a clock a day ahead makes today the day reconciled', async () => {
    vi.setSystemTime(at('2026-06-09T05:00:00Z'));
    scheduler = new EmbeddedReconciliationScheduler({ now: () => Date.now() + 24 * HOUR });
    const { job, runs } = recordingJob();
    await scheduler.start(job);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.date)).toEqual(['2026-06-09']);
  });

  it('stops: no timer fires after stop, and health says it is not running', async () => {
    vi.setSystemTime(at('2026-06-09T01:00:00Z'));
    const { job, runs } = recordingJob();
    await scheduler.start(job);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(48 * HOUR);
    expect(runs).toEqual([]);
    expect(await scheduler.health()).toMatchObject({ healthy: false });
  });
});
