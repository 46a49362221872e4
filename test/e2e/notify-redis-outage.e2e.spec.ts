import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisIdempotencyStore } from '../../lib/index.js';
import { type NotificationDelivery, WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { type NotifyApp, paidOrder, startNotifyApp } from '../support/notify-app.js';
import { RedisServer } from '../support/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ADAPTERS)('Redis killed mid-flight, on %s', (adapter) => {
  let redis: RedisServer;
  let client: Redis;
  let simulator: WechatPaySimulator;
  let shop: NotifyApp;

  beforeAll(async () => {
    redis = await new RedisServer({ appendOnly: true }).start();
    // The README's setup: ioredis defaults, whose offline queue holds commands while Redis is
    // down (20 reconnection attempts per command), so only the store deadline answers in time.
    client = new Redis(redis.port, '127.0.0.1');
    client.on('error', () => undefined); // connection errors during the outage, expected
    simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
    shop = await startNotifyApp(
      adapter,
      simulator.moduleOptions({
        idempotencyStore: new RedisIdempotencyStore(client),
        notificationLeaseMs: 1000,
      }),
    );
  });
  afterAll(async () => {
    await shop.app.close();
    client.disconnect();
    await simulator.stop();
    await redis.stop();
  });

  const paidFor = (outTradeNo: string) =>
    shop.ledger.paid.filter((t) => t.out_trade_no === outTradeNo).length;

  /**
   * One delivery, as WeChat Pay makes it: answered within 5 s, or a failure. The simulator gives
   * up after 5 s (its `timeoutMs`) and records an `error`, so no stopwatch of ours is needed:
   * one would also count the signing and sending that a loaded machine slows down.
   */
  async function deliver(outTradeNo: string): Promise<NotificationDelivery> {
    const [delivery] = await simulator.deliverTransaction(outTradeNo, { url: shop.notifyUrl });
    expect(delivery!.error, `delivery of ${outTradeNo} was not answered in time`).toBeUndefined();
    // Nothing is acknowledged unless its handler ran.
    if (delivery!.status === 200) expect(paidFor(outTradeNo)).toBeGreaterThan(0);
    return delivery!;
  }

  it('answers every delivery within 5 s, acknowledges none unhandled, and handles every event exactly once after Redis returns', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 5; i++) orders.push(await paidOrder(shop, simulator, 'OUTAGE'));
    const [before1, before2, inFlight, ...later] = orders as [string, string, string, ...string[]];

    // Handled before the crash: recorded in Redis, and in its append-only file.
    expect((await deliver(before1)).status).toBe(200);
    expect((await deliver(before2)).status).toBe(200);

    // Redis dies while a handler runs: the handler finishes only once Redis is gone.
    let finishHandler!: () => void;
    shop.ledger.gates.push(new Promise<void>((resolve) => (finishHandler = resolve)));
    const running = deliver(inFlight);
    await expect.poll(() => shop.ledger.calls).toBe(3);
    await redis.kill();
    finishHandler();
    // The handler ran, so the delivery is acknowledged although Redis could not record it.
    expect((await running).status).toBe(200);
    expect(paidFor(inFlight)).toBe(1);

    // While Redis is down every delivery is answered in time with a retryable failure and
    // runs no handler: new events, and a redelivery of one WeChat Pay got no answer for.
    for (const outTradeNo of [...later, before1]) {
      const delivery = await deliver(outTradeNo);
      expect(delivery.status).toBe(503);
      expect(JSON.parse(delivery.responseBody)).toMatchObject({ code: 'FAIL' });
    }
    expect(shop.ledger.calls).toBe(3);

    // Redis comes back on the same port and data; the app reconnects by itself. WeChat Pay
    // keeps delivering what it has no acknowledgement for.
    await redis.restart();
    const unacknowledged = new Set([...later, before1, before2]);
    const deadline = Date.now() + 30_000;
    while (unacknowledged.size > 0 && Date.now() < deadline) {
      for (const outTradeNo of [...unacknowledged]) {
        if ((await deliver(outTradeNo)).status === 200) unacknowledged.delete(outTradeNo);
      }
      await sleep(200);
    }
    expect([...unacknowledged]).toEqual([]);

    // Exactly once: each handler ran once, including the two handled before the crash, whose
    // records survived the restart.
    for (const outTradeNo of orders) expect(paidFor(outTradeNo)).toBe(1);
    expect(shop.ledger.calls).toBe(orders.length);
    for (const outTradeNo of later) expect((await deliver(outTradeNo)).status).toBe(200);
    expect(shop.ledger.calls).toBe(orders.length);
  });
});
