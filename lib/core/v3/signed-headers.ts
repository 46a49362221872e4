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
  // Node and both HTTP adapters hand over lower-case names: read those directly (this runs for
  // every answer and notification), and look case-insensitively only when something is missing.
  let timestamp = first(headers[HEADER_NAMES.timestamp]);
  let nonce = first(headers[HEADER_NAMES.nonce]);
  let signature = first(headers[HEADER_NAMES.signature]);
  let serial = first(headers[HEADER_NAMES.serial]);
  if (!(timestamp && nonce && signature && serial)) {
    const lower: HeaderBag = {};
    for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
    timestamp = first(lower[HEADER_NAMES.timestamp]);
    nonce = first(lower[HEADER_NAMES.nonce]);
    signature = first(lower[HEADER_NAMES.signature]);
    serial = first(lower[HEADER_NAMES.serial]);
  }
  if (timestamp && nonce && signature && serial) return { timestamp, nonce, signature, serial };
  const present = { timestamp, nonce, signature, serial };
  const missing = (Object.keys(HEADER_NAMES) as (keyof WechatPaySignedHeaders)[])
    .filter((field) => !present[field])
    .map((field) => headerLabel(HEADER_NAMES[field]));
  throw new WechatPaySignatureError(
    `${what} is not signed: missing ${missing.join(', ')}. Only messages signed by WeChat Pay are accepted.`,
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value || undefined;
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
  const seconds = Number(timestamp);
  if (!Number.isSafeInteger(seconds) || seconds < 0 || timestamp.length > 12) {
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
  const head = `${timestamp}\n${nonce}\n`;
  const headLength = Buffer.byteLength(head);
  const message = Buffer.allocUnsafe(headLength + body.length + 1);
  message.write(head, 0, 'utf8');
  body.copy(message, headLength);
  message[message.length - 1] = 0x0a;
  return message;
}

function headerLabel(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}
