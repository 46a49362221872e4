import { Req } from '@nestjs/common';
import { SUCCESS_ACK } from '../../core/notify/acknowledgement.js';
import { WechatPayNotifyException } from './notify-exception.js';
import { type NotifyRequest, WECHATPAY_NOTIFICATION } from './notify-request.js';

type Handler = (this: unknown, ...args: unknown[]) => unknown;

/**
 * The decorated method itself, kept on the wrapper Nest routes to: recovery runs it under its
 * own claim of the event's key, so it must not go through the wrapper's claim again.
 */
export const UNWRAPPED_HANDLER = Symbol('wechatpay.unwrapped-handler');

/**
 * Makes the method of `descriptor` run once per event: Nest calls a wrapper that hands the
 * method, with the arguments Nest resolved (parameter decorators and pipes ran as usual), to
 * the service's `NotificationReceiver`, and returns the success acknowledgement or throws the
 * failure for `WechatPayNotifyExceptionFilter`.
 *
 * A wrapper rather than an interceptor: Nest's interceptor pipeline (rxjs, async resources)
 * cost up to a tenth of a notification route's throughput. The wrapper finds the request
 * through one extra `@Req()` argument after the method's own, which it removes again.
 */
export function runOnceHandler(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<unknown>,
): void {
  const method = descriptor.value as Handler;
  if (typeof method !== 'function') {
    throw new TypeError(`@WechatNotify() decorates methods; ${String(key)} is not one`);
  }
  const declared = (Reflect.getMetadata('design:paramtypes', target, key) as unknown[] | undefined)
    ?.length;
  const requestIndex = Math.max(declared ?? 0, method.length);
  Req()(target, key, requestIndex);

  const wrapper = function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const request = args[requestIndex] as NotifyRequest;
    args.length = requestIndex;
    const notify = request[WECHATPAY_NOTIFICATION];
    if (!notify) {
      throw new Error(
        `${String(key)}: the notification was not verified; @WechatNotify() needs its guard (a subclass of WechatPayNotifyGuard) to run first`,
      );
    }
    const { notification, receiver } = notify;
    return receiver
      .runOnce(notification, () => method.apply(this, args), notify.telemetry)
      .then((refusal) => {
        if (!refusal) return SUCCESS_ACK[notification.version];
        refusal.report(notify.logger);
        throw WechatPayNotifyException.of(refusal);
      });
  };
  // Decorators applied before this one (below it) put their metadata on the method itself.
  for (const metadataKey of Reflect.getOwnMetadataKeys(method)) {
    Reflect.defineMetadata(metadataKey, Reflect.getOwnMetadata(metadataKey, method), wrapper);
  }
  Object.defineProperty(wrapper, 'name', { value: method.name });
  Object.defineProperty(wrapper, UNWRAPPED_HANDLER, { value: method });
  descriptor.value = wrapper;
}
