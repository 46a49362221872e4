import { describeError } from '../notify/lease-renewer.js';
import type { RecoverySchedulerHealth } from '../recovery/scheduler-health.js';
import { latestSlot, nextSlot, type ReconciliationDayTask } from './daily-schedule.js';
import type { ReconciliationJob, ReconciliationScheduler } from './reconciliation-scheduler.js';

/** Options of {@link EmbeddedReconciliationScheduler}. */
export interface EmbeddedReconciliationSchedulerOptions {
  /**
   * The clock the slots are computed from, epoch ms: tests move it to make a slot due now.
   * @default Date.now
   */
  now?: () => number;
  /** Receives unexpected failures. @default console */
  logger?: { error(message: string): void };
}

/**
 * The daily job on in-process timers, for one instance: a timer for the next slot (re-armed
 * each day) and one per day being retried. Started after the day's slot (a deploy or a restart
 * at 11:00), it catches the day up at once; whether it was already reconciled is known from the
 * idempotency store (`DailyReconciliation` runs each day under an exactly-once key), so a
 * restart does not reconcile a day twice when that store survives restarts (Redis). With the
 * default memory store, a restart after the slot reconciles yesterday again.
 */
export class EmbeddedReconciliationScheduler implements ReconciliationScheduler {
  private job: ReconciliationJob | undefined;
  private dailyTimer: NodeJS.Timeout | undefined;
  private nextRunAt: number | undefined;
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly options: EmbeddedReconciliationSchedulerOptions = {}) {
    this.now = options.now ?? (() => Date.now());
  }

  async start(job: ReconciliationJob): Promise<void> {
    this.job = job;
    const now = this.now();
    const latest = job.taskFor(latestSlot(now, job.minuteOfDay));
    // The latest slot's day has not ended: today's slot passed, maybe while no instance ran.
    if (now < latest.cutOffAt) this.arm(latest);
    this.armDaily(nextSlot(now, job.minuteOfDay));
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.job = undefined;
    clearTimeout(this.dailyTimer);
    this.dailyTimer = undefined;
    this.nextRunAt = undefined;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    await Promise.all(this.running);
  }

  /** Healthy when started; says when the next day's job runs. */
  health(): Promise<RecoverySchedulerHealth> {
    if (!this.job || this.nextRunAt === undefined) {
      return Promise.resolve({
        healthy: false,
        message: 'the reconciliation scheduler is not running',
      });
    }
    return Promise.resolve({
      healthy: true,
      nextRunAt: new Date(this.nextRunAt).toISOString(),
      retrying: this.retries.size,
    });
  }

  private armDaily(slot: number): void {
    this.nextRunAt = slot;
    this.dailyTimer = this.timer(slot, () => {
      const job = this.job;
      if (!job) return;
      if (this.now() < slot) return this.armDaily(slot); // a timer that fired early
      this.armDaily(nextSlot(slot, job.minuteOfDay));
      this.track(this.fire(job.taskFor(slot)));
    });
  }

  private arm(task: ReconciliationDayTask): void {
    clearTimeout(this.retries.get(task.date));
    this.retries.set(
      task.date,
      this.timer(task.dueAt, () => {
        this.retries.delete(task.date);
        if (this.now() < task.dueAt) return this.arm(task);
        this.track(this.fire(task));
      }),
    );
  }

  private async fire(task: ReconciliationDayTask): Promise<void> {
    const job = this.job;
    if (!job) return;
    try {
      const next = await job.run(task, this.now());
      if (next && this.job) this.arm(next);
    } catch (error) {
      // run() does not reject; this keeps a broken job from failing the process.
      (this.options.logger ?? console).error(
        `reconciliation of ${task.date}: ${describeError(error)}`,
      );
    }
  }

  private track(run: Promise<void>): void {
    const tracked = run.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** A timer at `at` on this scheduler's clock; it does not keep the process alive. */
  private timer(at: number, fire: () => void): NodeJS.Timeout {
    const timer = setTimeout(fire, Math.max(at - this.now(), 0));
    timer.unref();
    return timer;
  }
}
