import { WechatPayService } from './wechatpay.service.js';

/**
 * The injection token of a registration's `WechatPayService`: the class itself for the unnamed
 * registration, `WechatPayService:<name>` for a named one.
 * @example
 * moduleRef.get(getWechatPayToken('hk'), { strict: false });
 */
export function getWechatPayToken(name?: string): string | typeof WechatPayService {
  return name === undefined ? WechatPayService : `WechatPayService:${name}`;
}
