import { API_V2_OPTIONS } from './api-v2.js';
import { API_V3_OPTIONS } from './api-v3.js';
import { CONNECTION_OPTIONS } from './connection.js';
import { MERCHANT_OPTIONS } from './merchant.js';
import { NOTIFICATION_OPTIONS } from './notifications.js';
import { RECONCILIATION_OPTIONS } from './reconciliation.js';
import { RECOVERY_OPTIONS } from './recovery.js';

export type { WechatPayMode } from './merchant.js';

/**
 * The declarations of every option. Spelt as an intersection, not inferred from the spread below,
 * because declaration emit drops the JSDoc of inferred spread types: this keeps it in the package.
 */
export type WechatPayOptionDeclarations = typeof MERCHANT_OPTIONS &
  typeof API_V3_OPTIONS &
  typeof API_V2_OPTIONS &
  typeof CONNECTION_OPTIONS &
  typeof NOTIFICATION_OPTIONS &
  typeof RECOVERY_OPTIONS &
  typeof RECONCILIATION_OPTIONS;

/**
 * Every option of `WechatPayModule`, declared once (see `OptionDeclaration`): the options type,
 * their validation, `wechatPayOptionsFromEnv`, `WECHATPAY_ENV`, the defaults, the plain fields of
 * `WechatPayConfig` and the README's configuration table (`npm run docs:config`) derive from it.
 * The order here is the order of the README table and of reported problems.
 */
export const WECHATPAY_OPTIONS: WechatPayOptionDeclarations = {
  ...MERCHANT_OPTIONS,
  ...API_V3_OPTIONS,
  ...API_V2_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...NOTIFICATION_OPTIONS,
  ...RECOVERY_OPTIONS,
  ...RECONCILIATION_OPTIONS,
};

/** The name of an option. */
export type WechatPayOptionName = keyof WechatPayOptionDeclarations;

/** Each option's name and declaration, in declaration order. */
export const OPTION_ENTRIES = Object.entries(WECHATPAY_OPTIONS) as {
  [K in WechatPayOptionName]: [K, WechatPayOptionDeclarations[K]];
}[WechatPayOptionName][];
