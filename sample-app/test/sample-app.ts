import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { useWechatPayRawBody } from 'nestjs-wechatpay';
import {
  createTestMerchant,
  type TestMerchant,
  WechatPaySimulator,
} from 'nestjs-wechatpay/testing';
import { AppModule } from '../src/app.module.js';
import type { Order } from '../src/orders/order.repository.js';
import { replaceWechatPayEnv, simulatorEnv } from '../src/simulator/simulator-env.js';

export type Adapter = 'express' | 'fastify';

export interface SampleApp {
  app: INestApplication;
  simulator: WechatPaySimulator;
  giftcards: TestMerchant;
  url: string;
  /** Calls the app; answers the status and the parsed JSON (or text). */
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** Calls the app and expects a 2xx answer. */
  call<T = Order>(method: string, path: string, body?: unknown): Promise<T>;
  /** Polls the order until it has this status. */
  until(id: string, status: Order['status']): Promise<Order>;
  close(): Promise<void>;
}

/**
 * The sample app on express or fastify against a fresh simulator, configured exactly as in
 * production: WECHATPAY_* (and WECHATPAY_GIFTCARDS_*) variables read by @nestjs/config.
 */
export async function startSampleApp(
  adapter: Adapter,
  options: {
    /** Register the second merchant. @default true */
    giftcards?: boolean;
    /** Refunds settle by themselves after 50 ms; false: only with `completeRefund()`. @default true */
    settleRefunds?: boolean;
    /** Give the app the simulator (the "scan and pay" route, no staff token needed). @default true */
    bridge?: boolean;
  } = {},
): Promise<SampleApp> {
  const giftcards = createTestMerchant();
  const simulator = new WechatPaySimulator({
    https: true,
    notifications: { timeScale: 0.001 },
    refunds: { settleAfterMs: options.settleRefunds === false ? undefined : 50 },
  });
  simulator.addMerchant(giftcards);
  await simulator.start();
  process.env.NODE_ENV = 'test';
  replaceWechatPayEnv({
    ...simulatorEnv(simulator),
    ...(options.giftcards === false
      ? {}
      : simulatorEnv(simulator, giftcards, 'WECHATPAY_GIFTCARDS_')),
  });
  const app = await NestFactory.create(
    AppModule.register({ simulator: options.bridge === false ? undefined : simulator }),
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
  useWechatPayRawBody(app);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as { port: number }).port}`;
  process.env.PUBLIC_URL = url;

  const request = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text (the page, the QR code, empty answers)
    }
    return { status: response.status, body: parsed as T };
  };
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const answer = await request<T>(method, path, body);
    if (answer.status >= 300) {
      throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  };
  const until = async (id: string, status: Order['status']) => {
    for (let i = 0; i < 200; i++) {
      const order = await call<Order>('GET', `/orders/${id}`);
      if (order.status === status) return order;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`order ${id} never became ${status}`);
  };
  return {
    app,
    simulator,
    giftcards,
    url,
    request,
    call,
    until,
    close: async () => {
      await app.close();
      await simulator.stop();
    },
  };
}
