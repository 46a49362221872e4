import { HttpException } from '@nestjs/common';
import type { NotificationVersion } from '../../core/notify/acknowledgement.js';
import type {
  NotificationRefusal,
  NotificationRefusalReason,
} from '../../core/notify/notification-refusal.js';

/**
 * A failure acknowledgement: WeChat Pay reads any 4xx/5xx as "deliver again later". The body is
 * `{"code":"FAIL","message":"…"}` for API v3 and the XML `FAIL` message for API v2, written by
 * `WechatPayNotifyExceptionFilter`.
 */
export class WechatPayNotifyException extends HttpException {
  /** The API version of the notification, which decides the body's format. */
  readonly version: NotificationVersion;
  /** Why the delivery was refused, for spans and metrics; `check_failed` for our own trouble. */
  readonly reason: NotificationRefusalReason;

  constructor(
    status: number,
    message: string,
    options: {
      cause?: unknown;
      version?: NotificationVersion;
      /** @default 'check_failed' */
      reason?: NotificationRefusalReason;
    } = {},
  ) {
    super({ code: 'FAIL', message }, status, { cause: options.cause });
    this.version = options.version ?? 'v3';
    this.reason = options.reason ?? 'check_failed';
  }

  /** The exception that answers a core {@link NotificationRefusal}. */
  static of(refusal: NotificationRefusal): WechatPayNotifyException {
    return new WechatPayNotifyException(refusal.status, refusal.message, {
      cause: refusal.cause,
      version: refusal.version,
      reason: refusal.reason,
    });
  }
}
