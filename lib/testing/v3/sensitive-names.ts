import { sensitiveFieldDecryptor } from './sensitive-fields.js';
import type { PlatformKeys } from '../keys/platform-keys.js';
import { param, type SimulatorRequest } from './answers.js';

/**
 * Decrypts the encrypted `name` fields of one request as WeChat Pay does: with the key its
 * `Wechatpay-Serial` header names, refusing a request whose header is missing or names no key
 * WeChat Pay has, and a field that does not decrypt (sent in plain text, or for another key).
 */
export class SensitiveNames {
  constructor(
    private readonly platformKeys: PlatformKeys,
    /** Real names by account (a person's openid, a merchant number), set by tests. */
    private readonly realNames: ReadonlyMap<string, string>,
  ) {}

  /** The plain-text name, or undefined when none was sent. */
  decrypt(req: SimulatorRequest, ciphertext: unknown, field: string): string | undefined {
    if (ciphertext === undefined) return undefined;
    return sensitiveFieldDecryptor(req, this.platformKeys)(field, ciphertext);
  }

  /**
   * Refuses a name that is not the account's real one (a merchant's registered full name, a
   * person's real name), when the test told the simulator what it is.
   */
  check(account: string, name: string | undefined, type: string): void {
    const real = this.realNames.get(account);
    if (name === undefined || real === undefined || real === name) return;
    throw param(
      type === 'MERCHANT_ID'
        ? '分账接收方全称不匹配 (the name is not the merchant full name)'
        : '微信用户姓名与实名不一致 (the name is not the user real name)',
    );
  }
}
