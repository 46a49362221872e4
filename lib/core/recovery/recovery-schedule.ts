import type { RecoveryTask } from './recovery.types.js';

/**
 * When an order is queried, in ms after it was placed: within the first minute, as WeChat
 * Pay's guide asks (合理的查单逻辑: query when no notification came within 业务时间1, at most 1
 * minute), then backing off; after the last, every `recoveryIntervalMs` until the order expires.
 * @see https://pay.weixin.qq.com/wiki/doc/api/wxpay/ch/guide/pos/ReasonableQueryMechanism.shtml
 */
export const DEFAULT_RECOVERY_SCHEDULE_MS: readonly number[] = [
  15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
];

/**
 * How long an order may be paid when its prepay gave no `time_expire`: 2 hours, the validity
 * of a `prepay_id` / Native `code_url` (“预支付交易会话标识…该值有效期为2小时”).
 * @see https://pay.weixin.qq.com/doc/v3/merchant/4012525095
 */
export const DEFAULT_ORDER_EXPIRY_MS = 2 * 3_600_000;

/**
 * How long a refund is watched for its end (SUCCESS, CLOSED or ABNORMAL) before a person is
 * asked: 7 days. A refund to the payer's balance ends within minutes, one to a bank card may
 * take several working days (“银行卡支付的退款3个工作日后重新查询退款状态”).
 * @see https://pay.weixin.qq.com/docs/merchant/apis/refund/refunds/create.html
 */
export const DEFAULT_REFUND_WATCH_MS = 7 * 24 * 3_600_000;

/** How many extra tries the close (and its confirming query) gets before a person is asked. */
export const CLOSE_ATTEMPTS = 5;

/** The timings a schedule is computed from. */
export interface RecoveryTimings {
  /** Query times in ms after the order was placed. */
  scheduleMs: readonly number[];
  /** The interval after the last of `scheduleMs`. */
  intervalMs: number;
}

/**
 * When the query after `task.attempt` queries is due: the next slot of the schedule, or the
 * expiry if that comes first (the close is then due).
 */
export function nextDueAt(task: RecoveryTask, timings: RecoveryTimings, now: number): number {
  const { scheduleMs, intervalMs } = timings;
  const slot =
    task.attempt < scheduleMs.length
      ? task.createdAt + scheduleMs[task.attempt]!
      : task.createdAt +
        (scheduleMs.at(-1) ?? 0) +
        intervalMs * (task.attempt - scheduleMs.length + 1);
  return Math.max(now, Math.min(slot, task.expiresAt));
}

/**
 * The expiry of an order from its `time_expire`: RFC 3339 in API v3, `yyyyMMddHHmmss` in
 * China time (UTC+8) in API v2; without one, {@link DEFAULT_ORDER_EXPIRY_MS} after `createdAt`.
 */
export function orderExpiry(
  timeExpire: unknown,
  createdAt: number,
  defaultExpiryMs: number,
): number {
  if (typeof timeExpire === 'string') {
    const v2 = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(timeExpire);
    const parsed = v2
      ? Date.parse(`${v2[1]}-${v2[2]}-${v2[3]}T${v2[4]}:${v2[5]}:${v2[6]}+08:00`)
      : Date.parse(timeExpire);
    if (Number.isFinite(parsed)) return parsed;
  }
  return createdAt + defaultExpiryMs;
}
