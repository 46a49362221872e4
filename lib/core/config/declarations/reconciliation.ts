import { RECONCILIATION_TIME_PATTERN } from '../../reconciliation/daily-schedule.js';
import type { ReconciliationScheduler } from '../../reconciliation/reconciliation-scheduler.js';
import { fromEnv, option } from '../option-declaration.js';
import { milliseconds, pattern, reconciliationScheduler, string } from '../option-rules.js';

/**
 * The daily reconciliation job. It runs once it has the merchant's orders: a
 * `@WechatReconciliationSource()` method in Nest, `client.dailyReconciliation.start` without.
 */
export const RECONCILIATION_OPTIONS = {
  /**
   * When the daily reconciliation job reconciles yesterday, `HH:mm` China time (Asia/Shanghai).
   *
   * WeChat Pay makes yesterday's bill after 10:00.
   * @default '10:30'
   */
  reconciliationTime: option<string>()({
    env: fromEnv.text('WECHATPAY_RECONCILIATION_TIME'),
    default: '10:30',
    copy: true,
    rules: [
      string('must be a string, HH:mm China time'),
      pattern(RECONCILIATION_TIME_PATTERN, 'must be HH:mm China time, 00:00 to 23:59'),
    ],
  }),

  /**
   * How long after a failed attempt (e.g. `STATEMENT_CREATING`) the job tries again, in ms.
   *
   * Doubling, at most 4× apart, until the end of the job's China day; then the hook is told.
   * @default 1800000 (30 min, as WeChat Pay advises)
   */
  reconciliationRetryMs: option<number>()({
    env: fromEnv.integer('WECHATPAY_RECONCILIATION_RETRY_MS'),
    default: 1_800_000,
    copy: true,
    rules: milliseconds({ min: 10 }),
  }),

  /**
   * Where the daily job runs instead of in-process timers.
   *
   * `new BullmqReconciliationScheduler(queue)` for several instances: one job a day across them.
   * @default in-process timers (one instance)
   */
  reconciliationScheduler: option<ReconciliationScheduler>()({
    rules: [reconciliationScheduler()],
  }),
};
