import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { NotificationEnvelope } from '../../core/notify/notification.types.js';
import { type NotifyRequest, WECHATPAY_NOTIFICATION } from './notify-request.js';

function notificationOf(context: ExecutionContext) {
  const notify = context.switchToHttp().getRequest<NotifyRequest>()[WECHATPAY_NOTIFICATION];
  if (!notify)
    throw new Error(
      '@WechatPayload() and @WechatNotification() only work on @WechatNotify() handlers',
    );
  return notify.notification;
}

/**
 * The verified, decrypted payload: a `TransactionNotification` for `TRANSACTION.*` (a
 * `CombineTransactionNotification` for a combine payment), a `RefundNotification` for
 * `REFUND.*`. Pipes may be applied as to any parameter.
 * @example
 * paid(@WechatPayload() transaction: TransactionNotification) {}
 */
export const WechatPayload = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown => notificationOf(context).payload,
);

/**
 * The notification envelope: `id`, `create_time`, `event_type`, `resource_type`, `summary`.
 * @example
 * paid(@WechatNotification() envelope: NotificationEnvelope) {}
 */
export const WechatNotification = createParamDecorator(
  (_data: unknown, context: ExecutionContext): NotificationEnvelope =>
    notificationOf(context).envelope,
);
