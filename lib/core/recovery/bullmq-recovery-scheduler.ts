import type { Job, Queue, Worker } from 'bullmq';
import { describeError } from '../notify/lease-renewer.js';
import type { RecoveryTask } from './recovery.types.js';
import type { RecoveryScheduler, RecoveryStep } from './recovery-scheduler.js';
import { probeWithin, type RecoverySchedulerHealth } from './scheduler-health.js';

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
  private worker: Worker | undefined;

  constructor(
    /** The queue the steps go to (its connection and prefix serve the worker too). */
    readonly queue: Queue,
    private readonly options: BullmqRecoverySchedulerOptions = {},
  ) {}

  async start(step: RecoveryStep): Promise<void> {
    const { Worker } = await import('bullmq');
    this.worker = new Worker(
      this.queue.name,
      (job: Job<RecoveryTask>) => this.process(job.data, step),
      {
        connection: this.queue.opts.connection,
        prefix: this.queue.opts.prefix,
        concurrency: this.options.concurrency ?? 10,
      },
    );
    this.worker.on('error', (error) =>
      (this.options.logger ?? console).error(`recovery worker: ${describeError(error)}`),
    );
    await this.worker.waitUntilReady();
  }

  async schedule(task: RecoveryTask): Promise<void> {
    await this.queue.add('recovery-step', task, {
      jobId: jobId(task),
      delay: Math.max(task.dueAt - Date.now(), 0),
      removeOnComplete: { age: KEEP_COMPLETED_S },
      removeOnFail: { age: 7 * KEEP_COMPLETED_S },
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.close();
  }

  /** Healthy when this instance's worker runs and the queue's Redis answers a PING within `timeoutMs`. */
  async health(timeoutMs: number): Promise<RecoverySchedulerHealth> {
    if (!this.worker?.isRunning()) {
      return { healthy: false, message: 'the recovery worker is not running' };
    }
    // A count is a datastore-agnostic round trip to the queue's Redis.
    return probeWithin(
      "the recovery queue's Redis",
      () => this.queue.getJobCounts('delayed'),
      timeoutMs,
    );
  }

  private async process(task: RecoveryTask, step: RecoveryStep): Promise<void> {
    let next: RecoveryTask | undefined;
    try {
      next = await step(task);
    } catch (error) {
      (this.options.logger ?? console).error(
        `recovery of order ${task.outTradeNo}: ${describeError(error)}; tried again later`,
      );
      next = { ...task, dueAt: Date.now() + (this.options.retryMs ?? 15_000) };
    }
    if (next) await this.schedule({ ...next, step: (task.step ?? 0) + 1 });
  }
}

/** `<order>_<step>`: BullMQ refuses `:` in custom ids. */
function jobId(task: RecoveryTask): string {
  return `${task.id.replaceAll(':', '_')}_${task.step ?? 0}`;
}
