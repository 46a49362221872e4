import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveWechatPayConfig,
  WechatPayClient,
  WechatPayValidationError,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { orderNo } from '../support/wechatpay-app.js';

let simulator: WechatPaySimulator;
beforeAll(async () => {
  simulator = await new WechatPaySimulator({
    backup: false,
    notifications: { timeScale: 0.001 },
  }).start();
});
afterAll(() => simulator.stop());

const clientFor = (options = simulator.moduleOptions()) =>
  new WechatPayClient(resolveWechatPayConfig(options));

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('simulator.moduleOptions() and notify_url', () => {
  it('invents no notifyUrl: an order without one is refused before it is sent', async () => {
    expect(simulator.moduleOptions()).not.toHaveProperty('notifyUrl');
    const before = simulator.requests.length;
    const error = await clientFor()
      .payments.prepayNative({
        description: 'no url',
        out_trade_no: orderNo(),
        amount: { total: 1 },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayValidationError);
    expect((error as WechatPayValidationError).problems).toEqual([
      { field: 'notify_url', message: expect.stringContaining('notifyUrl') },
    ]);
    expect(simulator.requests.length).toBe(before);
  });

  it('takes the app’s notifyUrl and delivers the payment notification there', async () => {
    // A path of this test's own: a port freed by another test file may still get that file's
    // redeliveries (to its /wechatpay/notify) while this server holds it.
    const outTradeNo = orderNo();
    const path = `/wechatpay/notify/${outTradeNo}`;
    const received: string[] = [];
    const app = createServer((req, res) => {
      if (req.url === path) received.push(req.url);
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = app.address() as AddressInfo;
      const notifyUrl = `http://127.0.0.1:${port}${path}`;
      const client = clientFor(simulator.moduleOptions({ notifyUrl }));
      await client.payments.prepayNative({
        description: 'url',
        out_trade_no: outTradeNo,
        amount: { total: 1 },
      });
      const { transaction_id } = simulator.pay(outTradeNo);
      const delivery = await simulator.waitForDelivery(
        (d) => d.url === notifyUrl && d.status === 204,
      );
      expect(delivery.eventType).toBe('TRANSACTION.SUCCESS');
      expect(received).toEqual([path]);
      expect(transaction_id).toBeTruthy();
    } finally {
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    }
  });
});

describe('simulator.waitForDelivery() when nothing matches in time', () => {
  it('lists every attempt so far with its URL and why it failed', async () => {
    const port = await closedPort();
    const notifyUrl = `http://127.0.0.1:${port}/wechatpay/notify`;
    const outTradeNo = orderNo();
    await clientFor(simulator.moduleOptions({ notifyUrl })).payments.prepayNative({
      description: 'refused',
      out_trade_no: outTradeNo,
      amount: { total: 1 },
    });
    simulator.pay(outTradeNo);
    // The first attempt and its redelivery, however late a loaded machine makes them.
    await expect
      .poll(() => simulator.deliveries.filter((d) => d.url === notifyUrl).length)
      .toBeGreaterThanOrEqual(2);
    const error = await simulator
      .waitForDelivery((d) => d.url === notifyUrl && d.status === 200, 300)
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    const { message } = error as Error;
    expect(message).toContain('no matching notification delivery within 300 ms');
    expect(message).toMatch(
      new RegExp(
        `#1 TRANSACTION\\.SUCCESS \\S+ → ${notifyUrl.replace(/[.]/g, '\\.')}: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}`,
      ),
    );
    // Redelivered on the (scaled) schedule, each attempt listed.
    expect(message).toMatch(/#2 TRANSACTION\.SUCCESS \S+ → /);
  });

  it('shows the status and body the app answered', async () => {
    const app = createServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"code":"FAIL","message":"database unavailable"}');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const notifyUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/notify`;
      const outTradeNo = orderNo();
      await clientFor(simulator.moduleOptions({ notifyUrl })).payments.prepayNative({
        description: 'failing app',
        out_trade_no: outTradeNo,
        amount: { total: 1 },
      });
      simulator.pay(outTradeNo);
      await expect.poll(() => simulator.deliveries.some((d) => d.url === notifyUrl)).toBe(true);
      const message = await simulator
        .waitForDelivery((d) => d.url === notifyUrl && d.status === 200, 200)
        .then(
          () => '',
          (e: Error) => e.message,
        );
      const { id } = simulator.deliveries.find((d) => d.url === notifyUrl)!;
      expect(message).toContain(
        `#1 TRANSACTION.SUCCESS ${id} → ${notifyUrl} ← 500 {"code":"FAIL","message":"database unavailable"}`,
      );
    } finally {
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it('says when nothing was delivered at all', async () => {
    const quiet = await new WechatPaySimulator({ backup: false }).start();
    try {
      const message = await quiet
        .waitForDelivery(() => true, 50)
        .then(
          () => '',
          (e: Error) => e.message,
        );
      expect(message).toContain('no notification was delivered');
      expect(message).toContain('simulator.pay()');
    } finally {
      await quiet.stop();
    }
  });
});

describe('simulator.stop()', () => {
  it('aborts a delivery the app has not answered yet and redelivers nothing after it', async () => {
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const hung = createServer(() => received()); // takes the request, never answers
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const stopping = await new WechatPaySimulator({
      backup: false,
      notifications: { timeScale: 0.001 },
    }).start();
    try {
      const notifyUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/notify`;
      const outTradeNo = orderNo();
      await clientFor(stopping.moduleOptions({ notifyUrl })).payments.prepayNative({
        description: 'stopped',
        out_trade_no: outTradeNo,
        amount: { total: 1 },
      });
      stopping.pay(outTradeNo);
      await arrived;
      await stopping.stop();
      const [aborted] = await Promise.all([
        stopping.waitForDelivery(() => true),
        new Promise((resolve) => setTimeout(resolve, 200)),
      ]);
      expect(aborted.error).toBe('aborted: the simulator stopped');
      expect(stopping.deliveries).toHaveLength(1);
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });
});
