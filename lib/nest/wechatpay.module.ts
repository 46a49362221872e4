import { type DynamicModule, Module } from '@nestjs/common';
import {
  ConfigurableModuleClass,
  type WechatPayModuleAsyncOptions,
  type WechatPayModuleOptions,
} from './wechatpay.module-definition.js';

/**
 * WeChat Pay for Nest. Register it once per merchant; each registration provides a
 * `WechatPayService`.
 */
@Module({})
export class WechatPayModule extends ConfigurableModuleClass {
  /**
   * Registers a merchant from static options.
   * @example
   * WechatPayModule.forRoot({ mchid: '1900000109', serialNo, privateKeyPath, apiV3Key });
   * WechatPayModule.forRoot({ name: 'hk', domain: 'HK', mchid: '1900000110', apiKey });
   */
  static override forRoot(options: WechatPayModuleOptions): DynamicModule {
    return super.forRoot(options);
  }

  /**
   * Registers a merchant whose options come from other providers, typically `ConfigService`.
   * @example
   * WechatPayModule.forRootAsync({
   *   imports: [ConfigModule.forFeature(wechatPayConfig)],
   *   inject: [wechatPayConfig.KEY],
   *   useFactory: (options: WechatPayOptions) => options,
   * });
   */
  static override forRootAsync(options: WechatPayModuleAsyncOptions): DynamicModule {
    return super.forRootAsync(options);
  }
}
