import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import {
  type IdempotencyStore,
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
} from '../../lib/index.js';
import { type NotificationDelivery, WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { type NotifyApp, paidOrder, startNotifyApp } from '../support/notify-app.js';
import { RedisServer } from '../support/redis-server.js';

const LEASE_MS = 1000;
const HANDLER_TIMEOUT_MS = 2500;

let redis: RedisServer;
let client: Redis;
beforeAll(async () => {
  redis = await new RedisServer().start();
  client = redis.client();
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // rejected on purpose; the handler awaits it
  return { promise, resolve, reject };
}

const stores: [string, () => IdempotencyStore][] = [
  ['MemoryIdempotencyStore', () => new MemoryIdempotencyStore()],
  [
    'RedisIdempotencyStore',
    () => new RedisIdempotencyStore(client, { prefix: `hung:${Math.random()}:` }),
  ],
];

describe.each(ADAPTERS)('a handler that never settles, on %s', (adapter) => {
  describe.each(stores)('with %s', (_name, createStore) => {
    let simulator: WechatPaySimulator;
    let shop: NotifyApp;

    beforeAll(async () => {
      simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
      shop = await startNotifyApp(
        adapter,
        simulator.moduleOptions({
          idempotencyStore: createStore(),
          notificationLeaseMs: LEASE_MS,
          notificationHandlerTimeoutMs: HANDLER_TIMEOUT_MS,
        }),
      );
    });
    afterAll(async () => {
      await shop.app.close();
      await simulator.stop();
    });

    const deliver = async (outTradeNo: string) =>
      (await simulator.deliverTransaction(outTradeNo, { url: shop.notifyUrl }))[0]!;
    const paidFor = (outTradeNo: string) =>
      shop.ledger.paid.filter((t) => t.out_trade_no === outTradeNo).length;

    /**
     * WeChat Pay's redeliveries once the hung handler was given up: each is answered 503 without
     * running it until its lease has lapsed, which on a loaded machine may be later than
     * `LEASE_MS` after the handler timeout. Resolves with the first delivery that runs the handler
     * again, still in flight while its handler waits on a gate.
     */
    async function redeliverUntilRun(
      outTradeNo: string,
    ): Promise<{ running: Promise<NotificationDelivery> }> {
      const callsBefore = shop.ledger.calls;
      for (const deadline = Date.now() + 20_000; ;) {
        let answered = false;
        const delivery = deliver(outTradeNo).finally(() => (answered = true));
        await expect.poll(() => answered || shop.ledger.calls > callsBefore).toBe(true);
        if (shop.ledger.calls > callsBefore) return { running: delivery };
        expect((await delivery).status).toBe(503);
        if (Date.now() > deadline) throw new Error('the hung handler kept its lease');
        await sleep(200);
      }
    }

    it('is given up after the handler timeout: the lease lapses, a redelivery runs the handler again, one success is recorded', async () => {
      const outTradeNo = await paidOrder(shop, simulator, 'HUNG');
      const calls = shop.ledger.calls;
      shop.ledger.gates.push(new Promise(() => undefined)); // never settles
      const started = Date.now();
      const hung = deliver(outTradeNo);

      // Within the handler timeout the lease is renewed: a redelivery does not run it twice.
      await sleep(LEASE_MS * 1.6);
      expect((await deliver(outTradeNo)).status).toBe(503);
      expect(shop.ledger.calls - calls).toBe(1);

      // At the handler timeout the hung delivery gets a failure, well before WeChat Pay's ~5 s.
      const answer = await hung;
      expect(answer.error).toBeUndefined();
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.responseBody)).toMatchObject({ code: 'FAIL' });
      // Answered (no `error`), so within the simulator's 5 s, as WeChat Pay waits; not before
      // the handler timeout.
      expect(Date.now() - started).toBeGreaterThanOrEqual(HANDLER_TIMEOUT_MS - 50);

      // Renewal stopped, so the lease lapses and a later delivery runs the handler.
      await sleep(LEASE_MS + 300);
      const retried = await (await redeliverUntilRun(outTradeNo)).running;
      expect(retried.status).toBe(200);
      expect(shop.ledger.calls - calls).toBe(2);
      expect(paidFor(outTradeNo)).toBe(1);

      // Done now: later deliveries are acknowledged without running it.
      expect((await deliver(outTradeNo)).status).toBe(200);
      expect(shop.ledger.calls - calls).toBe(2);
      expect(paidFor(outTradeNo)).toBe(1);
    });

    it('the late failure of a given-up handler cannot release the claim of the delivery that took over', async () => {
      const outTradeNo = await paidOrder(shop, simulator, 'HUNG');
      const calls = shop.ledger.calls;
      const hung = deferred();
      const slow = deferred();
      shop.ledger.gates.push(hung.promise, slow.promise);

      expect((await deliver(outTradeNo)).status).toBe(503); // given up at the handler timeout
      await sleep(LEASE_MS + 300);
      const { running: takeover } = await redeliverUntilRun(outTradeNo);
      expect(shop.ledger.calls - calls).toBe(2);

      hung.reject(new Error('the hung call fails at last'));
      await sleep(200);
      // The take-over's claim still holds: a duplicate meanwhile is not run.
      expect((await deliver(outTradeNo)).status).toBe(503);
      expect(shop.ledger.calls - calls).toBe(2);

      slow.resolve();
      expect((await takeover).status).toBe(200);
      expect((await deliver(outTradeNo)).status).toBe(200);
      expect(shop.ledger.calls - calls).toBe(2);
      expect(paidFor(outTradeNo)).toBe(1);
    });
  });
});
