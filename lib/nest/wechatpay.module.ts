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
   * Registers a merchant from static options. `WechatPayService` is injectable in the module that
   * imports this registration, or in every module with `isGlobal: true`.
   * @example
   * WechatPayModule.forRoot({ mchid: '1900000109', serialNo, privateKeyPath, apiV3Key, isGlobal: true });
   * WechatPayModule.forRoot({ name: 'hk', domain: 'HK', mchid: '1900000110', apiKey });
   */
  static override forRoot(options: WechatPayModuleOptions): DynamicModule {
    // Nest's forRoot copies the options by their string keys, which would drop the record of
    // which values wechatPayOptionsFromEnv read (a symbol) that configuration errors rely on.
    const { name, isGlobal, ...merchant } = options;
    return super.forRootAsync({ name, isGlobal, useFactory: () => merchant });
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
