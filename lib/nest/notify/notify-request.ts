import type { NotificationLogger } from '../../core/notify/notification-refusal.js';
import type { NotificationReceiver } from '../../core/notify/notification-receiver.js';
import type { VerifiedNotification } from '../../core/notify/notification.types.js';
import type { NotificationTelemetry } from '../../core/telemetry/notification-telemetry.js';
import type { WechatPayService } from '../wechatpay.service.js';
import type { WechatNotifyOptions } from './wechat-notify.options.js';

/** Where the guard leaves its result for the handler and the parameter decorators. */
export const WECHATPAY_NOTIFICATION = Symbol('wechatpay.notification');

/** What the guard established about one delivery. */
export interface NotificationContext {
  notification: VerifiedNotification;
  service: WechatPayService;
  /** The service's receiver, which runs the handler once. */
  receiver: NotificationReceiver;
  options: WechatNotifyOptions;
  /** The guard's logger, which also reports failed handlers. */
  logger: NotificationLogger;
  /** The delivery's span and metrics; `undefined` when no OpenTelemetry SDK is registered. */
  telemetry?: NotificationTelemetry;
}

/** An express or fastify request as the notification machinery sees it. */
export interface NotifyRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Set by the body parser when raw bodies are captured (`useWechatPayRawBody`). */
  rawBody?: Buffer;
  body?: unknown;
  [WECHATPAY_NOTIFICATION]?: NotificationContext;
}
