/** Token of the resolved `WechatPayConfig` inside one registration's module. */
export const WECHATPAY_CONFIG = Symbol('WECHATPAY_CONFIG');

/**
 * The context of every line this package logs through Nest's `Logger`, so one filter selects
 * them all. Lines of a named registration begin with its name in brackets.
 */
export const WECHATPAY_LOG_CONTEXT = 'WechatPay';
