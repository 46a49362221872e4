/** Token of the resolved `WechatPayConfig` inside one registration's module. */
export const WECHATPAY_CONFIG = Symbol('WECHATPAY_CONFIG');
