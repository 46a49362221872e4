import { randomBytes } from 'node:crypto';
import { verifyV2 } from '../../core/crypto/v2-sign.js';
import { buildV2Xml, type V2Fields } from '../../core/v2/xml.js';
import type { SimulatorMerchants } from '../merchants.js';
import { fail, type V2SimulatorAnswer } from './answers.js';

/** The keys API v2 messages are signed with: each merchant's API key, or its sandbox key. */
export class V2Keys {
  private readonly sandboxKeys = new Map<string, string>();

  constructor(private readonly merchants: SimulatorMerchants) {}

  /** The key for `mchid` (the sandbox key in sandbox mode, once fetched). */
  keyFor(mchid: string, sandbox: boolean): string | undefined {
    return sandbox ? this.sandboxKeys.get(mchid) : this.merchants.get(mchid)?.apiKey;
  }

  /** `getsignkey`: signed with MD5 and the real API key, answers the merchant's sandbox key. */
  issueSandboxKey(f: V2Fields): V2SimulatorAnswer {
    const merchant = this.merchants.get(f.mch_id);
    if (!merchant || !verifyV2(f, merchant.apiKey, 'MD5'))
      return fail('签名错误 (getsignkey is signed with MD5 and the real API key)');
    const key = this.sandboxKeys.get(merchant.mchid) ?? randomBytes(16).toString('hex');
    this.sandboxKeys.set(merchant.mchid, key);
    return {
      xml: buildV2Xml({
        return_code: 'SUCCESS',
        return_msg: 'ok',
        mch_id: merchant.mchid,
        sandbox_signkey: key,
      }),
    };
  }
}
