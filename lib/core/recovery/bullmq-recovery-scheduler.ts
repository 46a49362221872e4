import type { Job, Queue } from 'bullmq';
import type { RecoveryTask } from './recovery.types.js';
import { runStep, type RecoveryScheduler, type RecoveryStep } from './recovery-scheduler.js';
import { BullmqQueueWorker } from './bullmq-queue-worker.js';
import type { RecoverySchedulerHealth } from './scheduler-health.js';

/** Options of {@link BullmqRecoveryScheduler}. */
export interface BullmqRecoverySchedulerOptions {
  /**
   * How long to wait before trying again a step that threw, in ms.
   * @default 15000
   */
  retryMs?: number;
  /**
   * How many steps this instance runs at once.
   * @default 10
   */
  concurrency?: number;
  /** Receives steps that threw. @default console */
  logger?: { error(message: string): void };
}

/** Finished jobs are kept a day, so a step scheduled twice (two instances) is one job. */
const KEEP_COMPLETED_S = 24 * 3600;

/**
 * Recovery on BullMQ, for several instances on the Redis they share: each step of an order is
 * a delayed job whose id names the order and the step, so two instances scheduling the same
 * step create one job, one worker runs it, and it survives restarts. Give each registration its
 * own queue (`BullModule.registerQueue({ name: 'wechatpay-recovery' })` in Nest) and pass the
 * queue here; this scheduler adds its own worker to it when recovery starts.
 * @example
 * WechatPayModule.forRootAsync({
 *   imports: [BullModule.registerQueue({ name: 'wechatpay-recovery' })],
 *   inject: [getQueueToken('wechatpay-recovery')],
 *   useFactory: (queue: Queue) => ({ ...options, recovery: true, recoveryScheduler: new BullmqRecoveryScheduler(queue) }),
 * });
 */
export class BullmqRecoveryScheduler implements RecoveryScheduler {
  private readonly worker: BullmqQueueWorker;

  constructor(
    /** The queue the steps go to (its connection and prefix serve the worker too). */
    readonly queue: Queue,
    private readonly options: BullmqRecoverySchedulerOptions = {},
  ) {
    this.worker = new BullmqQueueWorker(queue, 'recovery', options.logger);
  }

  start(step: RecoveryStep): Promise<void> {
    return this.worker.start(
      (job: Job<RecoveryTask>) => this.process(job.data, step),
      this.options.concurrency ?? 10,
    );
  }

  async schedule(task: RecoveryTask): Promise<void> {
    await this.queue.add('recovery-step', task, {
      jobId: jobId(task),
      delay: Math.max(task.dueAt - Date.now(), 0),
      removeOnComplete: { age: KEEP_COMPLETED_S },
      removeOnFail: { age: 7 * KEEP_COMPLETED_S },
    });
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Healthy when this instance's worker runs and the queue's Redis answers within `timeoutMs`. */
  health(timeoutMs: number): Promise<RecoverySchedulerHealth> {
    return this.worker.health(timeoutMs);
  }

  private async process(task: RecoveryTask, step: RecoveryStep): Promise<void> {
    const next = await runStep(
      step,
      task,
      this.options.retryMs ?? 15_000,
      this.options.logger ?? console,
    );
    if (next) await this.schedule({ ...next, step: (task.step ?? 0) + 1 });
  }
}

/** `<order>_<step>`: BullMQ refuses `:` in custom ids. */
function jobId(task: RecoveryTask): string {
  return `${task.id.replaceAll(':', '_')}_${task.step ?? 0}`;
}
