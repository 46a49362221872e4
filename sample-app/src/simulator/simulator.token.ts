/** The WechatPaySimulator the app runs against, provided only by the demo and the tests. */
export const WECHATPAY_SIMULATOR = Symbol('WECHATPAY_SIMULATOR');
