const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The ISO form of `date` shifted to China time (UTC+8), still ending in `Z`. */
const shifted = (date: Date) => new Date(date.getTime() + CHINA_OFFSET_MS).toISOString();

/** WeChat Pay's API v3 time format: RFC 3339 in China time. */
export function chinaTime(date: Date): string {
  return shifted(date).replace(/\.\d{3}Z$/, '+08:00');
}

/** `yyyy-MM-dd` in China time, as bill dates are given. */
export function chinaDate(date: Date): string {
  return shifted(date).slice(0, 10);
}

/** `yyyy-MM-dd HH:mm:ss` in China time, as bills and v2 refund messages write times. */
export function chinaDateTime(date: Date): string {
  return shifted(date).slice(0, 19).replace('T', ' ');
}

/** WeChat Pay API v2's `yyyyMMddHHmmss`, China time. */
export function v2Time(date: Date): string {
  return shifted(date).replace(/\D/g, '').slice(0, 14);
}
