import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { WechatPayError } from '../errors.js';

/** A key as users hold it: PEM text, PEM bytes, or an already parsed `KeyObject`. */
export type KeyInput = KeyObject | string | Buffer;

/**
 * Parses an RSA private key (PKCS#8 or PKCS#1 PEM, e.g. `apiclient_key.pem`) once.
 * @throws WechatPayError when the input is not an RSA private key; the message never quotes it.
 */
export function toRsaPrivateKey(key: KeyInput): KeyObject {
  const parsed = key instanceof KeyObject ? key : parse(() => createPrivateKey(key), 'private');
  if (parsed.type !== 'private' || parsed.asymmetricKeyType !== 'rsa') {
    throw new WechatPayError(`expected an RSA private key, got ${describeKeyType(parsed)}`);
  }
  return parsed;
}

/**
 * Parses an RSA public key once: a `PUBLIC KEY` PEM (WeChat Pay public key), an X.509 certificate
 * (platform certificate) or a private key, whose public half is taken.
 */
export function toRsaPublicKey(key: KeyInput): KeyObject {
  const parsed = key instanceof KeyObject ? key : parse(() => createPublicKey(key), 'public');
  const publicKey = parsed.type === 'private' ? createPublicKey(parsed) : parsed;
  if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'rsa') {
    throw new WechatPayError(`expected an RSA public key, got ${describeKeyType(publicKey)}`);
  }
  return publicKey;
}

function parse(read: () => KeyObject, kind: 'private' | 'public'): KeyObject {
  try {
    return read();
  } catch (cause) {
    // OpenSSL's message may echo parts of the input, so it stays in `cause` only.
    throw new WechatPayError(
      `could not parse the ${kind} key: expected PEM text ("-----BEGIN ${
        kind === 'private' ? 'PRIVATE KEY' : 'PUBLIC KEY'
      }-----" …)`,
      { cause },
    );
  }
}

/** "an EC key", "a DSA key", "an Ed25519 key", "a secret key": the type as people write it. */
function describeKeyType(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  const name = !type
    ? key.type
    : /^(ed|x)\d/.test(type)
      ? type.charAt(0).toUpperCase() + type.slice(1)
      : type.toUpperCase();
  // Letters whose spoken name starts with a vowel take "an" (an EC, an RSA, an X25519).
  const article = type && /^[AEFHILMNORSX]/.test(name) ? 'an' : 'a';
  return `${article} ${name} key`;
}
