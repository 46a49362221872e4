import { randomBytes } from 'node:crypto';

/** `length` random decimal digits, for WeChat Pay's numeric ids (transaction, refund). */
export function randomDigits(length: number): string {
  return Array.from(randomBytes(length), (b) => String(b % 10)).join('');
}
