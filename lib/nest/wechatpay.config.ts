import type { DynamicModule } from '@nestjs/common';
import { createRequire } from 'node:module';
import { wechatPayOptionsFromEnv } from '../core/config/options-from-env.js';
import type { WechatPayOptions } from '../core/config/options.js';
import { WechatPayError } from '../core/errors.js';

/** The shape `registerAs` gives a configuration factory. */
export type WechatPayConfigFactory = (() => WechatPayOptions) & {
  /** The injection token of the registered options: `CONFIGURATION(wechatpay)`. */
  readonly KEY: string;
  /** A ready `forRootAsync`-style provider definition. */
  asProvider(): {
    imports: DynamicModule[];
    useFactory: (options: WechatPayOptions) => WechatPayOptions;
    inject: string[];
  };
};

type RegisterAs = (token: string, factory: () => WechatPayOptions) => WechatPayConfigFactory;

/**
 * `@nestjs/config` is an optional peer: load it only if the app has it, so the package works
 * without it. require() of this ES module package is supported from Node 20.19 and returns the
 * same module instance the app imports.
 */
function loadRegisterAs(): RegisterAs | undefined {
  try {
    const config = createRequire(import.meta.url)('@nestjs/config') as { registerAs: RegisterAs };
    return config.registerAs;
  } catch {
    return undefined;
  }
}

function missingConfigPackage(): never {
  throw new WechatPayError(
    'wechatPayConfig needs @nestjs/config: run `npm install @nestjs/config`, or pass wechatPayOptionsFromEnv() to WechatPayModule.forRoot instead',
  );
}

function createWechatPayConfig(): WechatPayConfigFactory {
  const factory = () => wechatPayOptionsFromEnv(process.env);
  const registerAs = loadRegisterAs();
  if (registerAs) return registerAs('wechatpay', factory);
  return Object.assign(missingConfigPackage, {
    KEY: 'CONFIGURATION(wechatpay)',
    asProvider: missingConfigPackage,
  });
}

/**
 * `@nestjs/config` namespace `wechatpay`: {@link WechatPayOptions} read from the `WECHATPAY_*`
 * environment variables when the configuration loads.
 * @example
 * WechatPayModule.forRootAsync({
 *   imports: [ConfigModule.forFeature(wechatPayConfig)],
 *   inject: [wechatPayConfig.KEY],
 *   useFactory: (options: WechatPayOptions) => options,
 * });
 * // or, shorter:
 * WechatPayModule.forRootAsync(wechatPayConfig.asProvider());
 */
export const wechatPayConfig: WechatPayConfigFactory = createWechatPayConfig();
