import type { RecoveryScheduler } from '../../recovery/recovery-scheduler.js';
import type { RecoveryStore } from '../../recovery/recovery-store.js';
import {
  DEFAULT_ORDER_EXPIRY_MS,
  DEFAULT_RECOVERY_SCHEDULE_MS,
} from '../../recovery/recovery-schedule.js';
import { fromEnv, option } from '../option-declaration.js';
import {
  boolean,
  increasingMilliseconds,
  milliseconds,
  recoveryScheduler,
  recoveryStore,
} from '../option-rules.js';

/** Missed-notification recovery: scheduled order queries and the close at expiry. */
export const RECOVERY_OPTIONS = {
  /**
   * Whether each order placed is queried until paid, and closed at its expiry.
   *
   * Watched: v3 JSAPI, App, H5 and Native orders, v2 unifiedorder, combine orders, and v3
   * refunds (queried until they end, never closed). A payment a query finds runs the payment
   * handler, a refund's end the handler of its `REFUND.*` event, under the notification's
   * exactly-once key.
   *
   * Off by default: it closes orders at WeChat Pay and runs your payment handler from queries,
   * so turn it on once the handler and the outcome hook are in place, and the schedule kept
   * where a restart finds it (`recoveryStore`, or BullMQ for several instances). Each prepay
   * and `refunds.create` can override it (`{ recovery: false }`).
   * @default false
   */
  recovery: option<boolean>()({
    env: fromEnv.boolean('WECHATPAY_RECOVERY'),
    default: false,
    copy: true,
    rules: [boolean('must be true or false')],
  }),

  /**
   * When an unpaid order is queried, in ms after it was placed.
   *
   * Increasing; after the last, every `recoveryIntervalMs` until the order expires.
   * @default [15000,30000,60000,120000,300000,600000] (15 s, 30 s, 1, 2, 5, 10 min)
   */
  recoverySchedule: option<readonly number[]>()({
    env: {
      name: 'WECHATPAY_RECOVERY_SCHEDULE',
      parse: (text: string) => text.split(',').map((item) => Number(item.trim())),
    },
    default: DEFAULT_RECOVERY_SCHEDULE_MS,
    copy: true,
    rules: [increasingMilliseconds('must be a non-empty list of increasing milliseconds')],
  }),

  /**
   * The query interval after the last of `recoverySchedule`, in ms.
   * @default 600000 (10 min)
   */
  recoveryIntervalMs: option<number>()({
    env: fromEnv.integer('WECHATPAY_RECOVERY_INTERVAL_MS'),
    default: 600_000,
    copy: true,
    rules: milliseconds({ min: 10 }),
  }),

  /**
   * How long an order without `time_expire` may be paid, in ms, before it is closed.
   *
   * WeChat Pay's `prepay_id` and Native `code_url` are valid for 2 hours.
   * @default 7200000 (2 h)
   */
  recoveryDefaultExpiryMs: option<number>()({
    env: fromEnv.integer('WECHATPAY_RECOVERY_DEFAULT_EXPIRY_MS'),
    default: DEFAULT_ORDER_EXPIRY_MS,
    copy: true,
    rules: milliseconds({ min: 10 }),
  }),

  /**
   * Where the embedded scheduler keeps watched orders.
   *
   * `FileRecoveryStore` or `RedisRecoveryStore` resume them after a restart.
   * @default a `MemoryRecoveryStore` per registration
   */
  recoveryStore: option<RecoveryStore>()({
    rules: [recoveryStore()],
  }),

  /**
   * Where the steps run instead of in-process timers.
   *
   * `new BullmqRecoveryScheduler(queue)` for several instances: one job per step, shared
   * through Redis, surviving restarts. `recoveryStore` is then not used.
   * @default in-process timers over `recoveryStore`
   */
  recoveryScheduler: option<RecoveryScheduler>()({
    rules: [recoveryScheduler()],
  }),
};
