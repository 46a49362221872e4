import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, defaultIfEmpty, from, last, type Observable, of, switchMap } from 'rxjs';
import type { NotificationContext, NotifyRequest } from './notify-request.js';
import { WECHATPAY_NOTIFICATION } from './notify-request.js';
import { V3_SUCCESS_ACK, WechatPayNotifyException } from './notify-exception.js';
import { WECHAT_NOTIFY_OPTIONS, type WechatNotifyOptions } from './wechat-notify.options.js';

/**
 * Runs the handler once per event and writes the acknowledgement WeChat Pay expects:
 * success when the handler resolved (or the event was already handled), a failure (so WeChat
 * Pay delivers again) when it threw or while another delivery of the same event is running.
 */
@Injectable()
export class WechatPayNotifyInterceptor implements NestInterceptor {
  protected readonly logger = new Logger('WechatPayNotify');

  constructor(protected readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<NotifyRequest>();
    const notify = request[WECHATPAY_NOTIFICATION];
    if (!notify) {
      throw new Error(
        'WechatPayNotifyInterceptor needs WechatPayNotifyGuard first: use @WechatNotify()',
      );
    }
    const options =
      this.reflector.getAllAndOverride<WechatNotifyOptions | undefined>(WECHAT_NOTIFY_OPTIONS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? {};
    const { envelope } = notify.notification;
    if (options.events && !options.events.includes(envelope.event_type)) {
      this.logger.debug(
        `acknowledged ${envelope.event_type} ${notify.notification.id} without a handler for it`,
      );
      return of(this.acknowledgement(notify));
    }
    return this.runOnce(notify, next);
  }

  /** The body of a success acknowledgement. */
  protected acknowledgement(_notify: NotificationContext): unknown {
    return V3_SUCCESS_ACK;
  }

  /** The key an event is remembered by in the idempotency store. */
  protected idempotencyKey({ notification, service }: NotificationContext): string {
    return `${service.mchid}:${notification.version}:${notification.id}`;
  }

  private runOnce(notify: NotificationContext, next: CallHandler): Observable<unknown> {
    const dedup = notify.service.notifications;
    const key = this.idempotencyKey(notify);
    return from(dedup.begin(key)).pipe(
      catchError((error: unknown) => {
        this.logger.error(`idempotency store unavailable, asking for redelivery: ${String(error)}`);
        throw new WechatPayNotifyException(
          500,
          'temporarily unable to process; deliver again later',
        );
      }),
      switchMap((decision) => {
        if (decision.action === 'acknowledge') return of(this.acknowledgement(notify));
        if (decision.action === 'retry-later') {
          throw new WechatPayNotifyException(
            503,
            `notification ${notify.notification.id} is being handled by another delivery; deliver again later`,
          );
        }
        return next.handle().pipe(
          defaultIfEmpty(undefined),
          last(),
          switchMap(async () => {
            // The handler's effect happened: acknowledge even if the store cannot record it,
            // because a failure here would make WeChat Pay deliver an event already handled.
            await dedup
              .succeed(key, decision.token)
              .catch((error: unknown) =>
                this.logger.error(
                  `could not record notification ${notify.notification.id} as handled: ${String(error)}`,
                ),
              );
            return this.acknowledgement(notify);
          }),
          catchError(async (error: unknown) => {
            await dedup.fail(key, decision.token).catch(() => undefined);
            this.logger.error(
              `handler failed for ${notify.notification.envelope.event_type} ${notify.notification.id}; WeChat Pay will deliver it again`,
              error instanceof Error ? error.stack : String(error),
            );
            throw new WechatPayNotifyException(500, 'the handler failed; deliver again later', {
              cause: error,
            });
          }),
        );
      }),
    );
  }
}
