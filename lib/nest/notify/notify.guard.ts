import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, Reflector } from '@nestjs/core';
import {
  isNotificationContentType,
  NOTIFICATION_MEDIA_TYPES,
} from '../../core/notify/notification-content-type.js';
import type { VerifiedNotification } from '../../core/notify/notification.types.js';
import {
  WechatPayDecryptError,
  WechatPayNotificationError,
  WechatPaySignatureError,
} from '../../core/errors.js';
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
 * Applied by `@WechatNotify()`. Extend it and override the protected hooks to change how the
 * raw body, the merchant or the rejection are found or reported.
 */
@Injectable()
export class WechatPayNotifyGuard implements CanActivate {
  protected readonly logger = new Logger('WechatPayNotify');
  private readonly services = new Map<string | undefined, WechatPayService>();
  private readonly optionsByHandler = new WeakMap<object, WechatNotifyOptions>();

  constructor(
    protected readonly reflector: Reflector,
    protected readonly moduleRef: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const options = this.getOptions(context);
    const request = context.switchToHttp().getRequest<NotifyRequest>();
    const service = this.getService(options.merchant);
    this.checkContentType(request, options);
    const rawBody = this.getRawBody(request, options);
    let notification: VerifiedNotification;
    try {
      notification = await this.verify(request, rawBody, service, options);
    } catch (error) {
      return this.reject(error, request, options);
    }
    request[WECHATPAY_NOTIFICATION] = { notification, service, options };
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
    const version = options.version ?? 'v3';
    const contentType = request.headers['content-type'];
    if (isNotificationContentType(version, contentType)) return;
    const received = [contentType].flat()[0]?.split(';', 1)[0]?.trim().slice(0, 64);
    const message = `WeChat Pay sends ${version} notifications as ${NOTIFICATION_MEDIA_TYPES[version].join(' or ')}, not ${received ? JSON.stringify(received) : 'without a Content-Type'}`;
    this.logger.warn(`notification rejected (415): ${message}`);
    throw new WechatPayNotifyException(415, message, { version });
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

  /** Verifies and decrypts, by the notification's API version. */
  protected async verify(
    request: NotifyRequest,
    rawBody: Buffer,
    service: WechatPayService,
    options: WechatNotifyOptions,
  ): Promise<VerifiedNotification> {
    if (options.version === 'v2') return service.verifyV2Notification(rawBody);
    // Parsed again from the verified bytes, never taken from req.body, which other middleware
    // may have changed.
    return service.verifyNotification(request.headers, rawBody);
  }

  /** HTTP status of a rejection: 401 for authenticity, 400 for content, 500 for our own trouble. */
  protected rejectionStatus(error: unknown): number {
    if (error instanceof WechatPaySignatureError) return 401;
    if (error instanceof WechatPayNotificationError || error instanceof WechatPayDecryptError)
      return 400;
    return 500;
  }

  /** Logs and answers a rejection; never returns. */
  protected reject(error: unknown, _request: NotifyRequest, options: WechatNotifyOptions): never {
    const status = this.rejectionStatus(error);
    const reason = error instanceof Error ? error.message : String(error);
    const { version } = options;
    if (status === 500) {
      this.logger.error(`notification could not be checked: ${reason}`);
      throw new WechatPayNotifyException(
        500,
        'the notification could not be checked now; deliver it again later',
        {
          cause: error,
          version,
        },
      );
    }
    this.logger.warn(`notification rejected (${status}): ${reason}`);
    throw new WechatPayNotifyException(status, reason, { cause: error, version });
  }
}
