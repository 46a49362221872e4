import type { PlatformKeys } from '../keys/platform-keys.js';
import { param, type SimulatorRequest } from './answers.js';

/**
 * Decrypts the sensitive fields of a request as WeChat Pay does: with the private key of the
 * certificate or public key named by `Wechatpay-Serial`, refused with WeChat Pay's
 * `PARAM_ERROR` when the header is missing or names no key it has.
 */
export function sensitiveFieldDecryptor(
  req: SimulatorRequest,
  platformKeys: PlatformKeys,
): (field: string, ciphertext: unknown) => string {
  const serial = req.wechatpaySerial;
  if (!serial || !platformKeys.hasSerial(serial)) throw param('平台证书序列号Wechatpay-Serial错误');
  return (field, ciphertext) => {
    if (typeof ciphertext !== 'string' || ciphertext === '') {
      throw param(`${field} 为必填参数 (${field} is required)`);
    }
    try {
      return platformKeys.decryptSensitive(ciphertext, serial);
    } catch {
      throw param(`${field} 解密失败 (not encrypted for Wechatpay-Serial ${serial})`);
    }
  };
}
