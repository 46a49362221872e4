import { generateNonce } from '../../core/crypto/nonce.js';
import { signV2, type V2SignType } from '../../core/crypto/v2-sign.js';
import { buildV2Xml } from '../../core/v2/xml.js';
import type { NotificationTamper } from '../tampering.js';
import { definedFields } from '../v2/answers.js';
import type { OutgoingNotification } from './notifier.js';

/** What a product says about one API v2 notification. */
export interface V2NotificationSpec {
  id: string;
  eventType: string;
  url: string;
  /** Who it is for: the order's `appid`, `mch_id` and `sub_mch_id`. */
  appid: string;
  mchid: string;
  subMchid?: string;
  /** The sign type the order was placed with. */
  signType: V2SignType;
  /** Placed through the sandbox, so signed with the sandbox key. */
  sandbox: boolean;
  fields: Record<string, string | undefined>;
  /** Refund notifications carry no `sign` (their content is encrypted instead). */
  signed: boolean;
  tamper: NotificationTamper;
}

/** An API v2 notification: XML, signed afresh for each attempt, spoiled as `spec.tamper` asks. */
export function v2Notification(
  spec: V2NotificationSpec,
  keyFor: (mchid: string, sandbox: boolean) => string | undefined,
): OutgoingNotification {
  const { tamper, signType } = spec;
  return {
    id: spec.id,
    eventType: spec.eventType,
    url: tamper.url ?? spec.url,
    isSuccess: (status, body) => status === 200 && /<return_code>(<!\[CDATA\[)?SUCCESS/.test(body),
    build: () => {
      const defined = definedFields({
        appid: spec.appid,
        mch_id: tamper.mchId ?? spec.mchid,
        sub_mch_id: spec.subMchid,
        nonce_str: generateNonce(),
        ...spec.fields,
        ...(tamper.returnCode ? { return_code: tamper.returnCode, return_msg: '通信失败' } : {}),
        ...(spec.signed && signType !== 'MD5' ? { sign_type: signType } : {}),
      });
      if (spec.signed) {
        defined.sign = signV2(defined, keyFor(spec.mchid, spec.sandbox) ?? '', signType);
        if (tamper.tamperSignature)
          defined.sign = defined.sign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
      }
      if (tamper.tamperBody && defined.total_fee)
        defined.total_fee = String(Number(defined.total_fee) + 1);
      return {
        body: tamper.body ?? buildV2Xml(defined),
        headers: { 'Content-Type': 'text/xml', 'User-Agent': 'Mozilla/4.0' },
      };
    },
  };
}
