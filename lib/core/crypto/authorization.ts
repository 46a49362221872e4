import { type KeyInput } from './keys.js';
import { generateNonce, unixSeconds } from './nonce.js';
import { buildV3Message, signV3Message } from './rsa-sign.js';

/** The authentication scheme of API v3 requests. */
export const AUTHORIZATION_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

/** Input of {@link buildAuthorization}. */
export interface AuthorizationInput {
  /** HTTP method, e.g. `POST`. */
  method: string;
  /** The path with query string (`/v3/pay/transactions/id/4200…?mchid=…`) or a full URL. */
  url: string;
  /** The exact body text sent; empty or omitted for GET. */
  body?: string;
  /** The merchant id (the service provider's in partner mode). */
  mchid: string;
  /** Serial number of the merchant API certificate. */
  serialNo: string;
  /** The merchant API private key (`apiclient_key.pem`). */
  privateKey: KeyInput;
  /** Unix seconds. @default now */
  timestamp?: number;
  /** @default 32 random alphanumerics */
  nonce?: string;
}

/**
 * The full `Authorization` header value of an API v3 request.
 * @example
 * const authorization = buildAuthorization({
 *   method: 'GET', url: '/v3/certificates', mchid: '1900009191',
 *   serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', privateKey,
 * });
 */
export function buildAuthorization(input: AuthorizationInput): string {
  const timestamp = input.timestamp ?? unixSeconds();
  const nonce = input.nonce ?? generateNonce();
  const message = buildV3Message(
    input.method.toUpperCase(),
    pathWithQuery(input.url),
    timestamp,
    nonce,
    input.body ?? '',
  );
  const signature = signV3Message(message, input.privateKey);
  return (
    `${AUTHORIZATION_SCHEME} mchid="${input.mchid}",nonce_str="${nonce}",` +
    `timestamp="${timestamp}",serial_no="${input.serialNo}",signature="${signature}"`
  );
}

function pathWithQuery(url: string): string {
  if (url.startsWith('/')) return url;
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
