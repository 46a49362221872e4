import { describeError } from '../notify/lease-renewer.js';
import type { RecoveryTask } from './recovery.types.js';
import { runStep, type RecoveryScheduler, type RecoveryStep } from './recovery-scheduler.js';
import type { RecoveryStore } from './recovery-store.js';
import { probeWithin, type RecoverySchedulerHealth } from './scheduler-health.js';

/** setTimeout's longest delay; a later step is re-armed when it fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** No task has this id (task ids are `mchid:out_trade_no`-like). */
const HEALTH_PROBE_ID = '\u0000health-probe';

/** Options of {@link EmbeddedRecoveryScheduler}. */
export interface EmbeddedRecoverySchedulerOptions {
  /** Where tasks are kept between steps and across restarts. */
  store: RecoveryStore;
  /**
   * Only tasks for which this returns true are resumed from the store (a store may be shared
   * by several registrations).
   * @default every task
   */
  owns?: (task: RecoveryTask) => boolean;
  /**
   * How long to wait before trying again a step that threw, in ms.
   * @default 15000
   */
  retryMs?: number;
  /** Receives steps that threw and store failures. @default console */
  logger?: { error(message: string): void };
}

/**
 * Recovery on in-process timers: each task is saved in the store before its timer is armed, so
 * a restart (of this one instance) resumes every schedule from the store. For several instances
 * use BullMQ, whose delayed jobs are shared.
 */
export class EmbeddedRecoveryScheduler implements RecoveryScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private step: RecoveryStep | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: EmbeddedRecoverySchedulerOptions) {}

  async start(step: RecoveryStep): Promise<void> {
    this.step = step;
    const owns = this.options.owns ?? (() => true);
    for (const task of await this.options.store.list()) if (owns(task)) this.arm(task);
  }

  async schedule(task: RecoveryTask): Promise<void> {
    await this.options.store.save(task);
    if (this.step) this.arm(task);
  }

  async stop(): Promise<void> {
    this.step = undefined;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running);
  }

  /**
   * Healthy when started and the store answers within `timeoutMs` (removing an id no task has:
   * a read, and no write, for every built-in store).
   */
  async health(timeoutMs: number): Promise<RecoverySchedulerHealth> {
    if (!this.step) return { healthy: false, message: 'the recovery scheduler is not running' };
    const probe = await probeWithin(
      'the recovery store',
      () => this.options.store.remove(HEALTH_PROBE_ID),
      timeoutMs,
    );
    return { ...probe, scheduled: this.timers.size };
  }

  private arm(task: RecoveryTask): void {
    clearTimeout(this.timers.get(task.id));
    const delay = Math.min(Math.max(task.dueAt - Date.now(), 0), MAX_DELAY_MS);
    const timer = setTimeout(() => {
      this.timers.delete(task.id);
      const run = this.fire(task).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delay);
    timer.unref();
    this.timers.set(task.id, timer);
  }

  private async fire(task: RecoveryTask): Promise<void> {
    const step = this.step;
    if (!step) return;
    if (task.dueAt > Date.now()) {
      this.arm(task); // a delay beyond setTimeout's limit
      return;
    }
    const logger = this.options.logger ?? console;
    const next = await runStep(step, task, this.options.retryMs ?? 15_000, logger);
    try {
      if (next) await this.options.store.save(next);
      else await this.options.store.remove(task.id);
    } catch (error) {
      logger.error(
        `recovery of order ${task.outTradeNo}: the recovery store failed: ${describeError(error)}`,
      );
    }
    if (next && this.step) this.arm(next);
  }
}
