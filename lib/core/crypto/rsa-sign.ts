import { type KeyObject, sign, verify } from 'node:crypto';
import { type KeyInput, toRsaPrivateKey, toRsaPublicKey } from './keys.js';

/** Signatures WeChat Pay sends to probe that merchants really verify; they must never pass. */
export const PROBE_SIGNATURE_PREFIX = 'WECHATPAY/SIGNTEST/';

/**
 * SHA256withRSA (PKCS#1 v1.5) signature of `message`, base64. Pass a `KeyObject` on hot paths:
 * a PEM string is parsed on every call.
 * @example
 * const signature = signV3Message(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, privateKey);
 */
export function signV3Message(message: string, privateKey: KeyInput): string {
  return sign('sha256', Buffer.from(message, 'utf8'), toRsaPrivateKey(privateKey)).toString(
    'base64',
  );
}

/**
 * Verifies a base64 SHA256withRSA signature over `message` (text, or the exact bytes
 * received). Probe signatures (`WECHATPAY/SIGNTEST/…`) and malformed input return false; this function never throws for a bad signature.
 * @example
 * verifyV3Message(`${timestamp}\n${nonce}\n${rawBody}\n`, headers['wechatpay-signature'], platformKey);
 */
export function verifyV3Message(
  message: string | Buffer,
  signature: string,
  publicKey: KeyInput,
): boolean {
  if (typeof signature !== 'string' || signature.startsWith(PROBE_SIGNATURE_PREFIX)) return false;
  const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  return verifyWithRsaKey(bytes, signature, toRsaPublicKey(publicKey));
}

/**
 * {@link verifyV3Message} for a key already known to be an RSA public `KeyObject`: the hot path
 * of answer and notification verification, whose keys were checked when they were stored.
 * Probe signatures are the caller's to refuse.
 */
export function verifyWithRsaKey(message: Buffer, signature: string, key: KeyObject): boolean {
  const bytes = Buffer.from(signature, 'base64');
  // An RSA signature is exactly as long as the modulus; anything else is not one.
  if (bytes.length * 8 !== key.asymmetricKeyDetails?.modulusLength) return false;
  try {
    return verify('sha256', message, key, bytes);
  } catch {
    return false;
  }
}

/** The signed message of API v3: each part followed by `\n`. */
export function buildV3Message(...parts: (string | number)[]): string {
  return parts.map((part) => `${part}\n`).join('');
}
