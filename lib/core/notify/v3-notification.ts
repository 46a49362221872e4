import type { KeyObject } from 'node:crypto';
import { decryptResource } from '../crypto/aes-gcm.js';
import { WechatPayNotificationError } from '../errors.js';
import {
  assertNotificationAppid,
  notificationAppidField,
  notificationMerchants,
  notificationOwner,
} from '../merchant/merchant-identity.js';
import type { V3SignatureVerifier } from '../v3/signature-verifier.js';
import type {
  NotificationEnvelope,
  V3NotificationBody,
  VerifiedNotification,
} from './notification.types.js';

/** What a v3 notification is checked against. */
export interface V3NotificationContext {
  verifier: V3SignatureVerifier;
  apiV3Key: KeyObject | undefined;
  /** The merchant (or service provider) the notification must be for. */
  mchid: string;
  /**
   * The AppIDs the merchant declared (`appid` and `appids`): a payment's `appid` (`sp_appid` in
   * partner mode, `combine_appid` of a combine payment) must be one of them. Empty: not checked.
   */
  appids: readonly string[];
}

/**
 * Verifies, parses and decrypts an API v3 notification from its headers and the exact bytes of
 * its body, in that order: nothing is used before the signature verified.
 *
 * @throws WechatPaySignatureError when the signature, timestamp or serial does not verify
 * @throws WechatPayNotificationError when the body is not a notification for this merchant
 * @throws WechatPayDecryptError when the resource does not decrypt (usually a wrong APIv3 key)
 */
export async function verifyV3Notification(
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  context: V3NotificationContext,
): Promise<VerifiedNotification> {
  return verifyV3NotificationNow(headers, rawBody, context);
}

/**
 * {@link verifyV3Notification}, synchronously when the signing key is already known (every
 * notification but the first after a certificate rotation), else the promise of it.
 * @throws the errors of {@link verifyV3Notification}, synchronously or by the promise
 */
export function verifyV3NotificationNow(
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  context: V3NotificationContext,
): VerifiedNotification | Promise<VerifiedNotification> {
  const pending = context.verifier.verifyNow(headers, rawBody, 'the notification');
  if (pending) return pending.then(() => openVerified(rawBody, context));
  return openVerified(rawBody, context);
}

/** Parses and decrypts a notification whose signature verified. */
function openVerified(rawBody: Buffer, context: V3NotificationContext): VerifiedNotification {
  const body = checkBody(parseJson(rawBody));
  if (!context.apiV3Key) {
    throw new WechatPayNotificationError(
      'API v3 notifications need apiV3Key in the module options',
    );
  }
  const plaintext = decryptResource(body.resource, context.apiV3Key);
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(plaintext) as Record<string, unknown>;
  } catch {
    throw new WechatPayNotificationError('the decrypted resource is not JSON');
  }
  const owners = notificationMerchants(payload, body.event_type);
  const owner = notificationOwner(payload);
  if (owner !== undefined && !owners.includes(context.mchid)) {
    throw new WechatPayNotificationError(
      `the notification is for merchant ${JSON.stringify(owner)}, not ${context.mchid}: check that its notify_url routes to the right registration`,
    );
  }
  const appidField = notificationAppidField(payload);
  assertNotificationAppid(payload[appidField], appidField, context.appids);
  const envelope: NotificationEnvelope = {
    id: body.id,
    create_time: body.create_time,
    event_type: body.event_type,
    resource_type: body.resource_type,
    summary: body.summary,
  };
  return { version: 'v3', id: body.id, envelope, payload };
}

function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WechatPayNotificationError('the notification body is not JSON');
  }
}

function checkBody(parsed: unknown): V3NotificationBody {
  const body = parsed as Partial<V3NotificationBody>;
  const resource = body?.resource;
  if (
    typeof body !== 'object' ||
    body === null ||
    typeof body.id !== 'string' ||
    typeof body.event_type !== 'string' ||
    typeof resource !== 'object' ||
    resource === null ||
    typeof resource.ciphertext !== 'string' ||
    typeof resource.nonce !== 'string'
  ) {
    throw new WechatPayNotificationError(
      'the notification lacks id, event_type or an encrypted resource (ciphertext, nonce)',
    );
  }
  return body as V3NotificationBody;
}
