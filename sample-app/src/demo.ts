import 'reflect-metadata';
import { createTestMerchant, WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { bootstrap, exitWithError } from './main.js';
import { demoShopEnv, marketplaceDemo } from './marketplace/marketplace.demo.js';
import type { Order } from './orders/order.repository.js';
import type { PrepayAnswer } from './payments/prepay.service.js';
import { recoveryDemo } from './recovery/recovery-demo.js';
import { rewardDemo } from './rewards/reward-demo.js';
import { appClient } from './simulator/app-client.js';
import {
  replaceWechatPayEnv,
  simulatorEnv,
  simulatorRecoveryEnv,
} from './simulator/simulator-env.js';
import { tillDemo } from './till/till.demo.js';

/**
 * `npm run demo`: the sample app against a local WechatPaySimulator, configured through the
 * same WECHATPAY_* variables a production deployment uses, walked through pay → notification →
 * query → refund → refund notification with API v3 and with API v2, the other payment channels,
 * closing an order, and a second merchant. `--serve` keeps it running for the checkout page.
 */
const serve = process.argv.includes('--serve');
const heading = (text: string) => console.log(`\n══════════ ${text} ══════════`);
const step = (text: string) => console.log(`\n▶ ${text}`);
const show = (label: string, value: unknown) =>
  console.log(`  ${label.padEnd(13)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);

// Signatures are long: show their start and length.
const describe = (answer: PrepayAnswer): string => {
  if (answer.channel === 'h5') return answer.h5Url;
  if (answer.channel === 'native') return answer.codeUrl;
  return Object.entries(answer.payParams as unknown as Record<string, string>)
    .map(([key, value]) =>
      /sign$/i.test(key) && value.length > 24
        ? `${key}=${value.slice(0, 12)}…(${value.length} chars)`
        : `${key}=${value}`,
    )
    .join(' ');
};

async function main(): Promise<void> {
  const giftcards = createTestMerchant();
  const simulator = new WechatPaySimulator({
    https: true,
    notifications: { timeScale: 0.01 },
    // WeChat Pay settles refunds by itself, usually within seconds.
    refunds: { settleAfterMs: 300 },
    profitSharing: { finishAfterMs: 300 },
  });
  simulator.addMerchant(giftcards);
  await simulator.start();
  process.env.NODE_ENV = 'test'; // no .env file: everything comes from the simulator
  replaceWechatPayEnv({
    ...simulatorEnv(simulator),
    ...simulatorRecoveryEnv(),
    ...simulatorEnv(simulator, giftcards, 'WECHATPAY_GIFTCARDS_'),
    ...demoShopEnv(simulator),
  });
  step(`WeChat Pay simulator on ${simulator.httpsUrl}`);
  show('merchants', `${simulator.merchant.mchid} (default), ${giftcards.mchid} ("giftcards")`);

  const app = await bootstrap({ port: serve ? undefined : 0, simulator });
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  process.env.PUBLIC_URL = url;
  step(`Sample app on ${url}, configured only through WECHATPAY_* variables`);

  const { call, until } = appClient(url);
  // What the app sent to WeChat Pay since the last call.
  let seen = simulator.requests.length;
  const sent = () => {
    for (const request of simulator.requests.slice(seen)) {
      show('app → WeChat', `${request.method} ${request.path} ← ${request.status}`);
    }
    seen = simulator.requests.length;
  };
  // The order changes before the app answers: wait for the answer to be recorded too.
  const arrived = async (eventPrefix: string, path: string) => {
    const delivery = await simulator.waitForDelivery(
      (d) => d.eventType.startsWith(eventPrefix) && new URL(d.url).pathname === path,
    );
    show(
      'WeChat → app',
      `${delivery.eventType} to ${path} ← ${delivery.status} ${delivery.responseBody}`,
    );
  };

  const payAndRefund = async (productId: string, api: 'v3' | 'v2', notifyBase: string) => {
    step('Create an order (the price comes from the catalogue)');
    const order = await call<Order>('POST', '/orders', { productId, api });
    show('order', `${order.id} · ${order.product} · ${order.total} fen · ${order.status}`);

    step('Native prepay: the code_url the payer scans as a QR code');
    const { codeUrl } = await call<{ codeUrl: string }>('POST', `/orders/${order.id}/pay/native`);
    sent();
    show('code_url', codeUrl);

    step('The payer pays; WeChat Pay sends the signed notification, verified and handled once');
    simulator.pay(order.id);
    const paid = await until(order.id, 'PAID');
    await arrived('TRANSACTION.', `${notifyBase}/notify`);
    show('order', `${paid.status} (transaction ${paid.transactionId})`);

    step('Query WeChat Pay');
    const { tradeState } = await call<{ tradeState: string }>(
      'GET',
      `/orders/${order.id}/wechatpay-state`,
    );
    sent();
    show('trade_state', tradeState);

    step(`Refund in full${api === 'v2' ? ' (API v2: with the merchant client certificate)' : ''}`);
    const refunding = await call<Order>('POST', `/orders/${order.id}/refund`);
    sent();
    show('order', refunding.status);

    step('WeChat Pay settles the refund and sends the refund notification');
    const refunded = await until(order.id, 'REFUNDED');
    await arrived('REFUND.', `${notifyBase}/refund-notify`);
    show('history', refunded.history.join(' → '));
  };

  heading('API v3');
  await payAndRefund('coffee', 'v3', '/wechatpay');
  heading('API v2');
  await payAndRefund('tea', 'v2', '/wechatpay/v2');

  heading('Other payment channels');
  for (const api of ['v3', 'v2'] as const) {
    for (const channel of ['jsapi', 'app', 'h5'] as const) {
      const order = await call<Order>('POST', '/orders', { productId: 'coffee', api });
      const answer = await call<PrepayAnswer>('POST', `/orders/${order.id}/pay/${channel}`, {
        openid: channel === 'jsapi' ? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' : undefined,
      });
      step(`${api} ${channel}: what the front end receives`);
      sent();
      show('answer', describe(answer));
      if (channel === 'h5') {
        step(`${api}: close the unpaid H5 order`);
        const closed = await call<Order>('POST', `/orders/${order.id}/close`);
        sent();
        show('order', closed.status);
      }
    }
  }

  heading('Code payments at the till (付款码)');
  await tillDemo(appClient(url), step, show);

  heading('A second merchant ("giftcards", API v3)');
  await payAndRefund('giftcard', 'v3', '/wechatpay/giftcards');

  heading('A marketplace order split with a shop (分账)');
  await marketplaceDemo(simulator, { call, until }, step, show);

  heading('A reward paid out to a user (商家转账)');
  await rewardDemo(simulator, { call }, { step, show });

  heading('A lost notification recovered, and the day reconciled');
  await recoveryDemo(app, simulator, { call, until }, { step, show });

  if (serve) {
    step(`Checkout page: ${url}/  (Ctrl-C to stop)`);
    return;
  }
  await app.close();
  await simulator.stop();
  console.log(
    '\n✔ Demo finished: API v3 and v2, pay → notification → query → refund → refund notification.',
  );
}

main().catch((error: unknown) => exitWithError(error, 'npm run demo -- --serve'));
