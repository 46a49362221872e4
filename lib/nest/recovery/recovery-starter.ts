import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { DiscoveryService, ExternalContextCreator, MetadataScanner } from '@nestjs/core';
import { notificationReceiverOf } from '../../core/notify/notification-receiver.js';
import type { RefundEventType, RecoveryHandlers } from '../../core/recovery/order-recovery.js';
import type { RecoveryOutcome } from '../../core/recovery/recovery.types.js';
import type { WechatPayService } from '../wechatpay.service.js';
import {
  describeMethod,
  discoverEventHandlers,
  discoverMethods,
  paymentHandlerInvoker,
} from './notify-handler-discovery.js';
import {
  WECHAT_RECOVERY_OUTCOME,
  type WechatRecoveryOutcomeOptions,
} from './wechat-recovery-outcome.decorator.js';

/** Runs a discovered `@WechatNotify` method with a recovered notification. */
type Invoker = (
  handler: Parameters<typeof paymentHandlerInvoker>[1],
) => ReturnType<typeof paymentHandlerInvoker>;

/**
 * Starts a registration's missed-notification recovery once the app is up: with its
 * `@WechatNotify` handler of `TRANSACTION.SUCCESS` (one per API version) as the payment handler,
 * its v3 handler of each `REFUND.*` event for watched refunds, and its `@WechatRecoveryOutcome()`
 * methods as the outcome hooks. Registered by
 * `WechatPayModule` for each registration.
 */
export class WechatPayRecoveryStarter implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    private readonly service: WechatPayService,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly contexts: ExternalContextCreator,
  ) {
    const name = service.name;
    this.logger = new Logger(name ? `WechatPayRecovery:${name}` : 'WechatPayRecovery');
  }

  /**
   * @throws Error when recovery is on and no handler takes the registration's payments, or
   *   two handlers of one API version do (which one should run would be a guess)
   */
  async onApplicationBootstrap(): Promise<void> {
    const merchant = this.service.name;
    const found = discoverEventHandlers(
      this.discovery,
      this.scanner,
      merchant,
      'TRANSACTION.SUCCESS',
    );
    const registration = merchant ? `registration "${merchant}"` : 'the unnamed registration';
    const enabled = this.service.recovery.enabled;
    for (const version of ['v3', 'v2'] as const) {
      if (found[version].length > 1) {
        // With recovery off (only orders opted in per call are watched), an app with several
        // payment handlers keeps starting: such orders wait in the store, and the log says why.
        if (!enabled) {
          this.logger.warn(
            `recovery not started for ${registration}: several @WechatNotify handlers take ${version} TRANSACTION.SUCCESS (${found[version].map(describeMethod).join(', ')})`,
          );
          return;
        }
        throw new Error(
          `recovery of ${registration}: several @WechatNotify handlers take ${version} TRANSACTION.SUCCESS (${found[version].map(describeMethod).join(', ')}); keep one, so a recovered payment runs the handler its notification would`,
        );
      }
    }
    if (!found.v3.length && !found.v2.length) {
      if (enabled) {
        throw new Error(
          `recovery is on for ${registration} but no @WechatNotify handler takes TRANSACTION.SUCCESS${merchant ? ` with merchant: '${merchant}'` : ''}: add one, or turn recovery off`,
        );
      }
      return;
    }
    const receiver = notificationReceiverOf(this.service);
    const invoker: Invoker = (handler) =>
      paymentHandlerInvoker(this.contexts, handler, this.service, receiver, this.logger);
    const invokers = {
      v3: found.v3[0] && invoker(found.v3[0]),
      v2: found.v2[0] && invoker(found.v2[0]),
    };
    const hooks = discoverMethods<WechatRecoveryOutcomeOptions>(
      this.discovery,
      this.scanner,
      WECHAT_RECOVERY_OUTCOME,
      (options) => options.merchant === merchant,
      false,
    );
    await this.service.recovery.start({
      refundHandlers: this.refundHandlers(merchant, registration, invoker),
      handler: (notification) => {
        const invoke = invokers[notification.version];
        if (!invoke) {
          throw new Error(
            `no @WechatNotify({ version: '${notification.version}' }) handler takes TRANSACTION.SUCCESS for ${registration}`,
          );
        }
        return invoke(notification);
      },
      onOutcome: async (outcome) => {
        this.report(outcome);
        for (const hook of hooks) {
          await (hook.instance as Record<string, (o: RecoveryOutcome) => unknown>)[
            hook.methodName
          ]!(outcome);
        }
      },
    });
  }

  /**
   * The v3 handler of each `REFUND.*` event: the one that names the event in `events`, else
   * the one that takes every event. Several of a kind: none (the log says why), since which
   * should run would be a guess; such refunds end as `handledBy: 'none'`.
   */
  private refundHandlers(
    merchant: string | undefined,
    registration: string,
    invoker: Invoker,
  ): RecoveryHandlers['refundHandlers'] {
    const events: RefundEventType[] = ['REFUND.SUCCESS', 'REFUND.CLOSED', 'REFUND.ABNORMAL'];
    const handlers: NonNullable<RecoveryHandlers['refundHandlers']> = {};
    for (const event of events) {
      const all = discoverEventHandlers(this.discovery, this.scanner, merchant, event).v3;
      const named = all.filter((h) => h.options.events !== undefined);
      const candidates = named.length ? named : all;
      if (candidates.length > 1) {
        this.logger.warn(
          `recovered refunds of ${registration} run no handler of ${event}: several take it (${candidates.map(describeMethod).join(', ')})`,
        );
        continue;
      }
      const [handler] = candidates;
      if (handler) handlers[event] = invoker(handler);
    }
    return handlers;
  }

  private report(outcome: RecoveryOutcome): void {
    const { order: watched } = outcome;
    const order =
      watched.kind === 'refund'
        ? `refund ${watched.outRefundNo}`
        : `${watched.kind === 'combine' ? 'combine order' : 'order'} ${watched.outTradeNo}`;
    if (outcome.type === 'NEEDS_ATTENTION') {
      this.logger.error(`${order} needs a person: ${outcome.reason}`);
    } else if (outcome.type === 'PAID' && outcome.paidAtClose) {
      this.logger.warn(`${order} was paid as it was being closed at its expiry`);
    } else {
      this.logger.log(
        `${order}: ${outcome.type === 'REFUND' ? `REFUND.${outcome.status}` : outcome.type}`,
      );
    }
  }
}
