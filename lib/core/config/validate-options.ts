import type { WechatPayConfigProblem } from '../errors.js';
import { OPTION_ENTRIES, WECHATPAY_OPTIONS } from './declarations/index.js';
import type { WechatPayOptions } from './options.js';

/**
 * Each option checked alone against its declared rules (combinations are `resolveWechatPayConfig`'s):
 * names not declared first, then the first failed rule of each option, in declaration order.
 */
export function optionProblems(options: WechatPayOptions): WechatPayConfigProblem[] {
  const values = options as unknown as Record<string, unknown>;
  const unknown = Object.keys(values)
    .filter((field) => !Object.hasOwn(WECHATPAY_OPTIONS, field))
    .map((field) => ({
      field,
      message: 'is not an option of WechatPayModule; check its spelling against WechatPayOptions',
    }));
  const invalid = OPTION_ENTRIES.flatMap(([field, declaration]) => {
    const value = values[field];
    if ((value === undefined || value === null) && !('required' in declaration)) return [];
    const failed = declaration.rules.find((rule) => !rule.test(value));
    if (!failed) return [];
    const { message } = failed;
    return [{ field, message: typeof message === 'string' ? message : message(value) }];
  });
  return [...unknown, ...invalid];
}
