import type { WechatPayClient } from '../wechatpay-client.js';
import { acceptedAppids } from '../merchant/merchant-identity.js';
import { WechatPayError } from '../errors.js';
import { businessEventKey } from './business-key.js';
import {
  failureAnswer,
  type NotificationAnswer,
  type NotificationVersion,
  successAnswer,
} from './acknowledgement.js';
import type { VerifiedNotification, WechatPayEventType } from './notification.types.js';
import {
  contentTypeRefusal,
  eventRefusal,
  type NotificationLogger,
  NotificationRefusal,
  outcomeRefusal,
  verificationRefusal,
} from './notification-refusal.js';
import { NotificationTelemetry } from '../telemetry/notification-telemetry.js';
import { type V3NotificationContext, verifyV3NotificationNow } from './v3-notification.js';

/** What a notification arrived as: its headers and the exact bytes of its body. */
export interface NotificationRequest {
  /** The request headers; lower-case names as Node gives them (any case is accepted). */
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received, never a re-serialised body. */
  rawBody: Buffer;
}

/** Which notifications a route takes. */
export interface NotificationRouteOptions {
  /**
   * The API version of the notifications: `v3` (JSON) or `v2` (XML).
   * @default 'v3'
   */
  version?: NotificationVersion;
  /**
   * Event types this route takes; others are refused with a 400, so a misrouted event is
   * delivered again rather than lost.
   * @default every event type
   * @example ['TRANSACTION.SUCCESS']
   */
  events?: readonly WechatPayEventType[];
}

/** Options of {@link receiveNotification}. */
export interface ReceiveNotificationOptions extends NotificationRouteOptions {
  /**
   * Receives refusals (warnings) and failed handlers (errors).
   * @default console
   */
  logger?: NotificationLogger;
}

/** Runs for each verified, decrypted event, once however often WeChat Pay delivers it. */
export type NotificationHandler<T = VerifiedNotification['payload']> = (
  notification: VerifiedNotification<T>,
) => unknown;

/** The parts of a {@link WechatPayClient} notifications are received with. */
export type NotificationClient = Pick<
  WechatPayClient,
  'config' | 'mchid' | 'verifier' | 'notifications' | 'verifyV2Notification'
>;

/**
 * The key an event is remembered by in the idempotency store: the business event it reports
 * (see {@link businessEventKey}), e.g. `mchid:trade:out_trade_no:SUCCESS`; `mchid:version:id`
 * for events that name no business object (complaints).
 */
export function notificationKey(
  mchid: string,
  notification: VerifiedNotification<unknown>,
): string {
  return businessEventKey(mchid, notification);
}

/**
 * One merchant's notifications, framework-free: verify, refuse events the route does not take,
 * run the handler once per event, and answer. The Nest guard and `@WechatNotify()` are adapters
 * of it; plain Node.js uses {@link receiveNotification}.
 */
export class NotificationReceiver {
  private readonly v3: V3NotificationContext;

  constructor(private readonly client: NotificationClient) {
    const { config } = client;
    this.v3 = {
      verifier: client.verifier,
      apiV3Key: config.apiV3Key,
      mchid: client.mchid,
      appids: acceptedAppids(config.appid, config.appids),
    };
  }

  /**
   * Verifies and decrypts, synchronously when the signing key is already known, else the
   * promise of it. Parsed from the verified bytes only.
   * @throws the errors of `verifyNotification` / `verifyV2Notification`
   */
  verify(
    request: NotificationRequest,
    version: NotificationVersion = 'v3',
  ): VerifiedNotification | Promise<VerifiedNotification> {
    if (!Buffer.isBuffer(request.rawBody)) {
      throw new WechatPayError(
        'rawBody must be the Buffer of the exact bytes received: a re-serialised body never matches the signature',
      );
    }
    if (version === 'v2') return this.client.verifyV2Notification(request.rawBody);
    return verifyV3NotificationNow(request.headers, request.rawBody, this.v3);
  }

  /**
   * Runs `handler` once per event through the client's `NotificationDeduplicator`.
   * @param telemetry the delivery's span and metrics, ended here with the outcome
   * @returns the refusal to answer with, or `undefined` when the delivery is acknowledged
   */
  async runOnce(
    notification: VerifiedNotification<unknown>,
    handler: () => unknown,
    telemetry?: NotificationTelemetry,
  ): Promise<NotificationRefusal | undefined> {
    const key = notificationKey(this.client.mchid, notification);
    const outcome = await this.client.notifications.run(key, () => {
      telemetry?.handlerStarted();
      return handler();
    });
    const refusal = outcomeRefusal(notification, outcome);
    if (refusal) telemetry?.end(refusal.reason, refusal.status);
    else telemetry?.end(outcome.status === 'already-handled' ? 'duplicate' : 'handled', 200);
    return refusal;
  }

  /**
   * The whole delivery: Content-Type, signature, decryption, event filter, the handler once,
   * and the answer to write back. Never rejects: a handler that throws gets a failure answer.
   */
  async receive<T>(
    request: NotificationRequest,
    handler: NotificationHandler<T>,
    options: ReceiveNotificationOptions = {},
  ): Promise<NotificationAnswer> {
    const version = options.version ?? 'v3';
    const logger = options.logger ?? console;
    const telemetry = NotificationTelemetry.start(version);
    try {
      const refused = contentTypeRefusal(version, request.headers['content-type']);
      if (refused) throw refused;
      let notification: VerifiedNotification<T>;
      try {
        notification = (await this.verify(request, version)) as VerifiedNotification<T>;
      } catch (error) {
        throw verificationRefusal(error, version);
      }
      telemetry?.verified(notification);
      const refusedEvent = eventRefusal(notification, options.events);
      if (refusedEvent) throw refusedEvent;
      const failure = await this.runOnce(notification, () => handler(notification), telemetry);
      if (failure) throw failure;
      return successAnswer(version);
    } catch (error) {
      const refusal =
        error instanceof NotificationRefusal ? error : verificationRefusal(error, version, 500);
      telemetry?.end(refusal.reason, refusal.status); // ignored when runOnce ended it already
      refusal.report(logger);
      return failureAnswer(version, refusal.status, refusal.message);
    }
  }
}

const receivers = new WeakMap<NotificationClient, NotificationReceiver>();

/** The receiver of a client, made once. */
export function notificationReceiverOf(client: NotificationClient): NotificationReceiver {
  let receiver = receivers.get(client);
  if (!receiver) {
    receiver = new NotificationReceiver(client);
    receivers.set(client, receiver);
  }
  return receiver;
}

/**
 * Receives one WeChat Pay notification without Nest: checks its Content-Type, verifies the
 * signature over the exact bytes, decrypts it, refuses events not in `events`, runs `handler`
 * once per event (claim, lease kept alive, bounded time, complete or release, in the client's
 * idempotency store) and returns the answer to write back. The answer acknowledges only a
 * handler that succeeded (or an event already handled); anything else asks WeChat Pay to
 * deliver again.
 * @example
 * const answer = await receiveNotification(client, { headers: req.headers, rawBody }, (n) => markPaid(n.payload));
 * res.writeHead(answer.status, answer.headers).end(answer.body);
 */
export function receiveNotification<T = VerifiedNotification['payload']>(
  client: NotificationClient,
  request: NotificationRequest,
  handler: NotificationHandler<T>,
  options: ReceiveNotificationOptions = {},
): Promise<NotificationAnswer> {
  return notificationReceiverOf(client).receive(request, handler, options);
}
