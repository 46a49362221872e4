import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type WechatPayOptions, WechatPayModule, WechatPayService } from '../../lib/index.js';

/** Boots a real Nest application with one WechatPayModule registration and returns its service. */
export async function bootWechatPay(
  options: WechatPayOptions,
): Promise<{ app: INestApplication; wechatPay: WechatPayService }> {
  @Module({ imports: [WechatPayModule.forRoot(options)] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.init();
  return { app, wechatPay: app.get(WechatPayService) };
}

/**
 * `notifyUrl` for tests whose notifications nobody receives at the order's address (no app, or
 * delivered on demand with `url`): nothing listens on port 9, so the simulator's deliveries are
 * refused at once and nothing leaves 127.0.0.1.
 */
export const NO_RECEIVER_NOTIFY_URL = 'http://127.0.0.1:9/wechatpay/notify';

let counter = 0;
/** A fresh, valid out_trade_no for each call. */
export function orderNo(prefix = 'ORDER'): string {
  counter += 1;
  return `${prefix}${Date.now()}${counter}`.slice(0, 32);
}
