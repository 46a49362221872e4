import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, Reflector } from '@nestjs/core';
import {
  contentTypeRefusal,
  eventRefusal,
  verificationRefusal,
  verificationStatus,
} from '../../core/notify/notification-refusal.js';
import { notificationReceiverOf } from '../../core/notify/notification-receiver.js';
import type { VerifiedNotification } from '../../core/notify/notification.types.js';
import { NotificationTelemetry } from '../../core/telemetry/notification-telemetry.js';
import { WECHATPAY_LOG_CONTEXT } from '../wechatpay.constants.js';
import { WechatPayService } from '../wechatpay.service.js';
import { getWechatPayToken } from '../wechatpay.tokens.js';
import { WechatPayNotifyException } from './notify-exception.js';
import { type NotifyRequest, WECHATPAY_NOTIFICATION } from './notify-request.js';
import { isRawBodyInstalled } from './raw-body-installed.js';
import { WECHAT_NOTIFY_OPTIONS, type WechatNotifyOptions } from './wechat-notify.options.js';

/**
 * Lets a WeChat Pay notification through only when it is signed by WeChat Pay over the exact
 * raw body, within the 300 s window, with a known serial, and decrypts it for the handler.
 * Anything else answers 401 (signature), 400 (content) or 415 (a Content-Type WeChat Pay does
 * not send) with `{"code":"FAIL","message":"…"}` and never reaches the handler.
 *
 * Events the route does not list are refused with 400 here too, before any pipe runs.
 *
 * Applied by `@WechatNotify()`. Extend it, override the protected hooks to change how the raw
 * body, the merchant or the rejection are found or reported, and pass the subclass as
 * `@WechatNotify({ guard: MyNotifyGuard })`. The work is synchronous once the platform key is
 * known, so Nest does not wait a turn of the event loop for it.
 */
@Injectable()
export class WechatPayNotifyGuard implements CanActivate {
  protected readonly logger = new Logger(WECHATPAY_LOG_CONTEXT);
  private readonly services = new Map<string | undefined, WechatPayService>();
  private readonly optionsByHandler = new WeakMap<object, WechatNotifyOptions>();

  constructor(
    protected readonly reflector: Reflector,
    protected readonly moduleRef: ModuleRef,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const options = this.getOptions(context);
    const telemetry = NotificationTelemetry.start(options.version ?? 'v3');
    if (!telemetry) return this.activate(context, options, undefined);
    // Whatever a subclass's hooks throw ends the delivery's span: it is answered with a failure.
    const refused = (error: unknown): never => {
      telemetry.end(
        error instanceof WechatPayNotifyException ? error.reason : 'check_failed',
        error instanceof WechatPayNotifyException ? error.getStatus() : 500,
      );
      throw error;
    };
    try {
      const result = this.activate(context, options, telemetry);
      return result instanceof Promise ? result.catch(refused) : result;
    } catch (error) {
      return refused(error);
    }
  }

