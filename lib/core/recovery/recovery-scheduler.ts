import { describeError } from '../notify/lease-renewer.js';
import type { RecoveryTask } from './recovery.types.js';
import type { RecoverySchedulerHealth } from './scheduler-health.js';

/** Runs one due step and says what comes next (undefined: the recovery ended). */
export type RecoveryStep = (task: RecoveryTask) => Promise<RecoveryTask | undefined>;

/** Runs `step` for a scheduler: a step that threw is logged and tried again `retryMs` later. */
export async function runStep(
  step: RecoveryStep,
  task: RecoveryTask,
  retryMs: number,
  logger: { error(message: string): void },
): Promise<RecoveryTask | undefined> {
  try {
    return await step(task);
  } catch (error) {
    logger.error(
      `recovery of order ${task.outTradeNo}: ${describeError(error)}; tried again later`,
    );
    return { ...task, dueAt: Date.now() + retryMs };
  }
}

/**
 * Where the steps of every watched order run: `EmbeddedRecoveryScheduler` (in-process timers,
 * one instance) or `BullmqRecoveryScheduler` (delayed jobs on Redis, any number of instances).
 */
export interface RecoveryScheduler {
  /** Starts running due steps with `step`, resuming the tasks kept from before a restart. */
  start(step: RecoveryStep): Promise<void>;
  /** Keeps `task` and runs its step at `task.dueAt` (replacing an earlier schedule of it). */
  schedule(task: RecoveryTask): Promise<void>;
  /** Stops running steps; kept tasks stay kept for the next start. */
  stop(): Promise<void>;
  /**
   * Whether it runs steps and reaches where it keeps them within `timeoutMs`: the `recovery`
   * check of `checkWechatPayHealth`. Optional: without it, only "started" is checked.
   */
  health?(timeoutMs: number): Promise<RecoverySchedulerHealth>;
}
