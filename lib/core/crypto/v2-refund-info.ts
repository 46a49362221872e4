import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { WechatPayDecryptError } from '../errors.js';

/** The `req_info` key: the lower-case hex MD5 of the API key, used as 32 ASCII bytes. */
function refundInfoKey(apiKey: string): Buffer {
  return Buffer.from(createHash('md5').update(apiKey, 'utf8').digest('hex'), 'ascii');
}

/** AES-256-ECB with PKCS#7 padding. */
export function aes256EcbDecrypt(key: Buffer, data: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-ecb', key, null);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

/** AES-256-ECB with PKCS#7 padding. */
export function aes256EcbEncrypt(key: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-ecb', key, null);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/**
 * Decrypts the `req_info` field of an API v2 refund notification.
 *
 * ECB has no authentication: a wrong key usually shows as a padding error, and the result is
 * also checked to be a `<root>` document, so garbage is never returned.
 *
 * @param reqInfo the base64 `req_info` text
 * @param apiKey the merchant's API key (v2)
 * @returns the decrypted `<root>…</root>` XML
 * @throws WechatPayDecryptError with a hint at the API key when decryption fails
 * @example
 * const xml = decryptV2RefundInfo(notification.req_info, process.env.WECHATPAY_API_KEY!);
 */
export function decryptV2RefundInfo(reqInfo: string, apiKey: string): string {
  const data = Buffer.from(reqInfo, 'base64');
  let text: string;
  try {
    text = aes256EcbDecrypt(refundInfoKey(apiKey), data).toString('utf8');
  } catch (cause) {
    throw refundInfoError(cause);
  }
  if (!/^\s*<root>[\s\S]*<\/root>\s*$/.test(text)) throw refundInfoError();
  return text;
}

/** Encrypts a `<root>` document as WeChat Pay does for `req_info` (used by the simulator). */
export function encryptV2RefundInfo(rootXml: string, apiKey: string): string {
  return aes256EcbEncrypt(refundInfoKey(apiKey), Buffer.from(rootXml, 'utf8')).toString('base64');
}

function refundInfoError(cause?: unknown): WechatPayDecryptError {
  return new WechatPayDecryptError(
    'could not decrypt req_info: check that apiKey is the API v2 key of the merchant that made the refund',
    cause === undefined ? undefined : { cause },
  );
}
