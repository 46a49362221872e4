import { describe, expect, it } from 'vitest';
import {
  chinaDateOf,
  latestSlot,
  minuteOfDay,
  nextSlot,
  retryAt,
  taskForSlot,
} from '../../../../lib/core/reconciliation/daily-schedule.js';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const TEN_THIRTY = 10 * 60 + 30;

describe('daily reconciliation schedule (China time, UTC+8)', () => {
  it('reads HH:mm and refuses anything else', () => {
    expect(minuteOfDay('10:30')).toBe(630);
    expect(minuteOfDay('00:00')).toBe(0);
    expect(minuteOfDay('23:59')).toBe(1439);
    for (const bad of ['24:00', '9:30', '10:60', '10:30:00', ''])
      expect(() => minuteOfDay(bad)).toThrow(/HH:mm/);
  });

  it('dates days in China time: 16:00 UTC is the next day', () => {
    expect(chinaDateOf(at('2026-06-08T15:59:59Z'))).toBe('2026-06-08');
    expect(chinaDateOf(at('2026-06-08T16:00:00Z'))).toBe('2026-06-09');
  });

  it('finds the latest and next 10:30 slots before and after the slot', () => {
    // 10:29 China time: today's slot is still ahead.
    const before = at('2026-06-09T02:29:00Z');
    expect(latestSlot(before, TEN_THIRTY)).toBe(at('2026-06-08T02:30:00Z'));
    expect(nextSlot(before, TEN_THIRTY)).toBe(at('2026-06-09T02:30:00Z'));
    // Exactly at the slot: it is the latest, the next is tomorrow's.
    const onSlot = at('2026-06-09T02:30:00Z');
    expect(latestSlot(onSlot, TEN_THIRTY)).toBe(onSlot);
    expect(nextSlot(onSlot, TEN_THIRTY)).toBe(at('2026-06-10T02:30:00Z'));
  });

  it('computes slots across midnight China time, where the UTC date differs', () => {
    // 00:30 China time on 06-09 is 16:30 UTC on 06-08; a 00:15 slot has passed, 23:45 has not.
    const now = at('2026-06-08T16:30:00Z');
    expect(latestSlot(now, 15)).toBe(at('2026-06-08T16:15:00Z'));
    expect(nextSlot(now, 23 * 60 + 45)).toBe(at('2026-06-09T15:45:00Z'));
    expect(latestSlot(now, 23 * 60 + 45)).toBe(at('2026-06-08T15:45:00Z'));
  });

  it("makes a slot's task reconcile the China day before, until the slot's day ends", () => {
    expect(taskForSlot(at('2026-06-09T02:30:00Z'))).toEqual({
      date: '2026-06-08',
      attempt: 0,
      dueAt: at('2026-06-09T02:30:00Z'),
      cutOffAt: at('2026-06-09T16:00:00Z'), // 00:00 China time on 06-10
    });
    // A 00:05 slot on 06-09 China time (16:05 UTC on 06-08) still reconciles 06-08.
    expect(taskForSlot(at('2026-06-08T16:05:00Z'))).toMatchObject({
      date: '2026-06-08',
      cutOffAt: at('2026-06-09T16:00:00Z'),
    });
    // Across a month and a year.
    expect(taskForSlot(at('2027-01-01T02:30:00Z')).date).toBe('2026-12-31');
  });

  it('backs off doubling from retryMs, at most 4× apart, and gives up at the cut-off', () => {
    const task = taskForSlot(at('2026-06-09T02:30:00Z'));
    const now = at('2026-06-09T03:00:00Z');
    const retry = 30 * MIN;
    const delays = [1, 2, 3, 4, 5].map(
      (attempt) => retryAt({ ...task, attempt }, now, retry)! - now,
    );
    expect(delays).toEqual([30 * MIN, 60 * MIN, 120 * MIN, 120 * MIN, 120 * MIN]);
    // 23:10 China time: a retry 60 minutes later would be past midnight.
    const late = at('2026-06-09T15:10:00Z');
    expect(retryAt({ ...task, attempt: 2 }, late, retry)).toBeUndefined();
    expect(retryAt({ ...task, attempt: 1 }, late, retry)).toBe(late + 30 * MIN);
  });
});
