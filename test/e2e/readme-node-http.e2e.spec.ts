import type { Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WechatPayClient } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { replaceWechatPayEnv, simulatorEnv } from '../../sample-app/src/simulator/simulator-env.js';
import { orderNo } from '../support/wechatpay-app.js';

const root = join(import.meta.dirname, '../..');
const work = join(root, 'test/artifacts/readme-node-http');

/** What the README's handler did: `orders.markPaid` is the app's own code, defined here. */
const markPaid: { outTradeNo: string; total: number }[] = [];

let simulator: WechatPaySimulator;
let server: Server;
let client: WechatPayClient;
let notifyUrl: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  simulator = await new WechatPaySimulator({
    https: true,
    notifications: { autoDeliver: false },
  }).start();
  replaceWechatPayEnv(simulatorEnv(simulator));
  process.env.PORT = '0';
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((block) => block.includes("from 'node:http'"));
  expect(blocks).toHaveLength(1);
  mkdirSync(work, { recursive: true });
  const file = join(work, 'server.ts');
  writeFileSync(
    file,
    `const orders = (globalThis as unknown as { readmeOrders: { markPaid(outTradeNo: string, total: number): Promise<void> } }).readmeOrders;\n` +
      `${blocks[0]}\nexport { client, server };\n`,
  );
  (globalThis as unknown as { readmeOrders: unknown }).readmeOrders = {
    markPaid: async (outTradeNo: string, total: number) => {
      await new Promise((resolve) => setTimeout(resolve, 100)); // a database write
      markPaid.push({ outTradeNo, total });
    },
  };
  ({ server, client } = (await import(pathToFileURL(file).href)) as {
    server: Server;
    client: WechatPayClient;
  });
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  notifyUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  client?.close();
  await simulator.stop();
  process.env = savedEnv;
});

async function paidOrder(total: number): Promise<string> {
  const outTradeNo = orderNo('README');
  await client.payments.prepayNative({
    description: 'README',
    out_trade_no: outTradeNo,
    amount: { total },
    notify_url: notifyUrl,
  });
  simulator.pay(outTradeNo);
  return outTradeNo;
}

it('the README node:http server handles concurrent and later deliveries of one event exactly once', async () => {
  const outTradeNo = await paidOrder(1800);
  const deliveries = await simulator.deliverTransaction(outTradeNo, { copies: 5 });
  expect(deliveries.every((d) => d.status === 200 || d.status === 503)).toBe(true);
  const acknowledged = deliveries.filter((d) => d.status === 200);
  expect(acknowledged.length).toBeGreaterThan(0);
  expect(JSON.parse(acknowledged[0]!.responseBody)).toEqual({ code: 'SUCCESS', message: '成功' });
  const [later] = await simulator.deliverTransaction(outTradeNo);
  expect(later!.status).toBe(200);
  expect(markPaid.filter((m) => m.outTradeNo === outTradeNo)).toEqual([
    { outTradeNo, total: 1800 },
  ]);
});

it('the README node:http server refuses a forged notification with 401 and runs nothing', async () => {
  const outTradeNo = await paidOrder(1);
  const [forged] = await simulator.deliverTransaction(outTradeNo, { tamperBody: true });
  expect(forged!.status).toBe(401);
  expect(JSON.parse(forged!.responseBody)).toMatchObject({ code: 'FAIL' });
  expect(markPaid.some((m) => m.outTradeNo === outTradeNo)).toBe(false);
});
