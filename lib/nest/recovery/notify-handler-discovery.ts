import type { Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import type { DiscoveryService, ExternalContextCreator, MetadataScanner } from '@nestjs/core';
import type { NotificationReceiver } from '../../core/notify/notification-receiver.js';
import type {
  VerifiedNotification,
  WechatPayEventType,
} from '../../core/notify/notification.types.js';
import type { NotifyRequest } from '../notify/notify-request.js';
import { WECHATPAY_NOTIFICATION } from '../notify/notify-request.js';
import { UNWRAPPED_HANDLER } from '../notify/run-once-handler.js';
import {
  WECHAT_NOTIFY_OPTIONS,
  type WechatNotifyOptions,
} from '../notify/wechat-notify.options.js';
import type { WechatPayService } from '../wechatpay.service.js';

/** A decorated method found on a provider or controller instance. */
export interface DiscoveredMethod<O> {
  instance: object;
  methodName: string;
  options: O;
}

/** `Class.method`, for messages. */
export function describeMethod(method: DiscoveredMethod<unknown>): string {
  return `${(method.instance.constructor as Type).name}.${method.methodName}`;
}

/** Every method carrying `metadataKey` whose options pass `accept`. */
export function discoverMethods<O>(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  metadataKey: string,
  accept: (options: O) => boolean,
  controllersOnly: boolean,
): DiscoveredMethod<O>[] {
  const wrappers = controllersOnly
    ? discovery.getControllers()
    : [...discovery.getProviders(), ...discovery.getControllers()];
  const found: DiscoveredMethod<O>[] = [];
  for (const wrapper of wrappers) {
    const instance: unknown = wrapper.instance;
    if (typeof instance !== 'object' || instance === null) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const method = prototype[methodName];
      if (typeof method !== 'function') continue;
      const options = Reflect.getMetadata(metadataKey, method) as O | undefined;
      if (options !== undefined && accept(options)) found.push({ instance, methodName, options });
    }
  }
  return found;
}

/**
 * The `@WechatNotify` handlers of a registration that take `event` (those without `events`
 * take every event), by API version.
 */
export function discoverEventHandlers(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  merchant: string | undefined,
  event: WechatPayEventType,
): Record<'v3' | 'v2', DiscoveredMethod<WechatNotifyOptions>[]> {
  const handlers = discoverMethods<WechatNotifyOptions>(
    discovery,
    scanner,
    WECHAT_NOTIFY_OPTIONS,
    (options) =>
      options.merchant === merchant &&
      (options.events === undefined || options.events.includes(event)),
    true,
  );
  return {
    v3: handlers.filter((h) => (h.options.version ?? 'v3') === 'v3'),
    v2: handlers.filter((h) => h.options.version === 'v2'),
  };
}

// RouteParamtypes of @nestjs/common (an internal enum): the values a route parameter can take.
const REQUEST = 0;
const BODY = 3;
const QUERY = 4;
const PARAM = 5;
const HEADERS = 6;
const RAW_BODY = 12;

/**
 * Route parameters as a request without a body would give them: a queried order arrives
 * through no HTTP request, so `@Headers()`, `@Body()` and the like see an empty one, while
 * `@WechatPayload()` and `@WechatNotification()` see the queried order.
 */
const recoveryParams = {
  exchangeKeyForValue(type: number, data: unknown, args: unknown[]): unknown {
    const request = args[0] as NotifyRequest;
    const name = typeof data === 'string' ? data : undefined;
    switch (type) {
      case REQUEST:
        return request;
      case HEADERS:
        return name ? request.headers[name.toLowerCase()] : request.headers;
      case QUERY:
      case PARAM:
        return name ? undefined : {};
      case BODY:
        return name ? undefined : request.body;
      case RAW_BODY:
        return request.rawBody;
      default:
        return undefined;
    }
  },
};

/**
 * Runs a discovered `@WechatNotify` method with a queried order as its notification: Nest
 * resolves its parameters (custom decorators and pipes as usual) from a request that carries
 * the notification where the guard would have left it. The method runs unwrapped: recovery
 * already holds the event's exactly-once claim.
 */
export function paymentHandlerInvoker(
  contexts: ExternalContextCreator,
  handler: DiscoveredMethod<WechatNotifyOptions>,
  service: WechatPayService,
  receiver: NotificationReceiver,
  logger: { warn(message: string): void; error(message: string): void },
): (notification: VerifiedNotification) => Promise<unknown> {
  const wrapper = (handler.instance as Record<string, unknown>)[handler.methodName] as Record<
    symbol,
    unknown
  >;
  const original = (wrapper[UNWRAPPED_HANDLER] ?? wrapper) as (...args: unknown[]) => unknown;
  const call = contexts.create(
    handler.instance,
    original,
    handler.methodName,
    ROUTE_ARGS_METADATA,
    recoveryParams,
    undefined,
    undefined,
    { guards: false, interceptors: false, filters: false },
    'http',
  );
  return (notification) => {
    const request: NotifyRequest = {
      headers: {},
      [WECHATPAY_NOTIFICATION]: {
        notification,
        service,
        receiver,
        options: handler.options,
        logger,
      },
    };
    return call(request, undefined, undefined) as Promise<unknown>;
  };
}
