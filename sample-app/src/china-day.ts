/**
 * The China-time (UTC+8, no daylight saving) day `offsetDays` before today, `YYYY-MM-DD`: the
 * days WeChat Pay's bills and complaint lists are cut by.
 */
export const chinaDay = (offsetDays = 0): string =>
  new Date(Date.now() + 8 * 3_600_000 - offsetDays * 86_400_000).toISOString().slice(0, 10);
