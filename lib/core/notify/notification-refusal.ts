import {
  WechatPayDecryptError,
  WechatPayError,
  WechatPayNotificationError,
  WechatPaySignatureError,
} from '../errors.js';
import type { NotificationVersion } from './acknowledgement.js';
import {
  isNotificationContentType,
  NOTIFICATION_MEDIA_TYPES,
} from './notification-content-type.js';
import type { DeliveryOutcome } from './notification-deduplicator.js';
import type { VerifiedNotification } from './notification.types.js';

/** Where notification refusals are reported; Nest's `Logger` and `console` both fit. */
export interface NotificationLogger {
  warn(message: string): void;
  error(message: string, stack?: string): void;
}

/**
 * Why a delivery was refused: `content_type` (a Content-Type WeChat Pay never sends),
 * `signature` (not signed by WeChat Pay), `content` (signed but not a notification for this
 * merchant, or not decryptable), `check_failed` (our own trouble, e.g. certificates that cannot
 * be downloaded), `event` (an event type the route does not take), `in_progress` (another
 * delivery runs it), `handler_failed`, `handler_timed_out`, `store_unavailable`.
 */
export type NotificationRefusalReason =
  | 'content_type'
  | 'signature'
  | 'content'
  | 'check_failed'
  | 'event'
  | 'in_progress'
  | 'handler_failed'
  | 'handler_timed_out'
  | 'store_unavailable';

/**
 * A delivery answered with a failure, so WeChat Pay delivers the event again: the HTTP status,
 * the message WeChat Pay is told (`message`), and the line to log, which may say more (our own
 * trouble is logged, not told).
 */
export class NotificationRefusal extends WechatPayError {
  constructor(
    /** The HTTP status of the failure acknowledgement. */
    readonly status: number,
    message: string,
    /** The API version, which decides the format of the acknowledgement. */
    readonly version: NotificationVersion,
    /** What to log, at which level; nothing when something else already logged it. */
    readonly log?: { level: 'warn' | 'error'; message: string; detail?: string },
    options?: ErrorOptions & { reason?: NotificationRefusalReason },
  ) {
    super(message, options);
    this.reason = options?.reason ?? reasonOfStatus(status);
  }

  /** Why the delivery was refused, as metrics and spans name it. */
  readonly reason: NotificationRefusalReason;

  /** Writes {@link log} to `logger`. */
  report(logger: NotificationLogger): void {
    if (this.log?.level === 'warn') logger.warn(this.log.message);
    else if (this.log) logger.error(this.log.message, this.log.detail);
  }
}

/**
 * Refuses, with 415, a Content-Type WeChat Pay never sends: `application/json` for v3,
 * `text/xml` (or `application/xml`) for v2. Anyone can send such a request, unsigned; it says
 * nothing about the app's setup, so it is a warning.
 */
export function contentTypeRefusal(
  version: NotificationVersion,
  contentType: string | string[] | undefined,
): NotificationRefusal | undefined {
  if (isNotificationContentType(version, contentType)) return undefined;
  const received = [contentType].flat()[0]?.split(';', 1)[0]?.trim().slice(0, 64);
  const message = `WeChat Pay sends ${version} notifications as ${NOTIFICATION_MEDIA_TYPES[version].join(' or ')}, not ${received ? JSON.stringify(received) : 'without a Content-Type'}`;
  return new NotificationRefusal(
    415,
    message,
    version,
    { level: 'warn', message: `notification rejected (415): ${message}` },
    { reason: 'content_type' },
  );
}

/** HTTP status of a failed verification: 401 for authenticity, 400 for content, 500 for our own trouble. */
export function verificationStatus(error: unknown): number {
  if (error instanceof WechatPaySignatureError) return 401;
  if (error instanceof WechatPayNotificationError || error instanceof WechatPayDecryptError)
    return 400;
  return 500;
}

/**
 * The refusal of a notification that did not verify. A 500 (our own trouble, e.g. certificates
 * that cannot be downloaded) tells WeChat Pay only to deliver again; the reason is logged.
 */
export function verificationRefusal(
  error: unknown,
  version: NotificationVersion,
  status: number = verificationStatus(error),
): NotificationRefusal {
  const reason = error instanceof Error ? error.message : String(error);
  if (status >= 500) {
    return new NotificationRefusal(
      status,
      'the notification could not be checked now; deliver it again later',
      version,
      { level: 'error', message: `notification could not be checked: ${reason}` },
      { cause: error, reason: 'check_failed' },
    );
  }
  return new NotificationRefusal(
    status,
    reason,
    version,
    { level: 'warn', message: `notification rejected (${status}): ${reason}` },
    { cause: error, reason: status === 401 ? 'signature' : 'content' },
  );
}

/**
 * Refuses (400), rather than acknowledges, an event the route does not take: acknowledged, it
 * would never reach the handler meant for it (a refund result sent to the payment URL, say),
 * and WeChat Pay would not send it again.
 */
export function eventRefusal(
  notification: VerifiedNotification<unknown>,
  events: readonly string[] | undefined,
): NotificationRefusal | undefined {
  const eventType = notification.envelope.event_type;
  if (!events || events.includes(eventType)) return undefined;
  const message = `no handler for ${eventType} at this URL (this handler takes ${events.join(', ')}); check the notify_url of the request that caused it`;
  return new NotificationRefusal(
    400,
    message,
    notification.version,
    { level: 'warn', message: `notification ${notification.id} refused: ${message}` },
    { reason: 'event' },
  );
}

/**
 * The refusal that ends a delivery the deduplicator did not acknowledge: 503 while another
 * delivery runs the event, when the handler did not finish in time or the store is unavailable;
 * 500 when the handler threw. `undefined` when the delivery is acknowledged.
 */
export function outcomeRefusal(
  notification: VerifiedNotification<unknown>,
  outcome: DeliveryOutcome,
): NotificationRefusal | undefined {
  const { id, envelope, version } = notification;
  switch (outcome.status) {
    case 'handled':
    case 'already-handled':
      return undefined;
    case 'in-progress':
      return new NotificationRefusal(
        503,
        `notification ${id} is being handled by another delivery; deliver again later`,
        version,
        undefined,
        { reason: 'in_progress' },
      );
    case 'handler-failed':
      return new NotificationRefusal(
        500,
        'the handler failed; deliver again later',
        version,
        {
          level: 'error',
          message: `handler failed for ${envelope.event_type} ${id}; WeChat Pay will deliver it again`,
          detail: outcome.error instanceof Error ? outcome.error.stack : String(outcome.error),
        },
        { cause: outcome.error, reason: 'handler_failed' },
      );
    // The deduplicator already logged these two.
    case 'handler-timed-out':
      return new NotificationRefusal(
        503,
        'the handler did not finish in time; deliver again later',
        version,
        undefined,
        { reason: 'handler_timed_out' },
      );
    case 'store-unavailable':
      return new NotificationRefusal(
        503,
        'temporarily unable to process; deliver again later',
        version,
        undefined,
        { cause: outcome.error, reason: 'store_unavailable' },
      );
  }
}

function reasonOfStatus(status: number): NotificationRefusalReason {
  if (status === 415) return 'content_type';
  if (status === 401) return 'signature';
  if (status >= 500) return 'check_failed';
  return 'content';
}
