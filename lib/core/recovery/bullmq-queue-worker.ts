import type { Job, Queue, Worker } from 'bullmq';
import { describeError } from '../notify/lease-renewer.js';
import { probeWithin, type RecoverySchedulerHealth } from './scheduler-health.js';

/**
 * The worker a BullMQ scheduler adds to the queue it was given (recovery steps, the daily
 * reconciliation): it shares the queue's connection and prefix, logs what fails outside a job,
 * and answers the scheduler's health check.
 */
export class BullmqQueueWorker {
  private worker: Worker | undefined;

  constructor(
    private readonly queue: Queue,
    /** What the jobs are, for messages: `recovery`, `reconciliation`. */
    private readonly what: string,
    private readonly logger: { error(message: string): void } = console,
  ) {}

  /** Starts processing the queue's jobs, `concurrency` at a time; bullmq is loaded only now. */
  async start(processor: (job: Job) => Promise<void>, concurrency: number): Promise<void> {
    const { Worker } = await import('bullmq');
    this.worker = new Worker(this.queue.name, processor, {
      connection: this.queue.opts.connection,
      prefix: this.queue.opts.prefix,
      concurrency,
    });
    this.worker.on('error', (error) =>
      this.logger.error(`${this.what} worker: ${describeError(error)}`),
    );
    await this.worker.waitUntilReady();
  }

  /** Stops taking jobs; the jobs stay in Redis for the next worker. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.close();
  }

  /** Healthy when the worker runs and the queue's Redis answers within `timeoutMs`. */
  async health(timeoutMs: number): Promise<RecoverySchedulerHealth> {
    if (!this.worker?.isRunning()) {
      return { healthy: false, message: `the ${this.what} worker is not running` };
    }
    // A count is a datastore-agnostic round trip to the queue's Redis.
    return probeWithin(
      `the ${this.what} queue's Redis`,
      () => this.queue.getJobCounts('delayed'),
      timeoutMs,
    );
  }
}
