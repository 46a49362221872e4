import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type WechatPayOptions, WechatPayModule, WechatPayService } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';

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

/** What {@link useWarmSimulatorApp} sets up: read its fields inside tests, after `beforeAll`. */
export interface WarmSimulatorApp {
  simulator: WechatPaySimulator;
  app: INestApplication;
  wechatPay: WechatPayService;
}

/**
 * Registers hooks that start a simulator and an app using it with `timeout`, place one order so
 * certificates are loaded and connections open before anything is timed, and clear the request
 * log before each test.
 */
export function useWarmSimulatorApp(timeout: number, notifyUrl: string): WarmSimulatorApp {
  const context = {} as WarmSimulatorApp;
  beforeAll(async () => {
    context.simulator = await new WechatPaySimulator().start();
    Object.assign(
      context,
      await bootWechatPay(context.simulator.moduleOptions({ timeout, notifyUrl })),
    );
    await context.wechatPay.payments.prepayNative({
      description: 'warm-up',
      out_trade_no: orderNo(),
      amount: { total: 1 },
    });
  });
  afterAll(async () => {
    await context.app.close();
    await context.simulator.stop();
  });
  beforeEach(() => {
    context.simulator.requests.length = 0;
  });
  return context;
}
