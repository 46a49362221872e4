import type { RecoverySchedulerHealth } from '../recovery/scheduler-health.js';
import type { ReconciliationDayTask } from './daily-schedule.js';

/**
 * The daily job as a scheduler drives it: when it is due each day, the task of a day, and one
 * attempt. `DailyReconciliation` is the one implementation.
 */
export interface ReconciliationJob {
  /** The daily slot, in minutes after 00:00 China time (the `reconciliationTime` option). */
  readonly minuteOfDay: number;
  /** The task of the job run at `slot` (epoch ms): it reconciles the China day before. */
  taskFor(slot: number): ReconciliationDayTask;
  /**
   * Makes one attempt of `task` at `now` (skipped when the day was already reconciled). Never
   * rejects.
   * @returns the task with its next attempt's `dueAt`, or undefined when the day is settled
   *   (reconciled, or given up at the cut-off and reported to the hook)
   */
  run(task: ReconciliationDayTask, now: number): Promise<ReconciliationDayTask | undefined>;
}

/**
 * Where the daily reconciliation job runs: `EmbeddedReconciliationScheduler` (in-process timers,
 * one instance) or `BullmqReconciliationScheduler` (a BullMQ job scheduler on Redis: each day's
 * job runs on one of any number of instances).
 */
export interface ReconciliationScheduler {
  /** Starts running `job` every day (and catches up a missed day where the scheduler can). */
  start(job: ReconciliationJob): Promise<void>;
  /** Stops; an attempt in flight finishes first. */
  stop(): Promise<void>;
  /**
   * Whether it runs and reaches where it keeps its schedule within `timeoutMs`: the
   * `reconciliation` check of `checkWechatPayHealth`. Optional.
   */
  health?(timeoutMs: number): Promise<RecoverySchedulerHealth>;
}
