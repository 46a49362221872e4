import { OPTION_ENTRIES, type WechatPayOptionDeclarations } from './declarations/index.js';
import type { KeysWhere } from './option-declaration.js';

/** Options that can be set from the environment (all but objects and bytes). */
export type WechatPayEnvOption = KeysWhere<WechatPayOptionDeclarations, { env: object }>;

/** The environment variable each option is read from by `wechatPayOptionsFromEnv`. */
export const WECHATPAY_ENV: Readonly<Record<WechatPayEnvOption, string>> = Object.freeze(
  Object.fromEntries(
    OPTION_ENTRIES.flatMap(([option, declaration]) =>
      'env' in declaration ? [[option, declaration.env.name]] : [],
    ),
  ) as Record<WechatPayEnvOption, string>,
);
