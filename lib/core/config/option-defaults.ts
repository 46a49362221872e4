import { OPTION_ENTRIES, type WechatPayOptionDeclarations } from './declarations/index.js';
import type { CopiesOf, WithDefaults } from './option-declaration.js';
import type { WechatPayOptions } from './options.js';

/** The options with every declared default filled in. */
export type WechatPayOptionsWithDefaults = WithDefaults<
  WechatPayOptionDeclarations,
  WechatPayOptions
>;

/** The `WechatPayConfig` fields that are options as given, defaults filled (`copy: true`). */
export type WechatPayConfigCopies = CopiesOf<WechatPayOptionDeclarations>;

const DEFAULTS = OPTION_ENTRIES.flatMap(([option, declaration]) =>
  'default' in declaration ? [[option, declaration.default] as const] : [],
);

const COPIED = OPTION_ENTRIES.flatMap(([option, declaration]) =>
  'copy' in declaration ? [option] : [],
);

/** `options` with each option left out (or `undefined`) set to its declared default. */
export function withDefaults(options: WechatPayOptions): WechatPayOptionsWithDefaults {
  const filled: Record<string, unknown> = { ...options };
  for (const [option, value] of DEFAULTS) filled[option] ??= value;
  return filled as unknown as WechatPayOptionsWithDefaults;
}

/** The options `WechatPayConfig` holds as given. */
export function configCopies(options: WechatPayOptionsWithDefaults): WechatPayConfigCopies {
  return Object.fromEntries(
    COPIED.map((option) => [option, options[option]]),
  ) as unknown as WechatPayConfigCopies;
}
