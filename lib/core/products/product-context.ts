import type { KeyObject } from 'node:crypto';
import type { MerchantIdentity } from '../merchant/merchant-identity.js';
import type { RecoveryTracker } from '../recovery/payment-recovery.js';
import type { WechatPayV2Client } from '../v2/v2-client.js';
import type { WechatPayV3Client } from '../v3/v3-client.js';

/**
 * What an API v3 product is built from: the signing, verifying client and who the merchant is.
 * The client builds one and hands it to every product.
 */
export interface V3ProductContext {
  /** Signs requests, verifies answers, maps errors. */
  readonly api: WechatPayV3Client;
  /** The merchant's identity and its per-call overrides. */
  readonly merchant: MerchantIdentity;
  /**
   * The merchant private key, for client payment parameters.
   * @throws WechatPayError when API v3 is not configured
   */
  signingKey(): KeyObject;
  /**
   * The key sensitive fields (names, card numbers, phone numbers) are encrypted with: every
   * field of one request must use the same key, and its serial goes in `Wechatpay-Serial`
   * (pass it as the request's `wechatpaySerial`).
   */
  sensitiveFields(): Promise<SensitiveFieldEncryptor>;
  /** Told of every order placed, for missed-notification recovery. */
  readonly recovery?: RecoveryTracker;
}

/** Encrypts sensitive request fields for the WeChat Pay key named by `serial`. */
export interface SensitiveFieldEncryptor {
  /** The serial of the platform certificate or WeChat Pay public key (`PUB_KEY_ID_…`). */
  readonly serial: string;
  /** RSA-OAEP (SHA-1), base64, as WeChat Pay expects. */
  encrypt(plain: string): string;
}

/** What an API v2 product is built from. */
export interface V2ProductContext {
  /** XML in and out, MD5 / HMAC-SHA256 signing, the client certificate where needed. */
  readonly api: WechatPayV2Client;
  /** The merchant's identity and its per-call overrides. */
  readonly merchant: MerchantIdentity;
  /** Told of every order placed, for missed-notification recovery. */
  readonly recovery?: RecoveryTracker;
}
