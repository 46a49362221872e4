import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { DailyReconciliationResult } from '../../core/reconciliation/daily-reconciliation.js';
import type { ReconciliationOrder } from '../../core/reconciliation/reconciliation.types.js';
import { differenceCount } from '../../core/reconciliation/report-text.js';
import { describeMethod, discoverMethods } from '../recovery/notify-handler-discovery.js';
import type { WechatPayService } from '../wechatpay.service.js';
import {
  WECHAT_RECONCILIATION_REPORT,
  WECHAT_RECONCILIATION_SOURCE,
  type WechatReconciliationOptions,
} from './wechat-reconciliation.decorators.js';

type Method<A, R> = Record<string, (arg: A) => R>;

/**
 * Starts a registration's daily reconciliation job once the app is up, when a
 * `@WechatReconciliationSource()` method of that registration exists, with its
 * `@WechatReconciliationReport()` methods as hooks; `WechatPayService` stops it on shutdown.
 * Registered by `WechatPayModule` for each registration.
 */
export class WechatPayReconciliationStarter implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    private readonly service: WechatPayService,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {
    const name = service.name;
    this.logger = new Logger(name ? `WechatPayReconciliation:${name}` : 'WechatPayReconciliation');
  }

  /** @throws Error when two `@WechatReconciliationSource()` methods serve the registration */
  async onApplicationBootstrap(): Promise<void> {
    const merchant = this.service.name;
    const mine = (options: WechatReconciliationOptions) => options.merchant === merchant;
    const sources = discoverMethods(
      this.discovery,
      this.scanner,
      WECHAT_RECONCILIATION_SOURCE,
      mine,
      false,
    );
    const hooks = discoverMethods(
      this.discovery,
      this.scanner,
      WECHAT_RECONCILIATION_REPORT,
      mine,
      false,
    );
    const registration = merchant ? `registration "${merchant}"` : 'the unnamed registration';
    if (sources.length > 1) {
      throw new Error(
        `daily reconciliation of ${registration}: several @WechatReconciliationSource() methods (${sources.map(describeMethod).join(', ')}); keep one`,
      );
    }
    const source = sources[0];
    if (!source) {
      if (hooks.length) {
        this.logger.warn(
          `@WechatReconciliationReport() methods (${hooks.map(describeMethod).join(', ')}) but no @WechatReconciliationSource() for ${registration}: the daily job is off`,
        );
      }
      return;
    }
    const orders = source.instance as Method<string, AsyncIterable<ReconciliationOrder>>;
    await this.service.dailyReconciliation.start({
      source: { orders: (date) => orders[source.methodName]!.call(source.instance, date) },
      onResult: async (result) => {
        this.report(result);
        for (const hook of hooks) {
          const instance = hook.instance as Method<DailyReconciliationResult, unknown>;
          await instance[hook.methodName]!.call(hook.instance, result);
        }
      },
    });
    this.logger.log(
      `daily reconciliation at ${this.service.config.reconciliationTime} China time, from ${describeMethod(source)}`,
    );
  }

  private report(result: DailyReconciliationResult): void {
    if (result.status === 'failed') return; // DailyReconciliation logs it with its error
    const differences = differenceCount(result.report);
    const line = `${result.date} reconciled: ${differences} difference${differences === 1 ? '' : 's'}`;
    if (differences) this.logger.warn(line);
    else this.logger.log(line);
  }
}
