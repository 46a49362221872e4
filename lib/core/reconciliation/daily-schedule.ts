/**
 * The calendar of the daily reconciliation job, in China time (Asia/Shanghai: UTC+8 all year,
 * no daylight saving, so a day is always 24 hours). Pure functions of a clock reading.
 */

const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** `HH:mm`, 00:00 to 23:59. */
export const RECONCILIATION_TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** One day's reconciliation: what a scheduler keeps between its attempts (plain JSON). */
export interface ReconciliationDayTask {
  /** The day reconciled, China time, `YYYY-MM-DD`: the day before the slot. */
  date: string;
  /** Attempts made so far (0 before the first). */
  attempt: number;
  /** When the next attempt is due, epoch ms. */
  dueAt: number;
  /** No attempt starts at or after this (epoch ms): the end of the slot's China day. */
  cutOffAt: number;
}

/**
 * The minutes after China midnight of an `HH:mm` time.
 * @throws Error when `time` is not `HH:mm`
 */
export function minuteOfDay(time: string): number {
  const match = RECONCILIATION_TIME_PATTERN.exec(time);
  if (!match) throw new Error(`reconciliation time "${time}" must be HH:mm (China time)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The China-time date of `ms`, `YYYY-MM-DD`. */
export function chinaDateOf(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 China time of `date` (`YYYY-MM-DD`), epoch ms. */
export function chinaMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`) - CHINA_OFFSET_MS;
}

/** The slot of the China day of `now`, whether it passed or not. */
function slotOfDay(now: number, minute: number): number {
  return chinaMidnight(chinaDateOf(now)) + minute * MINUTE_MS;
}

/** The latest slot at or before `now`. */
export function latestSlot(now: number, minute: number): number {
  const today = slotOfDay(now, minute);
  return today <= now ? today : today - DAY_MS;
}

/** The first slot after `now`. */
export function nextSlot(now: number, minute: number): number {
  return latestSlot(now, minute) + DAY_MS;
}

/**
 * The task of the job run at `slot`: it reconciles the China day before the slot's, and may try
 * until the slot's China day ends (the next day's job then takes over).
 */
export function taskForSlot(slot: number): ReconciliationDayTask {
  const slotDay = chinaMidnight(chinaDateOf(slot));
  return {
    date: chinaDateOf(slotDay - DAY_MS),
    attempt: 0,
    dueAt: slot,
    cutOffAt: slotDay + DAY_MS,
  };
}

/**
 * When to try again after the `task.attempt`-th attempt failed at `now`: `retryMs` after the
 * first failure, doubling, at most `4 × retryMs` apart.
 * @returns undefined when that would be at or past the task's cut-off: give up now
 */
export function retryAt(
  task: ReconciliationDayTask,
  now: number,
  retryMs: number,
): number | undefined {
  const failures = Math.max(task.attempt, 1);
  const delay = Math.min(retryMs * 2 ** Math.min(failures - 1, 2), 4 * retryMs);
  const at = now + delay;
  return at < task.cutOffAt ? at : undefined;
}
