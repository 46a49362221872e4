import { Inject } from '@nestjs/common';
import { getWechatPayToken } from './wechatpay.tokens.js';

/**
 * Injects the `WechatPayService` of a named registration. The unnamed registration can be
 * injected by type (`constructor(private readonly wechatPay: WechatPayService)`) or with
 * `@InjectWechatPay()`.
 * @param name the `name` given to `forRoot` / `forRootAsync`
 * @example
 * constructor(@InjectWechatPay('hk') private readonly hongKong: WechatPayService) {}
 */
export function InjectWechatPay(name?: string): PropertyDecorator & ParameterDecorator {
  return Inject(getWechatPayToken(name));
}
