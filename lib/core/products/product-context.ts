import type { KeyObject } from 'node:crypto';
import type { MerchantIdentity } from '../merchant/merchant-identity.js';
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
}

/** What an API v2 product is built from. */
export interface V2ProductContext {
  /** XML in and out, MD5 / HMAC-SHA256 signing, the client certificate where needed. */
  readonly api: WechatPayV2Client;
  /** The merchant's identity and its per-call overrides. */
  readonly merchant: MerchantIdentity;
}
