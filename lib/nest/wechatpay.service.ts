import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { WechatPayConfig } from '../core/config/resolve-config.js';
import { WechatPayClient } from '../core/wechatpay-client.js';
import { WECHATPAY_LOG_CONTEXT } from './wechatpay.constants.js';

/**
 * WeChat Pay for one merchant registration: every `WechatPayClient` method, injectable. Inject
 * it by type for the unnamed registration, or with `@InjectWechatPay(name)` for a named one.
 * @example
 * constructor(private readonly wechatPay: WechatPayService) {}
 *
 * const { code_url } = await this.wechatPay.payments.prepayNative({
 *   description: 'Coffee', out_trade_no: 'ORDER20260608001', amount: { total: 1800 },
 * });
 */
export class WechatPayService extends WechatPayClient implements OnModuleInit, OnModuleDestroy {
  private readonly logger: Logger;

  /** @param config the validated configuration of this registration */
  constructor(config: WechatPayConfig) {
    const logger = new Logger(WECHATPAY_LOG_CONTEXT);
    const prefix = config.name ? `[${config.name}] ` : '';
    super(config, {
      warn: (message) => logger.warn(prefix + message),
      error: (message) => logger.error(prefix + message),
    });
    this.logger = logger;
  }

  /** The registration name; `undefined` for the default registration. */
  get name(): string | undefined {
    return this.config.name;
  }

  /**
   * Checks the configuration against WeChat Pay while the application starts (see
   * {@link WechatPayClient.init}): a wrong APIv3 key stops start-up.
   */
  async onModuleInit(): Promise<void> {
    await this.init();
  }

  async onModuleDestroy(): Promise<void> {
    // Steps in flight finish before their connections close; the schedule stays in its store.
    await this.recovery.stop();
    await this.dailyReconciliation.stop();
    this.logger.debug('closing keep-alive connections');
    this.close();
  }
}
