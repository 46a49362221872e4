import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { NotificationContext, NotifyRequest } from './notify-request.js';
import { WECHATPAY_NOTIFICATION } from './notify-request.js';
import { V2_SUCCESS_ACK, V3_SUCCESS_ACK, WechatPayNotifyException } from './notify-exception.js';

/**
 * Runs the handler once per event (through the service's `NotificationDeduplicator`) and writes
 * the acknowledgement WeChat Pay expects: success when the handler resolved (or the event was
 * already handled); a failure, so WeChat Pay delivers again, when it threw (500), while another
 * delivery of the same event runs it, when it did not finish within
 * `notificationHandlerTimeoutMs`, or when the idempotency store is unavailable (503).
 */
@Injectable()
export class WechatPayNotifyInterceptor implements NestInterceptor {
  protected readonly logger = new Logger('WechatPayNotify');

  constructor(protected readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<NotifyRequest>();
    const notify = request[WECHATPAY_NOTIFICATION];
    if (!notify) {
      throw new Error(
        'WechatPayNotifyInterceptor needs WechatPayNotifyGuard first: use @WechatNotify()',
      );
    }
    const { envelope, version } = notify.notification;
    if (version === 'v2') {
      this.adapterHost.httpAdapter.setHeader(
        context.switchToHttp().getResponse(),
        'Content-Type',
        'text/xml; charset=utf-8',
      );
    }
    const { events } = notify.options;
    if (events && !events.includes(envelope.event_type)) {
      // Refused, not acknowledged: an event acknowledged here would never reach the handler
      // meant for it (a refund result sent to the payment URL, say), and WeChat Pay would not
      // send it again.
      const message = `no handler for ${envelope.event_type} at this URL (this handler takes ${events.join(', ')}); check the notify_url of the request that caused it`;
      this.logger.warn(`notification ${notify.notification.id} refused: ${message}`);
      throw new WechatPayNotifyException(400, message, { version });
    }
    return this.runOnce(notify, next);
  }

  /** The body of a success acknowledgement, in the notification's API version. */
  protected acknowledgement(notify: NotificationContext): unknown {
    return notify.notification.version === 'v2' ? V2_SUCCESS_ACK : V3_SUCCESS_ACK;
  }

  /** The key an event is remembered by in the idempotency store. */
  protected idempotencyKey({ notification, service }: NotificationContext): string {
    return `${service.mchid}:${notification.version}:${notification.id}`;
  }

  private runOnce(notify: NotificationContext, next: CallHandler): Observable<unknown> {
    // One async function rather than an operator chain: this runs for every delivery.
    return from(this.handleOnce(notify, next));
  }

  private async handleOnce(notify: NotificationContext, next: CallHandler): Promise<unknown> {
    const { id, envelope, version } = notify.notification;
    const outcome = await notify.service.notifications.run(this.idempotencyKey(notify), () =>
      lastValueFrom(next.handle(), { defaultValue: undefined }),
    );
    switch (outcome.status) {
      case 'handled':
      case 'already-handled':
        return this.acknowledgement(notify);
      case 'in-progress':
        throw new WechatPayNotifyException(
          503,
          `notification ${id} is being handled by another delivery; deliver again later`,
          { version },
        );
      case 'handler-failed':
        this.logger.error(
          `handler failed for ${envelope.event_type} ${id}; WeChat Pay will deliver it again`,
          outcome.error instanceof Error ? outcome.error.stack : String(outcome.error),
        );
        throw new WechatPayNotifyException(500, 'the handler failed; deliver again later', {
          cause: outcome.error,
          version,
        });
      case 'handler-timed-out':
        throw new WechatPayNotifyException(
          503,
          'the handler did not finish in time; deliver again later',
          { version },
        );
      case 'store-unavailable':
        throw new WechatPayNotifyException(
          503,
          'temporarily unable to process; deliver again later',
          { cause: outcome.error, version },
        );
    }
  }
}
