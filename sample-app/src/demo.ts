import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { bootstrap } from './main.js';

/**
 * `npm run demo`: the sample app against a local WechatPaySimulator, configured through the
 * same WECHATPAY_* variables a production deployment uses, walked through pay → notification →
 * query → refund → refund notification with API v3 and with API v2. `--serve` keeps it running.
 */
const step = (text: string) => console.log(`\n▶ ${text}`);
const show = (label: string, value: unknown) =>
  console.log(`  ${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);

async function main(): Promise<void> {
  const simulator = await new WechatPaySimulator({
    https: true,
    notifications: { timeScale: 0.01 },
  }).start();
  const m = simulator.merchant;
  const pem = (text: string) => text.replace(/\n/g, '\\n');
  Object.assign(process.env, {
    NODE_ENV: 'test',
    WECHATPAY_MCHID: m.mchid,
    WECHATPAY_APPID: m.appid,
    WECHATPAY_SERIAL_NO: m.serialNo,
    WECHATPAY_PRIVATE_KEY: pem(m.privateKeyPem),
    WECHATPAY_API_V3_KEY: m.apiV3Key,
    WECHATPAY_API_KEY: m.apiKey,
    WECHATPAY_DOMAIN: simulator.httpsUrl,
    WECHATPAY_BACKUP_DOMAIN: 'false',
    WECHATPAY_TLS_CA: pem(simulator.caPem),
    WECHATPAY_CLIENT_CERT: pem(simulator.clientCertificatePem()),
  });
  step(`WeChat Pay simulator on ${simulator.httpsUrl} (merchant ${m.mchid})`);

  const app: INestApplication = await bootstrap(0);
  const url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as { port: number }).port}`;
  process.env.PUBLIC_URL = url;
  step(`Sample app on ${url}`);

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(url + path, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok)
      throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const until = async (id: string, status: string) => {
    for (let i = 0; i < 200; i++) {
      const order = await call<{ status: string; history: string[] }>('GET', `/orders/${id}`);
      if (order.status === status) return order;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`order ${id} never became ${status}`);
  };

  for (const api of ['v3', 'v2'] as const) {
    console.log(`\n══════════ API ${api} ══════════`);
    step('Create an order');
    const order = await call<{ id: string; total: number }>('POST', '/orders', {
      product: 'Coffee 咖啡',
      total: 1800,
      api,
    });
    show('order', order);
    step('Native prepay: the QR code the payer scans');
    show(
      'code_url',
      (await call<{ codeUrl: string }>('POST', `/orders/${order.id}/pay/native`)).codeUrl,
    );
    step('The payer pays; WeChat Pay sends the signed, encrypted notification');
    simulator.pay(order.id);
    const paid = await until(order.id, 'PAID');
    const delivery = simulator.deliveries
      .filter((d) => d.eventType === 'TRANSACTION.SUCCESS')
      .at(-1);
    show(
      'notification',
      `${delivery?.eventType} → HTTP ${delivery?.status} ${delivery?.responseBody}`,
    );
    show('order status', paid.status);
    step('Query WeChat Pay');
    show(
      'trade_state',
      (await call<{ tradeState: string }>('GET', `/orders/${order.id}/wechatpay-state`)).tradeState,
    );
    step(`Refund${api === 'v2' ? ' (with the merchant client certificate)' : ''}`);
    show(
      'order status',
      (await call<{ status: string }>('POST', `/orders/${order.id}/refund`)).status,
    );
    step('The refund settles; WeChat Pay sends the refund notification');
    simulator.completeRefund(`R${order.id}`.slice(0, 32));
    const refunded = await until(order.id, 'REFUNDED');
    const refundDelivery = simulator.deliveries
      .filter((d) => d.eventType.startsWith('REFUND.'))
      .at(-1);
    show('notification', `${refundDelivery?.eventType} → HTTP ${refundDelivery?.status}`);
    show('order history', refunded.history.join(' → '));
  }

  if (process.argv.includes('--serve')) {
    step(`Still running: ${url}/orders (Ctrl-C to stop)`);
    return;
  }
  await app.close();
  await simulator.stop();
  console.log(
    '\n✔ Demo finished: API v3 and v2, pay → notify → query → refund → refund notification.',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
