import { OPTION_ENTRIES } from './declarations/index.js';
import { ENV_SOURCE, EnvSource } from './env-source.js';
import type { WechatPayOptions } from './options.js';

/**
 * Reads {@link WechatPayOptions} from environment variables (see `WECHATPAY_ENV`).
 * Unset and empty variables are left out. PEM values may use `\n` escapes, as most secret stores
 * keep them on one line. `WECHATPAY_BACKUP_DOMAIN=false` turns failover off. Lists
 * (`WECHATPAY_APPIDS`) are comma-separated.
 *
 * @param env where to read from (default `process.env`)
 * @param prefix replaces the leading `WECHATPAY_` of every name, so several merchants can live in
 *   one environment (default `'WECHATPAY_'`)
 * @example
 * WechatPayModule.forRoot(wechatPayOptionsFromEnv());
 * WechatPayModule.forRoot({ name: 'hk', ...wechatPayOptionsFromEnv(process.env, 'WECHATPAY_HK_') });
 */
export function wechatPayOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  prefix = 'WECHATPAY_',
): WechatPayOptions {
  const names = new Map<string, string>();
  const values = new Map<string, unknown>();
  for (const [option, declaration] of OPTION_ENTRIES) {
    if (!('env' in declaration)) continue;
    const variable = declaration.env.name.replace(/^WECHATPAY_/, prefix);
    names.set(option, variable);
    const text = env[variable]?.trim();
    if (text) values.set(option, declaration.env.parse(text));
  }
  return {
    ...Object.fromEntries(values),
    [ENV_SOURCE]: new EnvSource(names, values),
  } as unknown as WechatPayOptions;
}
