import { WechatPaySignatureError } from '../errors.js';

/** The four headers WeChat Pay signs its responses and notifications with. */
export interface WechatPaySignedHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
}

/** Largest allowed |now − Wechatpay-Timestamp|, in seconds, exclusive. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

const HEADER_NAMES = {
  timestamp: 'wechatpay-timestamp',
  nonce: 'wechatpay-nonce',
  signature: 'wechatpay-signature',
  serial: 'wechatpay-serial',
} as const;

type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * Reads the signature headers (any letter case).
 * @throws WechatPaySignatureError naming every missing header
 */
export function readSignedHeaders(headers: HeaderBag, what: string): WechatPaySignedHeaders {
  const lower: HeaderBag = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  const result: Partial<WechatPaySignedHeaders> = {};
  const missing: string[] = [];
  for (const [field, name] of Object.entries(HEADER_NAMES) as [
    keyof WechatPaySignedHeaders,
    string,
  ][]) {
    const raw = lower[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value) result[field] = value;
    else missing.push(headerLabel(name));
  }
  if (missing.length) {
    throw new WechatPaySignatureError(
      `${what} is not signed: missing ${missing.join(', ')}. Only messages signed by WeChat Pay are accepted.`,
    );
  }
  return result as WechatPaySignedHeaders;
}

/**
 * Rejects a timestamp `windowSeconds` or more away from local time.
 * @throws WechatPaySignatureError
 */
export function assertFreshTimestamp(
  timestamp: string,
  what: string,
  now: number = Date.now(),
  windowSeconds: number = TIMESTAMP_WINDOW_SECONDS,
): void {
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (Number.isNaN(seconds)) {
    throw new WechatPaySignatureError(`${what} has a malformed Wechatpay-Timestamp`);
  }
  const skew = Math.abs(Math.floor(now / 1000) - seconds);
  if (skew >= windowSeconds) {
    throw new WechatPaySignatureError(
      `${what} is ${skew} s away from local time (limit ${windowSeconds} s): it is stale or replayed, or this server's clock is wrong (check NTP).`,
    );
  }
}

/** `TIMESTAMP\nNONCE\nBODY\n` over the exact body bytes received. */
export function signedMessage(timestamp: string, nonce: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'), body, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');

function headerLabel(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}
