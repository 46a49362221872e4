import { type Attributes, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { NotificationVersion } from '../notify/acknowledgement.js';
import type { NotificationRefusalReason } from '../notify/notification-refusal.js';
import type { VerifiedNotification } from '../notify/notification.types.js';
import { instruments, startRecordingSpan } from './instruments.js';

/**
 * How a delivery ended, the `wechatpay.notification.outcome` attribute: `handled` and
 * `duplicate` (an event already handled) are acknowledged, every refusal reason asks WeChat Pay
 * to deliver again.
 */
export type NotificationOutcome = 'handled' | 'duplicate' | NotificationRefusalReason;

/** Reasons that mean the notification was not shown to be WeChat Pay's. */
const UNVERIFIED = new Set<NotificationOutcome>([
  'content_type',
  'signature',
  'content',
  'check_failed',
]);

/**
 * The span and metrics of one notification delivery: event type, verified or why not,
 * duplicate or not, handler outcome and duration. Attributes never hold the payload, the
 * notification id (API v2 derives it from order numbers) or any header but the event type.
 * {@link start} returns `undefined` when no SDK records anything.
 */
export class NotificationTelemetry {
  private eventType: string | undefined;
  private handlerStartedAt: number | undefined;
  private ended = false;

  private constructor(
    private readonly span: Span | undefined,
    private readonly version: NotificationVersion,
  ) {}

  /** Starts the telemetry of a delivery, or `undefined` when neither traces nor metrics are on. */
  static start(version: NotificationVersion): NotificationTelemetry | undefined {
    const span = startRecordingSpan('wechatpay.notification', {
      kind: SpanKind.INTERNAL,
      attributes: { 'wechatpay.api_version': version },
    });
    if (!span && instruments() === undefined) return undefined;
    return new NotificationTelemetry(span, version);
  }

  /** The notification verified and decrypted. */
  verified(notification: VerifiedNotification<unknown>): void {
    this.eventType = notification.envelope.event_type;
    this.span?.setAttributes({ 'wechatpay.event_type': this.eventType });
  }

  /** The application's handler starts now. */
  handlerStarted(): void {
    this.handlerStartedAt = performance.now();
  }

  /**
   * Ends the delivery (once; later calls are ignored).
   * @param outcome how it ended
   * @param status the HTTP status of the answer
   */
  end(outcome: NotificationOutcome, status: number): void {
    if (this.ended) return;
    this.ended = true;
    const verified = !UNVERIFIED.has(outcome);
    const attributes: Attributes = {
      'wechatpay.api_version': this.version,
      'wechatpay.notification.outcome': outcome,
      'wechatpay.notification.verified': verified,
    };
    if (this.eventType !== undefined) attributes['wechatpay.event_type'] = this.eventType;
    const handler = this.handlerOutcome(outcome);
    const metrics = instruments();
    if (this.handlerStartedAt !== undefined && handler !== undefined) {
      metrics?.handlerDuration.record((performance.now() - this.handlerStartedAt) / 1000, {
        'wechatpay.event_type': this.eventType,
        'wechatpay.notification.handler.outcome': handler,
      });
    }
    metrics?.notifications.add(1, attributes);
    const span = this.span;
    if (!span) return;
    span.setAttributes({
      ...attributes,
      'wechatpay.notification.duplicate': outcome === 'duplicate',
      'http.response.status_code': status,
      ...(handler !== undefined && { 'wechatpay.notification.handler.outcome': handler }),
      ...(!verified && { 'wechatpay.notification.refusal': outcome }),
    });
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    span.end();
  }

  private handlerOutcome(outcome: NotificationOutcome): string | undefined {
    if (this.handlerStartedAt === undefined) return undefined;
    if (outcome === 'handled') return 'success';
    if (outcome === 'handler_failed') return 'failure';
    if (outcome === 'handler_timed_out') return 'timeout';
    return undefined;
  }
}
