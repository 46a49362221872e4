import type { IdempotencyStore } from '../../store/idempotency-store.js';
import { fromEnv, option } from '../option-declaration.js';
import { idempotencyStore, milliseconds } from '../option-rules.js';

/** How notifications are handled exactly once. */
export const NOTIFICATION_OPTIONS = {
  /**
   * Where handled notifications are remembered, so each event's handler runs once.
   *
   * Share one store (e.g. `RedisIdempotencyStore`) between every instance that receives
   * notifications.
   * @default a `MemoryIdempotencyStore` per registration
   */
  idempotencyStore: option<IdempotencyStore>()({
    rules: [idempotencyStore()],
  }),

  /**
   * How long one delivery holds an event without renewal, in ms.
   *
   * The lease is renewed while the handler runs, up to `notificationHandlerTimeoutMs`; after a
   * crash the event is free again this long after the last renewal.
   * @default 60000
   */
  notificationLeaseMs: option<number>()({
    env: fromEnv.integer('WECHATPAY_NOTIFICATION_LEASE_MS'),
    default: 60_000,
    copy: true,
    rules: milliseconds({ min: 1000 }),
  }),

  /**
   * How long a handled event is remembered, in ms; at least 25 h, as WeChat Pay retries for about
   * 24 h.
   * @default 172800000 (48 h)
   */
  notificationDoneTtlMs: option<number>()({
    env: fromEnv.integer('WECHATPAY_NOTIFICATION_DONE_TTL_MS'),
    default: 48 * 3_600_000,
    copy: true,
    rules: milliseconds({
      min: 90_000_000,
      tooLow: 'must be at least 25 hours (90000000 ms): WeChat Pay redelivers for 24 h 4 min',
    }),
  }),

  /**
   * How long a notification handler may run before it counts as hung, in ms.
   *
   * Its lease is renewed only until then; the delivery is then answered with a failure, the lease
   * lapses within `notificationLeaseMs`, and a later delivery runs the handler again.
   * @default 300000 (5 min)
   */
  notificationHandlerTimeoutMs: option<number>()({
    env: fromEnv.integer('WECHATPAY_NOTIFICATION_HANDLER_TIMEOUT_MS'),
    default: 300_000,
    copy: true,
    rules: milliseconds({
      min: 1000,
      max: 3_600_000,
      tooHigh: 'must be at most 1 hour (3600000 ms): a handler running longer is hung',
    }),
  }),

  /**
   * Deadline of each idempotency store call, in ms.
   *
   * A delivery whose claim runs out is answered with a 503, so WeChat Pay delivers it again;
   * WeChat Pay waits about 5 s for an answer.
   * @default 2000
   */
  notificationStoreTimeoutMs: option<number>()({
    env: fromEnv.integer('WECHATPAY_NOTIFICATION_STORE_TIMEOUT_MS'),
    default: 2000,
    copy: true,
    rules: milliseconds({
      min: 100,
      max: 5000,
      tooHigh: 'must be at most 5000 ms: WeChat Pay waits about 5 s for an answer',
    }),
  }),
};
