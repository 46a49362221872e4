import { ConfigurableModuleBuilder, type DynamicModule, type Provider } from '@nestjs/common';
import {
  DiscoveryModule,
  DiscoveryService,
  ExternalContextCreator,
  MetadataScanner,
} from '@nestjs/core';
import { WechatPayReconciliationStarter } from './reconciliation/reconciliation-starter.js';
import { WechatPayRecoveryStarter } from './recovery/recovery-starter.js';
import { resolveWechatPayConfig } from '../core/config/resolve-config.js';
import type { WechatPayOptions } from '../core/config/options.js';
import { WECHATPAY_CONFIG } from './wechatpay.constants.js';
import { WechatPayService } from './wechatpay.service.js';
import { getWechatPayToken } from './wechatpay.tokens.js';

/** Options of a registration that are about the Nest module rather than the merchant. */
export interface WechatPayModuleExtras {
  /**
   * Registration name, for apps that serve several merchants; inject with
   * `@InjectWechatPay(name)`. Leave it out for the default registration.
   * @default undefined
   * @example 'hk'
   */
  name?: string;
  /**
   * Make the service injectable everywhere without importing the module again.
   * @default false
   */
  isGlobal?: boolean;
}

function addRegistrationProviders(
  definition: DynamicModule,
  extras: WechatPayModuleExtras,
): DynamicModule {
  const token = getWechatPayToken(extras.name);
  const providers: Provider[] = [
    {
      provide: WECHATPAY_CONFIG,
      // Runs while the app starts, so a bad configuration stops start-up, not the first payment.
      useFactory: (options: WechatPayOptions) => resolveWechatPayConfig(options, extras.name),
      inject: [MODULE_OPTIONS_TOKEN],
    },
    {
      provide: token,
      useFactory: (config: ReturnType<typeof resolveWechatPayConfig>) =>
        new WechatPayService(config),
      inject: [WECHATPAY_CONFIG],
    },
    {
      provide: `WechatPayRecoveryStarter:${extras.name ?? ''}`,
      useFactory: (
        service: WechatPayService,
        discovery: DiscoveryService,
        scanner: MetadataScanner,
        contexts: ExternalContextCreator,
      ) => new WechatPayRecoveryStarter(service, discovery, scanner, contexts),
      inject: [token, DiscoveryService, MetadataScanner, ExternalContextCreator],
    },
    {
      provide: `WechatPayReconciliationStarter:${extras.name ?? ''}`,
      useFactory: (
        service: WechatPayService,
        discovery: DiscoveryService,
        scanner: MetadataScanner,
      ) => new WechatPayReconciliationStarter(service, discovery, scanner),
      inject: [token, DiscoveryService, MetadataScanner],
    },
  ];
  return {
    ...definition,
    imports: [...(definition.imports ?? []), DiscoveryModule],
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []), ...providers],
    exports: [...(definition.exports ?? []), token],
  };
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<WechatPayOptions>({ moduleName: 'WechatPay' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createWechatPayOptions')
    .setExtras<WechatPayModuleExtras>(
      { name: undefined, isGlobal: false },
      addRegistrationProviders,
    )
    .build();

/** Options of `WechatPayModule.forRoot`: the merchant options plus `name` and `isGlobal`. */
export type WechatPayModuleOptions = typeof OPTIONS_TYPE;

/** Options of `WechatPayModule.forRootAsync`. */
export type WechatPayModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

/**
 * A class for `WechatPayModule.forRootAsync({ useClass })` (or `useExisting`): Nest creates it
 * with dependency injection and calls `createWechatPayOptions()` once while the app starts.
 * @example
 * @Injectable()
 * class WechatPayConfigService implements WechatPayOptionsFactory {
 *   constructor(private readonly vault: Vault) {}
 *   async createWechatPayOptions() {
 *     return { ...wechatPayOptionsFromEnv(), apiV3Key: await this.vault.read('wechatpay/apiv3') };
 *   }
 * }
 */
export interface WechatPayOptionsFactory {
  /** The options of the registration, as `forRoot` takes them (without `name` and `isGlobal`). */
  createWechatPayOptions(): Promise<WechatPayOptions> | WechatPayOptions;
}
