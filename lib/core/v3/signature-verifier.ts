import type { KeyObject } from 'node:crypto';
import { verifyWithRsaKey } from '../crypto/rsa-sign.js';
import { WechatPaySignatureError } from '../errors.js';
import type { PlatformKeyStore } from './platform-key-store.js';
import {
  assertFreshTimestamp,
  readSignedHeaders,
  signedMessage,
  TIMESTAMP_WINDOW_SECONDS,
  type WechatPaySignedHeaders,
} from './signed-headers.js';

const VERIFIED: Promise<void> = Promise.resolve();

/**
 * Verifies anything WeChat Pay signs with API v3 — responses and notifications: all four
 * headers present, timestamp within the window, a known serial (after one rate-limited
 * refresh), and the signature over the exact bytes received.
 */
export class V3SignatureVerifier {
  constructor(
    private readonly keys: PlatformKeyStore,
    private readonly now: () => number = Date.now,
    private readonly windowSeconds: number = TIMESTAMP_WINDOW_SECONDS,
  ) {}

  /**
   * @param what names the message in errors, e.g. `the response to GET /v3/pay/…`
   * @throws WechatPaySignatureError telling what failed; the message is then unusable
   */
  verify(
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
    what: string,
  ): Promise<void> {
    // Not an async function: a known key then costs no promise of its own, only the shared one.
    try {
      return this.verifyNow(headers, body, what) ?? VERIFIED;
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * {@link verify} without a detour through the event loop when the serial is known, which is
   * every message but the first after a certificate rotation: returns `undefined` once verified,
   * or, for an unknown serial, the promise of the verification after a certificate download.
   * @throws WechatPaySignatureError (synchronously, or by the promise) telling what failed
   */
  verifyNow(
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
    what: string,
  ): Promise<void> | undefined {
    const signed = readSignedHeaders(headers, what);
    assertFreshTimestamp(signed.timestamp, what, this.now(), this.windowSeconds);
    if (signed.signature.startsWith('WECHATPAY/SIGNTEST/')) {
      throw new WechatPaySignatureError(
        `${what} carries a WeChat Pay probe signature (WECHATPAY/SIGNTEST/…), which must never verify`,
      );
    }
    // Known serials are a synchronous map read; only an unknown one may wait for a download.
    const known = this.keys.lookup(signed.serial);
    if (known) {
      this.check(signed, known, body, what);
      return undefined;
    }
    return this.keys.keyFor(signed.serial).then((key) => this.check(signed, key, body, what));
  }

  private check(
    signed: WechatPaySignedHeaders,
    key: KeyObject | undefined,
    body: Buffer,
    what: string,
  ): void {
    if (!key) {
      throw new WechatPaySignatureError(
        `${what} is signed with unknown serial ${signed.serial}; known: ${this.keys.knownSerials.join(', ') || 'none'}. ` +
          (signed.serial.startsWith('PUB_KEY_ID_')
            ? 'Set platformPublicKey and platformPublicKeyId to the WeChat Pay public key shown in the merchant platform.'
            : 'If WeChat Pay rotated its certificate, it appears after the next refresh; a forged message never does.'),
      );
    }
    if (
      !verifyWithRsaKey(signedMessage(signed.timestamp, signed.nonce, body), signed.signature, key)
    ) {
      throw new WechatPaySignatureError(
        `${what} has a signature that does not verify (serial ${signed.serial}): the body or its headers were altered`,
      );
    }
  }
}
