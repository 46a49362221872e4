import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { WechatPayOptions } from '../core/config/options.js';

/** Credentials of a made-up merchant, generated at run time for tests. */
export interface TestMerchant {
  mchid: string;
  appid: string;
  /** Upper-case hex serial of the (imaginary) merchant API certificate. */
  serialNo: string;
  privateKey: KeyObject;
  /** The private key as PKCS#8 PEM, as `apiclient_key.pem` holds it. */
  privateKeyPem: string;
  publicKey: KeyObject;
  /** 32 random alphanumerics. */
  apiV3Key: string;
  /** 32 random alphanumerics. */
  apiKey: string;
  /** Module options for this merchant (API v3 and v2). */
  options: WechatPayOptions;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length: number): string {
  return Array.from(randomBytes(length), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/**
 * Generates a fresh merchant: a 2048-bit RSA key pair, a serial, APIv3 and v2 keys. Nothing is
 * written to disk and nothing is real, so tests never need production secrets.
 * @param overrides fields to fix, e.g. `{ mchid: '1900000109' }`
 * @example
 * const merchant = createTestMerchant();
 * WechatPayModule.forRoot({ ...merchant.options, domain: simulator.url });
 */
export function createTestMerchant(overrides: Partial<WechatPayOptions> = {}): TestMerchant {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const mchid = overrides.mchid ?? `19${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const appid = overrides.appid ?? `wx${randomBytes(8).toString('hex')}`;
  const serialNo = overrides.serialNo ?? randomBytes(20).toString('hex').toUpperCase();
  const apiV3Key = overrides.apiV3Key ?? randomAlphanumeric(32);
  const apiKey = overrides.apiKey ?? randomAlphanumeric(32);
  return {
    mchid,
    appid,
    serialNo,
    privateKey,
    privateKeyPem,
    publicKey,
    apiV3Key,
    apiKey,
    options: { ...overrides, mchid, appid, serialNo, privateKey, apiV3Key, apiKey },
  };
}
