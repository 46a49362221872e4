import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { WechatPayDecryptError } from '../errors.js';
import { type KeyInput, toRsaPrivateKey, toRsaPublicKey } from './keys.js';

/**
 * Encrypts a sensitive field (name, ID number, phone…) for WeChat Pay: RSA-OAEP with SHA-1 and
 * MGF1, base64. Send the `Wechatpay-Serial` of the key used alongside.
 * @param publicKey the platform certificate or WeChat Pay public key
 * @example
 * const encryptedName = encryptSensitive('张三', platformPublicKey);
 */
export function encryptSensitive(plain: string, publicKey: KeyInput): string {
  return publicEncrypt(
    { key: toRsaPublicKey(publicKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(plain, 'utf8'),
  ).toString('base64');
}

/**
 * Decrypts a sensitive field WeChat Pay encrypted with the merchant's public key.
 * @throws WechatPayDecryptError when the ciphertext is not for this key or was altered
 */
export function decryptSensitive(cipher: string, privateKey: KeyInput): string {
  try {
    return privateDecrypt(
      {
        key: toRsaPrivateKey(privateKey),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha1',
      },
      Buffer.from(cipher, 'base64'),
    ).toString('utf8');
  } catch (cause) {
    throw new WechatPayDecryptError(
      'could not decrypt the sensitive field: it was not encrypted for this merchant private key, or it was altered',
      { cause },
    );
  }
}
