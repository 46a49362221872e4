import type { Job, Queue } from 'bullmq';
import { BullmqQueueWorker } from '../recovery/bullmq-queue-worker.js';
import type { RecoverySchedulerHealth } from '../recovery/scheduler-health.js';
import type { ReconciliationDayTask } from './daily-schedule.js';
import type { ReconciliationJob, ReconciliationScheduler } from './reconciliation-scheduler.js';

/** Options of {@link BullmqReconciliationScheduler}. */
export interface BullmqReconciliationSchedulerOptions {
  /** Receives worker failures. @default console */
  logger?: { error(message: string): void };
}

/** The id of the job scheduler in the queue; one queue serves one registration. */
export const RECONCILIATION_JOB_SCHEDULER_ID = 'wechatpay-reconciliation';
const DAY_JOB = 'reconciliation-day';
const RETRY_JOB = 'reconciliation-retry';
const DAY_S = 86_400;
const TZ = 'Asia/Shanghai';
/** Kept a week (completed) or a month (failed); a job that threw (Redis down) is tried again. */
const JOB_OPTIONS = {
  removeOnComplete: { age: 7 * DAY_S },
  removeOnFail: { age: 30 * DAY_S },
  attempts: 5,
  backoff: { type: 'exponential', delay: 60_000 },
};

/**
 * The daily job on BullMQ, for several instances sharing Redis: a BullMQ job scheduler
 * (`upsertJobScheduler`, cron pattern of `reconciliationTime` in `Asia/Shanghai`) makes one job
 * per day whichever instances upsert it, one worker runs it, and each retry is one delayed job
 * whose id names the day and the attempt. A day's job whose slot passed while no instance ran
 * waits in Redis and runs when a worker starts. Give each registration its own queue, not the
 * recovery queue (`BullModule.registerQueue({ name: 'wechatpay-reconciliation' })` in Nest).
 * @example
 * WechatPayModule.forRootAsync({
 *   imports: [BullModule.registerQueue({ name: 'wechatpay-reconciliation' })],
 *   inject: [getQueueToken('wechatpay-reconciliation')],
 *   useFactory: (queue: Queue) => ({ ...options, reconciliationScheduler: new BullmqReconciliationScheduler(queue) }),
 * });
 */
export class BullmqReconciliationScheduler implements ReconciliationScheduler {
  private readonly worker: BullmqQueueWorker;

  constructor(
    /** The queue of the job (its connection and prefix serve the worker too). */
    readonly queue: Queue,
    options: BullmqReconciliationSchedulerOptions = {},
  ) {
    this.worker = new BullmqQueueWorker(queue, 'reconciliation', options.logger);
  }

  async start(job: ReconciliationJob): Promise<void> {
    await this.plan(job.minuteOfDay);
    await this.worker.start((bullJob: Job) => this.process(bullJob, job), 1);
  }

  /**
   * Writes the job scheduler when it is new or its time changed. Upserting replaces the planned
   * job by one after now, so an unchanged scheduler is left alone: a day whose slot passed while
   * no worker ran stays in the queue for the worker started next.
   */
  private async plan(minuteOfDay: number): Promise<void> {
    const pattern = `${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)} * * *`;
    const current = await this.queue.getJobScheduler(RECONCILIATION_JOB_SCHEDULER_ID);
    if (current?.pattern === pattern && current.tz === TZ) return;
    await this.queue.upsertJobScheduler(
      RECONCILIATION_JOB_SCHEDULER_ID,
      { pattern, tz: TZ },
      { name: DAY_JOB, data: {}, opts: JOB_OPTIONS },
    );
  }

  /** Stops this instance's worker; the job scheduler stays for the other instances and restarts. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Healthy when this instance's worker runs and the queue's Redis answers within `timeoutMs`. */
  health(timeoutMs: number): Promise<RecoverySchedulerHealth> {
    return this.worker.health(timeoutMs);
  }

  private async process(bullJob: Job, job: ReconciliationJob): Promise<void> {
    if (bullJob.name !== DAY_JOB && bullJob.name !== RETRY_JOB) {
      throw new Error(
        `job "${bullJob.name}" is not a reconciliation job: give BullmqReconciliationScheduler a queue of its own`,
      );
    }
    const task =
      bullJob.name === DAY_JOB
        ? // The slot the job scheduler planned it for, however late it runs.
          job.taskFor(bullJob.opts.prevMillis ?? bullJob.timestamp + bullJob.delay)
        : (bullJob.data as ReconciliationDayTask);
    const next = await job.run(task, Date.now());
    if (!next) return;
    await this.queue.add(RETRY_JOB, next, {
      jobId: `retry_${next.date}_${next.attempt}`,
      delay: Math.max(next.dueAt - Date.now(), 0),
      ...JOB_OPTIONS,
    });
  }
}
