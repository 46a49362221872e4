import { encryptResource } from '../../core/crypto/aes-gcm.js';
import { unixSeconds } from '../../core/crypto/nonce.js';
import { flipSignatureByte, type NotificationTamper } from '../tampering.js';
import { chinaTime } from '../time.js';
import type { OutgoingNotification } from './notifier.js';

/** What a product says about one API v3 notification. */
export interface V3NotificationSpec {
  id: string;
  /** e.g. `TRANSACTION.SUCCESS` */
  eventType: string;
  summary: string;
  /** The resource's `original_type`, also its associated data. */
  originalType: string;
  /** The resource, encrypted with the merchant's APIv3 key. */
  payload: unknown;
  url: string;
  /** The merchant it is for (whose APIv3 key encrypts it). */
  mchid: string;
  tamper: NotificationTamper;
}

/**
 * An API v3 notification: the encrypted resource in WeChat Pay's envelope, signed afresh for
 * each attempt with `sign`, then spoiled as `spec.tamper` asks.
 */
export function v3Notification(
  spec: Omit<V3NotificationSpec, 'mchid'> & { apiV3Key: string },
  sign: (body: string, timestamp: number) => Record<string, string>,
): OutgoingNotification {
  const { tamper } = spec;
  return {
    id: spec.id,
    eventType: spec.eventType,
    url: tamper.url ?? spec.url,
    isSuccess: (status) => status === 200 || status === 204,
    build: () => {
      let body =
        tamper.body ??
        JSON.stringify({
          id: spec.id,
          create_time: chinaTime(new Date()),
          resource_type: 'encrypt-resource',
          event_type: spec.eventType,
          summary: spec.summary,
          resource: encryptResource(JSON.stringify(spec.payload), spec.apiV3Key, {
            associatedData: spec.originalType,
            originalType: spec.originalType,
          }),
        });
      const signed = sign(body, unixSeconds() + (tamper.timestampOffsetSeconds ?? 0));
      if (tamper.tamperBody) body = body.replace(spec.summary, `${spec.summary}!`);
      if (tamper.tamperSignature)
        signed['Wechatpay-Signature'] = flipSignatureByte(signed['Wechatpay-Signature']!);
      if (tamper.probe)
        signed['Wechatpay-Signature'] = `WECHATPAY/SIGNTEST/${signed['Wechatpay-Signature']}`;
      if (tamper.serial) signed['Wechatpay-Serial'] = tamper.serial;
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': 'Mozilla/4.0',
        ...signed,
      };
      if (tamper.omitHeader) delete headers[tamper.omitHeader];
      return { body, headers };
    },
  };
}
