import { randomBytes } from 'node:crypto';

/** 32 random upper-case hex characters: the nonce shape WeChat Pay's own SDKs send. */
export function generateNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** Unix time in whole seconds, the unit every WeChat Pay timestamp uses. */
export function unixSeconds(now: number = Date.now()): number {
  return Math.floor(now / 1000);
}
