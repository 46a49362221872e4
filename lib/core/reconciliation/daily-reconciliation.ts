import type { WechatPayConfig } from '../config/resolve-config.js';
import { describeError } from '../notify/lease-renewer.js';
import { NotificationDeduplicator } from '../notify/notification-deduplicator.js';
import type { RecoverySchedulerHealth } from '../recovery/scheduler-health.js';
import { minuteOfDay, type ReconciliationDayTask, retryAt, taskForSlot } from './daily-schedule.js';
import { EmbeddedReconciliationScheduler } from './embedded-reconciliation-scheduler.js';
import type { Reconciliation } from './reconciliation.js';
import type { ReconciliationJob, ReconciliationScheduler } from './reconciliation-scheduler.js';
import type {
  ReconcileOptions,
  ReconciliationReport,
  ReconciliationSource,
} from './reconciliation.types.js';

/** How one day of the daily job ended, as its hook receives it. */
export type DailyReconciliationResult =
  | {
      status: 'reconciled';
      /** The day reconciled, China time, `YYYY-MM-DD`. */
      date: string;
      /** Attempts it took (more than 1 when the bill was not ready yet). */
      attempts: number;
      report: ReconciliationReport;
    }
  | {
      /** Every attempt until the cut-off (the end of the job's China day) failed. */
      status: 'failed';
      date: string;
      attempts: number;
      /** The last attempt's error (e.g. a `WechatPayApiError` `STATEMENT_CREATING`). */
      error: unknown;
    };

/** The hook of the daily job: told each day's report, or that the day could not be reconciled. */
export type DailyReconciliationHook = (result: DailyReconciliationResult) => void | Promise<void>;

/** What the daily job reconciles with, and whom it tells. */
export interface DailyReconciliationHandlers {
  /** The merchant's orders (see `ReconciliationSource`). */
  source: ReconciliationSource;
  /**
   * Told each day's result. A hook that throws on a report makes the attempt fail: the day is
   * reconciled again at the next retry, so the report is not lost. A day's result may therefore
   * come more than once: make the hook idempotent (e.g. keyed by `result.date`).
   */
  onResult?: DailyReconciliationHook;
  /**
   * Options of each `reconcile` call.
   * @default api: 'v3' when API v3 is configured, else 'v2'
   */
  options?: Omit<ReconcileOptions, 'onReport'>;
}

/** What {@link DailyReconciliation} is built from. */
export interface DailyReconciliationDependencies {
  config: Pick<
    WechatPayConfig,
    | 'reconciliationTime'
    | 'reconciliationRetryMs'
    | 'reconciliationScheduler'
    | 'idempotencyStore'
    | 'notificationLeaseMs'
    | 'notificationStoreTimeoutMs'
    | 'hasV3'
    | 'subMchid'
  >;
  mchid: string;
  reconciliation: Pick<Reconciliation, 'reconcile'>;
  logger: { warn(message: string): void; error(message: string): void };
}

/** A reconciled day is remembered this long: longer than any catch-up looks back. */
const DONE_TTL_MS = 8 * 86_400_000;
/** An attempt renews its claim on the day for at most this long (a bill of millions of rows). */
const ATTEMPT_TIMEOUT_MS = 6 * 3_600_000;

/**
 * The built-in daily reconciliation job of one merchant (`client.dailyReconciliation`): every
 * day at `reconciliationTime` China time it reconciles yesterday (`reconcile`) and hands the
 * result to the hook. WeChat Pay makes the bill after 10:00 and answers `STATEMENT_CREATING`
 * until then: any failed attempt is tried again `reconciliationRetryMs` later (doubling, at most
 * 4×) until the end of the job's China day, when the hook is told the day failed.
 *
 * Each day is reconciled under an exactly-once key in the `idempotencyStore`
 * (`reconciliation:<mchid>:<date>`): an instance started after the day's slot catches the day
 * up unless it was already reconciled, and instances sharing a store do not both run it. Off
 * until started with a source: `WechatPayModule` starts it when a
 * `@WechatReconciliationSource()` method exists.
 * @see https://pay.weixin.qq.com/doc/v3/merchant/4013071254 (STATEMENT_CREATING: retry after 10:00, every half hour)
 */
export class DailyReconciliation {
  private readonly scheduler: ReconciliationScheduler;
  private started = false;
  private handlers: DailyReconciliationHandlers | undefined;
  private readonly days: NotificationDeduplicator;

  constructor(private readonly deps: DailyReconciliationDependencies) {
    this.scheduler =
      deps.config.reconciliationScheduler ??
      new EmbeddedReconciliationScheduler({ logger: deps.logger });
    // Its own timings: an attempt may run far longer than a notification handler.
    this.days = new NotificationDeduplicator(deps.config.idempotencyStore, {
      leaseMs: deps.config.notificationLeaseMs,
      storeTimeoutMs: deps.config.notificationStoreTimeoutMs,
      doneTtlMs: DONE_TTL_MS,
      handlerTimeoutMs: ATTEMPT_TIMEOUT_MS,
      logger: deps.logger,
    });
  }

  /** Whether the job runs (it was started and not stopped). */
  get running(): boolean {
    return this.started;
  }

