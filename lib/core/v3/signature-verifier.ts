import { verifyWithRsaKey } from '../crypto/rsa-sign.js';
import { WechatPaySignatureError } from '../errors.js';
import type { PlatformKeyStore } from './platform-key-store.js';
import {
  assertFreshTimestamp,
  readSignedHeaders,
  signedMessage,
  TIMESTAMP_WINDOW_SECONDS,
} from './signed-headers.js';

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
  async verify(
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
    what: string,
  ): Promise<void> {
    const signed = readSignedHeaders(headers, what);
    assertFreshTimestamp(signed.timestamp, what, this.now(), this.windowSeconds);
    if (signed.signature.startsWith('WECHATPAY/SIGNTEST/')) {
      throw new WechatPaySignatureError(
        `${what} carries a WeChat Pay probe signature (WECHATPAY/SIGNTEST/…), which must never verify`,
      );
    }
    // Known serials are a synchronous map read; only an unknown one may wait for a download.
    const key = this.keys.lookup(signed.serial) ?? (await this.keys.keyFor(signed.serial));
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