  private activate(
    context: ExecutionContext,
    options: WechatNotifyOptions,
    telemetry: NotificationTelemetry | undefined,
  ): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<NotifyRequest>();
    const service = this.getService(options.merchant);
    this.checkContentType(request, options);
    const rawBody = this.getRawBody(request, options);
    let verified: VerifiedNotification | Promise<VerifiedNotification>;
    try {
      verified = this.verify(request, rawBody, service, options);
    } catch (error) {
      return this.reject(error, request, options);
    }
    if (verified instanceof Promise) {
      return verified.then(
        (notification) => this.accept(request, notification, service, options, telemetry),
        (error: unknown) => this.reject(error, request, options),
      );
    }
    return this.accept(request, verified, service, options, telemetry);
  }

  /** Leaves the verified notification for the handler, unless the route does not take its event. */
  private accept(
    request: NotifyRequest,
    notification: VerifiedNotification,
    service: WechatPayService,
    options: WechatNotifyOptions,
    telemetry: NotificationTelemetry | undefined,
  ): true {
    telemetry?.verified(notification);
    this.checkEvent(notification, options);
    const receiver = notificationReceiverOf(service);
    request[WECHATPAY_NOTIFICATION] = {
      notification,
      service,
      receiver,
      options,
      logger: this.logger,
      telemetry,
    };
    return true;
  }

  /** The decorator's options for this handler (read once per handler). */
  protected getOptions(context: ExecutionContext): WechatNotifyOptions {
    const handler = context.getHandler();
    let options = this.optionsByHandler.get(handler);
    if (!options) {
      options =
        this.reflector.getAllAndOverride<WechatNotifyOptions | undefined>(WECHAT_NOTIFY_OPTIONS, [
          handler,
          context.getClass(),
        ]) ?? {};
      this.optionsByHandler.set(handler, options);
    }
    return options;
  }

  /** The service of the merchant the notification is for. */
  protected getService(merchant: string | undefined): WechatPayService {
    let service = this.services.get(merchant);
    if (!service) {
      try {
        service = this.moduleRef.get<WechatPayService>(getWechatPayToken(merchant), {
          strict: false,
        });
      } catch (cause) {
        throw new Error(
          `@WechatNotify(${merchant ? `{ merchant: '${merchant}' }` : ''}): no WechatPayModule registration${
            merchant ? ` named "${merchant}"` : ' without a name'
          } is imported; register it with WechatPayModule.forRoot${merchant ? `({ name: '${merchant}', … })` : '(…)'}`,
          { cause },
        );
      }
      this.services.set(merchant, service);
    }
    return service;
  }

  /**
   * Refuses, with 415 and a warning, a Content-Type WeChat Pay never sends: `application/json`
   * for v3, `text/xml` (or `application/xml`) for v2. Anyone can send such a request, unsigned;
   * it says nothing about the app's setup.
   */
  protected checkContentType(request: NotifyRequest, options: WechatNotifyOptions): void {
    const refusal = contentTypeRefusal(options.version ?? 'v3', request.headers['content-type']);
    if (!refusal) return;
    refusal.report(this.logger);
    throw WechatPayNotifyException.of(refusal);
  }

  /**
   * Refuses, with 400 and a warning, an event the route does not list: acknowledged, it would
   * never reach the handler meant for it, and WeChat Pay would not send it again.
   */
  protected checkEvent(notification: VerifiedNotification, options: WechatNotifyOptions): void {
    const refusal = eventRefusal(notification, options.events);
    if (!refusal) return;
    refusal.report(this.logger);
    throw WechatPayNotifyException.of(refusal);
  }

  /**
   * The exact bytes WeChat Pay sent. Fails loudly when they were not kept: verifying a
   * re-serialised body would reject every genuine notification (or worse, accept a crafted one).
   */
  protected getRawBody(request: NotifyRequest, options: WechatNotifyOptions): Buffer {
    if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
    const message = this.isRawBodyInstalled()
      ? 'WeChat Pay notification rejected: useWechatPayRawBody(app) is installed, but the raw body of this request was not kept: another body parser read it first ' +
        "(a middleware such as express.json() registered before useWechatPayRawBody, or on fastify a parser of the app's own for this content type). " +
        'Remove that parser or keep it off this route. A re-serialised body never matches the signature.'
      : 'WeChat Pay notification rejected: the raw request body is not available. Call useWechatPayRawBody(app) in main.ts before app.listen() ' +
        '(it keeps the exact bytes for JSON and XML on express and fastify). A re-serialised body never matches the signature.';
    this.logger.error(message);
    throw new WechatPayNotifyException(500, message, { version: options.version });
  }

  /** Whether useWechatPayRawBody(app) was called for this app. */
  private isRawBodyInstalled(): boolean {
    try {
      const { httpAdapter } = this.moduleRef.get(HttpAdapterHost, { strict: false });
      return httpAdapter !== undefined && isRawBodyInstalled(httpAdapter);
    } catch {
      return false;
    }
  }

  /**
   * Verifies and decrypts, by the notification's API version: synchronously when the signing
   * key is known, else the promise of it.
   */
  protected verify(
    request: NotifyRequest,
    rawBody: Buffer,
    service: WechatPayService,
    options: WechatNotifyOptions,
  ): VerifiedNotification | Promise<VerifiedNotification> {
    // Parsed again from the verified bytes, never taken from req.body, which other middleware
    // may have changed.
    return notificationReceiverOf(service).verify(
      { headers: request.headers, rawBody },
      options.version,
    );
  }

  /** HTTP status of a rejection: 401 for authenticity, 400 for content, 500 for our own trouble. */
  protected rejectionStatus(error: unknown): number {
    return verificationStatus(error);
  }

  /** Logs and answers a rejection; never returns. */
  protected reject(error: unknown, _request: NotifyRequest, options: WechatNotifyOptions): never {
    const refusal = verificationRefusal(
      error,
      options.version ?? 'v3',
      this.rejectionStatus(error),
    );
    refusal.report(this.logger);
    throw WechatPayNotifyException.of(refusal);
  }
}
