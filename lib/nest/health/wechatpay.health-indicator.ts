import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import {
  checkWechatPayHealth,
  type WechatPayHealthOptions,
} from '../../core/health/wechatpay-health.js';
import { WechatPayService } from '../wechatpay.service.js';
import { getWechatPayToken } from '../wechatpay.tokens.js';

/** Options of {@link WechatPayHealthIndicator.isHealthy}. */
export interface WechatPayHealthIndicatorOptions extends WechatPayHealthOptions {
  /** The name of the `WechatPayModule` registration to check. @default the unnamed one */
  merchant?: string;
}

/**
 * A `@nestjs/terminus` health indicator of one merchant's WeChat Pay integration: the keys
 * that verify WeChat Pay present and not about to expire (with the last certificate download's
 * outcome), the idempotency store answering within its deadline, and any `checks` added (a
 * scheduler, say). Down when any of them is; the details name each check. It never calls
 * WeChat Pay, so an outage there does not mark this app unhealthy.
 *
 * Imported from `nestjs-wechatpay/health`, so `@nestjs/terminus` stays optional. Provide it in
 * a module that imports `TerminusModule`.
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.wechatPay.isHealthy('wechatpay')]); }
 */
@Injectable()
export class WechatPayHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * Checks the integration and reports it under `key`.
   * @param key the key of the result in the health report
   * @default key 'wechatpay'
   */
  async isHealthy<const Key extends string = 'wechatpay'>(
    key: Key = 'wechatpay' as Key,
    options: WechatPayHealthIndicatorOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const { merchant, ...health } = options;
    const service = this.moduleRef.get<WechatPayService>(getWechatPayToken(merchant), {
      strict: false,
    });
    const report = await checkWechatPayHealth(service, health);
    const session = this.indicators.check(key);
    return report.healthy ? session.up(report.checks) : session.down(report.checks);
  }
}
