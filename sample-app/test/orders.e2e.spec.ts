import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { useWechatPayRawBody } from 'nestjs-wechatpay';
import { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { OrderRepository } from '../src/orders/order.repository.js';

describe.each(['express', 'fastify'] as const)('sample app on %s', (adapter) => {
  let simulator: WechatPaySimulator;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    simulator = await new WechatPaySimulator({
      https: true,
      notifications: { timeScale: 0.001 },
    }).start();
    const m = simulator.merchant;
    // Configured exactly as in production: WECHATPAY_* variables read by wechatPayConfig.
    Object.assign(process.env, {
      WECHATPAY_MCHID: m.mchid,
      WECHATPAY_APPID: m.appid,
      WECHATPAY_SERIAL_NO: m.serialNo,
      WECHATPAY_PRIVATE_KEY: m.privateKeyPem.replace(/\n/g, '\\n'),
      WECHATPAY_API_V3_KEY: m.apiV3Key,
      WECHATPAY_API_KEY: m.apiKey,
      WECHATPAY_DOMAIN: simulator.httpsUrl,
      WECHATPAY_BACKUP_DOMAIN: 'false',
      WECHATPAY_TLS_CA: simulator.caPem.replace(/\n/g, '\\n'),
      WECHATPAY_CLIENT_CERT: simulator.clientCertificatePem().replace(/\n/g, '\\n'),
    });
    app = await NestFactory.create(
      AppModule,
      adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
      {
        logger: false,
      },
    );
    useWechatPayRawBody(app);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as { port: number }).port}`;
    process.env.PUBLIC_URL = url;
  });
  afterAll(async () => {
    await app.close();
    await simulator.stop();
  });

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(url + path, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(response.ok).toBe(true);
    return (await response.json()) as T;
  };

  it.each(['v3', 'v2'] as const)(
    'API %s: pay, notification, refund, refund notification',
    async (api) => {
      const order = await call<{ id: string }>('POST', '/orders', {
        product: 'Tea',
        total: 990,
        api,
      });
      const { codeUrl } = await call<{ codeUrl: string }>('POST', `/orders/${order.id}/pay/native`);
      expect(codeUrl).toMatch(/^weixin:\/\//);
      simulator.pay(order.id);
      await simulator.waitForDelivery(
        (d) => d.eventType === 'TRANSACTION.SUCCESS' && d.status === 200,
      );
      expect((await call<{ status: string }>('GET', `/orders/${order.id}`)).status).toBe('PAID');
      expect(
        (await call<{ tradeState: string }>('GET', `/orders/${order.id}/wechatpay-state`))
          .tradeState,
      ).toBe('SUCCESS');
      await call('POST', `/orders/${order.id}/refund`);
      simulator.completeRefund(`R${order.id}`.slice(0, 32));
      await simulator.waitForDelivery(
        (d) =>
          d.eventType === 'REFUND.SUCCESS' &&
          d.url.includes(api === 'v2' ? '/v2/' : '/wechatpay/refund'),
      );
      for (
        let i = 0;
        i < 50 &&
        (await call<{ status: string }>('GET', `/orders/${order.id}`)).status !== 'REFUNDED';
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await call<{ history: string[] }>('GET', `/orders/${order.id}`)).history).toEqual([
        'CREATED',
        'PAID',
        'REFUNDING',
        'REFUNDED',
      ]);
    },
  );

  it('does not mark an order paid when the notified amount differs from the stored order', async () => {
    const order = await call<{ id: string }>('POST', '/orders', { product: 'Tea', total: 990 });
    await call('POST', `/orders/${order.id}/pay/native`);
    // The stored order says 500 fen from now on: the notification's 990 must not be accepted.
    app.get(OrderRepository).update(order.id, { total: 500 });
    simulator.pay(order.id);
    const delivery = await simulator.waitForDelivery(
      (d) => d.id !== undefined && d.url.endsWith('/wechatpay/notify') && d.status === 500,
    );
    expect(delivery.responseBody).toContain('FAIL');
    expect((await call<{ status: string }>('GET', `/orders/${order.id}`)).status).toBe('CREATED');
  });
});
