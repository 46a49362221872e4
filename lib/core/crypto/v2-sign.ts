import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time.js';

/** API v2 signature algorithms. */
export type V2SignType = 'MD5' | 'HMAC-SHA256';

/**
 * The string API v2 signs: non-empty parameters except `sign`, sorted by ASCII name, joined as
 * `k=v&…`, then `&key=API_KEY`.
 */
export function buildV2SignString(params: Record<string, unknown>, apiKey: string): string {
  const pairs: string[] = [];
  for (const name of Object.keys(params).sort()) {
    if (name === 'sign') continue;
    const value = stringifyV2Value(params[name]);
    if (value !== '') pairs.push(`${name}=${value}`);
  }
  pairs.push(`key=${apiKey}`);
  return pairs.join('&');
}

/**
 * Signs API v2 parameters.
 *
 * @param params the request or callback fields; `sign` and empty values are skipped
 * @param apiKey the merchant's 32-character API key (v2), or the sandbox sign key
 * @param signType `MD5` (default) or `HMAC-SHA256`
 * @returns the upper-case hex signature
 * @example
 * signV2({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', body: 'test', nonce_str: 'x' }, apiKey);
 */
export function signV2(
  params: Record<string, unknown>,
  apiKey: string,
  signType: V2SignType = 'MD5',
): string {
  const text = buildV2SignString(params, apiKey);
  const digest =
    signType === 'HMAC-SHA256'
      ? createHmac('sha256', apiKey).update(text, 'utf8').digest('hex')
      : createHash('md5').update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}

/**
 * Checks the `sign` field of API v2 parameters in constant time.
 *
 * @param signType the algorithm; when omitted, `params.sign_type` decides, else the signature
 *   length (32 hex characters: MD5, 64: HMAC-SHA256)
 * @returns false when `sign` is missing or does not match
 */
export function verifyV2(
  params: Record<string, unknown>,
  apiKey: string,
  signType?: V2SignType,
): boolean {
  const sign = params.sign;
  if (typeof sign !== 'string' || sign === '') return false;
  const type = signType ?? detectV2SignType(params.sign_type, sign);
  return constantTimeEqual(signV2(params, apiKey, type), sign.toUpperCase());
}

function detectV2SignType(declared: unknown, sign: string): V2SignType {
  if (declared === 'HMAC-SHA256' || declared === 'MD5') return declared;
  return sign.length === 64 ? 'HMAC-SHA256' : 'MD5';
}

function stringifyV2Value(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  // Nested fields such as `scene_info` and `detail` travel as JSON text.
  return JSON.stringify(value);
}