  /**
   * Starts the job with the merchant's orders and the hook.
   * @throws Error when already started
   * @example
   * await client.dailyReconciliation.start({
   *   source: { orders: (date) => orders.streamForReconciliation(date) },
   *   onResult: (r) => r.status === 'reconciled' ? mail(formatReconciliationReport(r.report)) : page(r.error),
   * });
   */
  async start(handlers: DailyReconciliationHandlers): Promise<void> {
    if (this.started) throw new Error('daily reconciliation: already started');
    this.handlers = handlers;
    this.started = true;
    const minute = minuteOfDay(this.deps.config.reconciliationTime);
    const job: ReconciliationJob = {
      minuteOfDay: minute,
      taskFor: taskForSlot,
      run: (task, now) => this.run(task, now),
    };
    try {
      await this.scheduler.start(job);
    } catch (error) {
      this.started = false;
      throw error;
    }
  }

  /** Stops the job; an attempt in flight finishes first. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.scheduler.stop();
  }

  /** The `reconciliation` check of `checkWechatPayHealth`: started, and the scheduler's own check. */
  async health(timeoutMs: number): Promise<RecoverySchedulerHealth> {
    if (!this.started)
      return { healthy: false, message: 'the daily reconciliation job is not running' };
    return (await this.scheduler.health?.(timeoutMs)) ?? { healthy: true };
  }

  /** One attempt of a day (see `ReconciliationJob.run`). */
  async run(task: ReconciliationDayTask, now: number): Promise<ReconciliationDayTask | undefined> {
    const handlers = this.handlers;
    if (!handlers) return undefined;
    // The scheduler's `now` plus the seconds the attempt took: a bill reconciled for hours must
    // not plan its retry, or decide on the cut-off, as of when it began.
    const started = performance.now();
    const clock = () => now + Math.floor((performance.now() - started) / 1000) * 1000;
    const attempted = { ...task, attempt: task.attempt + 1 };
    const outcome = await this.days.run(this.dayKey(task.date), () =>
      this.attempt(attempted, clock, handlers),
    );
    switch (outcome.status) {
      case 'handled':
      case 'already-handled':
        return undefined;
      case 'handler-failed':
      case 'store-unavailable':
        return this.retryOrGiveUp(attempted, clock(), outcome.error, handlers);
      case 'in-progress': {
        // Another instance holds the day: trying later finds it settled, or takes over if that
        // instance died; at the cut-off the day is that instance's to report.
        const at = retryAt(attempted, clock(), this.deps.config.reconciliationRetryMs);
        return at === undefined ? undefined : { ...attempted, dueAt: at };
      }
      case 'handler-timed-out':
        return this.retryOrGiveUp(
          attempted,
          clock(),
          new Error('the attempt did not finish in time'),
          handlers,
        );
    }
  }

  /**
   * Reconciles and tells the hook, under the day's claim. A failure that leaves no retry before
   * the cut-off is told to the hook here, so the day is recorded as settled and not caught up.
   */
  private async attempt(
    task: ReconciliationDayTask,
    clock: () => number,
    handlers: DailyReconciliationHandlers,
  ): Promise<undefined> {
    try {
      const report = await this.deps.reconciliation.reconcile(task.date, handlers.source, {
        api: this.deps.config.hasV3 ? 'v3' : 'v2',
        ...handlers.options,
      });
      await handlers.onResult?.({
        status: 'reconciled',
        date: task.date,
        attempts: task.attempt,
        report,
      });
      return undefined;
    } catch (error) {
      if (retryAt(task, clock(), this.deps.config.reconciliationRetryMs) !== undefined) throw error;
      await this.giveUp(task, error, handlers);
      return undefined;
    }
  }

  private async retryOrGiveUp(
    task: ReconciliationDayTask,
    now: number,
    error: unknown,
    handlers: DailyReconciliationHandlers,
  ): Promise<ReconciliationDayTask | undefined> {
    const at = retryAt(task, now, this.deps.config.reconciliationRetryMs);
    if (at === undefined) {
      await this.giveUp(task, error, handlers);
      return undefined;
    }
    this.deps.logger.warn(
      `reconciliation of ${task.date}: attempt ${task.attempt} failed (${describeError(error)}); tried again at ${new Date(at).toISOString()}`,
    );
    return { ...task, dueAt: at };
  }

  private async giveUp(
    task: ReconciliationDayTask,
    error: unknown,
    handlers: DailyReconciliationHandlers,
  ): Promise<void> {
    this.deps.logger.error(
      `reconciliation of ${task.date} failed after ${task.attempt} attempts (${describeError(error)}); reconcile it by hand`,
    );
    try {
      await handlers.onResult?.({
        status: 'failed',
        date: task.date,
        attempts: task.attempt,
        error,
      });
    } catch (hookError) {
      this.deps.logger.error(
        `reconciliation of ${task.date}: the hook failed on the failure: ${describeError(hookError)}`,
      );
    }
  }

  private dayKey(date: string): string {
    const sub = this.handlers?.options?.subMchid ?? this.deps.config.subMchid;
    return `reconciliation:${this.deps.mchid}${sub ? `:${sub}` : ''}:${date}`;
  }
}
