export * from './core/config/env-names.js';
export * from './core/config/options-from-env.js';
export * from './core/config/options.js';
export * from './core/config/resolve-config.js';
export * from './core/crypto/index.js';
export * from './core/errors.js';
export * from './core/http/domains.js';
export * from './core/notify/notification-deduplicator.js';
export {
  ACK_CONTENT_TYPE,
  failureAnswer,
  type NotificationAnswer,
  type NotificationVersion,
  successAnswer,
  V2_SUCCESS_ACK,
  v2FailureAck,
  V3_SUCCESS_ACK,
  v3FailureAck,
} from './core/notify/acknowledgement.js';
export {
  type NotificationClient,
  type NotificationHandler,
  notificationKey,
  NotificationReceiver,
  type NotificationRequest,
  type NotificationRouteOptions,
  receiveNotification,
  type ReceiveNotificationOptions,
} from './core/notify/notification-receiver.js';
export {
  type NotificationLogger,
  NotificationRefusal,
} from './core/notify/notification-refusal.js';
export type * from './core/notify/notification.types.js';
export * from './core/store/index.js';
export type { HttpMethod } from './core/http/transport.js';
export { PlatformKeyStore, type PlatformKey } from './core/v3/platform-key-store.js';
export { V3SignatureVerifier } from './core/v3/signature-verifier.js';
export * from './core/v3/signed-headers.js';
export type * from './core/v3/types.js';
export * from './core/v3/dto/index.js';
export type { V3RequestOptions, V3Response } from './core/v3/v3-client.js';
export * from './core/wechatpay-client.js';
export * from './nest/index.js';
export * from './core/v2/xml.js';
export * from './core/v2/v2-api.js';
export type { V2RequestOptions } from './core/v2/v2-client.js';
export * from './core/v2/v2-dto.js';
export * from './core/notify/v2-notification.js';
