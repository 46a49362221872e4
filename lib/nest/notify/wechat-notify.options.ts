import type { Type } from '@nestjs/common';
import type { WechatPayEventType } from '../../core/notify/notification.types.js';
import type { WechatPayNotifyGuard } from './notify.guard.js';

/** Options of `@WechatNotify()`. */
export interface WechatNotifyOptions {
  /**
   * Event types this handler receives. Others are refused with a 400 and a warning, so a
   * misrouted event is redelivered rather than lost (give refunds their own URL with
   * `refundNotifyUrl`, or leave this out to take every event).
   * @default every event type
   * @example ['TRANSACTION.SUCCESS']
   */
  events?: WechatPayEventType[];
  /**
   * The registration whose keys verify and decrypt the notification.
   * @default the unnamed registration
   * @example 'hk'
   */
  merchant?: string;
  /**
   * The API version of the notification: `v3` (JSON, RSA signature, AES-256-GCM) or `v2` (XML).
   * @default 'v3'
   */
  version?: 'v3' | 'v2';
  /**
   * The guard that verifies the notification: a subclass of `WechatPayNotifyGuard` whose
   * protected hooks (`getRawBody`, `verify`, `reject`, …) you override. Nest creates it with
   * dependency injection, as any guard.
   * @default WechatPayNotifyGuard
   * @example MyNotifyGuard
   */
  guard?: Type<WechatPayNotifyGuard>;
}

export const WECHAT_NOTIFY_OPTIONS = 'wechatpay:notify-options';

/**
 * Whether the handler of `context` is a `@WechatNotify()` handler: for global guards (auth,
 * throttling) that must let WeChat Pay's callbacks through.
 * @example
 * canActivate(context: ExecutionContext) {
 *   if (isWechatNotifyHandler(this.reflector, context)) return true;
 *   // … your authentication
 * }
 */
export function isWechatNotifyHandler(
  reflector: { get(key: string, target: object): unknown },
  context: { getHandler(): object },
): boolean {
  return reflector.get(WECHAT_NOTIFY_OPTIONS, context.getHandler()) !== undefined;
}
