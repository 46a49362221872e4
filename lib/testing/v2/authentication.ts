import { type V2SignType, verifyV2 } from '../../core/crypto/v2-sign.js';
import type { V2Fields } from '../../core/v2/xml.js';
import type { SimulatorMerchants } from '../merchants.js';
import type { TestMerchant } from '../test-merchant.js';
import { fail, type V2SimulatorAnswer } from './answers.js';
import type { V2Keys } from './v2-keys.js';

const SANDBOX_PREFIX = '/xdc/apiv2sandbox';

/** A v2 request that passed WeChat Pay's checks. */
export interface V2Caller {
  merchant: TestMerchant;
  /** The key its messages are signed with (the sandbox key in sandbox mode). */
  key: string;
  signType: V2SignType;
  sandbox: boolean;
  /** The path without the sandbox prefix. */
  path: string;
}

/**
 * WeChat Pay's checks of an API v2 request: a known `mch_id`, a sandbox key fetched before
 * sandbox calls, a known `sign_type`, the signature in the body, and the merchant's client
 * certificate where the path needs it.
 * @returns the verified caller, or the `return_code` FAIL answer
 */
export function authenticateV2(
  request: { path: string; fields: V2Fields; clientCertificateMchid: string | undefined },
  merchants: SimulatorMerchants,
  keys: V2Keys,
  needsCertificate: (path: string) => boolean,
): V2Caller | { refused: V2SimulatorAnswer } {
  const { fields } = request;
  const sandbox = request.path.startsWith(SANDBOX_PREFIX);
  const path = sandbox ? request.path.slice(SANDBOX_PREFIX.length) : request.path;
  const merchant = merchants.get(fields.mch_id);
  if (!merchant) return { refused: fail('mch_id参数错误 (unknown mch_id)') };
  const key = keys.keyFor(merchant.mchid, sandbox);
  if (!key) return { refused: fail('请先获取沙箱密钥 (fetch the sandbox sign key first)') };
  const signType = (fields.sign_type ?? 'MD5') as V2SignType;
  if (signType !== 'MD5' && signType !== 'HMAC-SHA256')
    return { refused: fail('sign_type参数错误') };
  if (!verifyV2(fields, key, signType))
    return { refused: fail('签名错误 (signature does not verify)') };
  if (needsCertificate(path) && request.clientCertificateMchid !== merchant.mchid) {
    return {
      refused: fail(
        '证书错误: 请使用商户证书 (this endpoint needs the merchant client certificate)',
      ),
    };
  }
  return { merchant, key, signType, sandbox, path };
}
