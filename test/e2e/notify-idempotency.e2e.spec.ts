import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import {
  type IdempotencyStore,
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { type NotifyApp, startNotifyApp } from '../support/notify-app.js';
import { RedisServer } from '../support/redis-server.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await new RedisServer().start();
});
afterAll(() => redis.stop());

type Setup = {
  name: string;
  instances: number;
  store: () => { store: IdempotencyStore; close(): void };
};
let run = 0;
const setups: Setup[] = [
  {
    name: 'two instances sharing a real Redis',
    instances: 2,
    // Each instance has its own client and store object; they share the server and the prefix.
    store: () => {
      const client: Redis = redis.client();
      return {
        store: new RedisIdempotencyStore(client, { prefix: `test:${run}:` }),
        close: () => client.disconnect(),
      };
    },
  },
  {
    name: 'one instance with MemoryIdempotencyStore',
    instances: 1,
    store: () => ({ store: new MemoryIdempotencyStore(), close: () => undefined }),
  },
];

describe.each(ADAPTERS)('exactly once on %s', (adapter) => {
  describe.each(setups)('$name', ({ instances, store }) => {
    let simulator: WechatPaySimulator;
    let shops: NotifyApp[] = [];
    let closers: (() => void)[] = [];
    const calls = () => shops.reduce((sum, shop) => sum + shop.ledger.calls, 0);
    const paid = () => shops.reduce((sum, shop) => sum + shop.ledger.paid.length, 0);

    beforeAll(async () => {
      run += 1;
      simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
      shops = [];
      closers = [];
      for (let i = 0; i < instances; i++) {
        const { store: idempotencyStore, close } = store();
        closers.push(close);
        shops.push(
          await startNotifyApp(
            adapter,
            simulator.moduleOptions({
              idempotencyStore,
              notificationLeaseMs: 1000,
              notifyUrl: NO_RECEIVER_NOTIFY_URL,
            }),
          ),
        );
      }
    });
    afterAll(async () => {
      for (const shop of shops) await shop.app.close();
      for (const close of closers) close();
      await simulator.stop();
    });

    async function paidOrder(): Promise<string> {
      const outTradeNo = orderNo();
      await shops[0]!.wechatPay.payments.prepayNative({
        description: 'x',
        out_trade_no: outTradeNo,
        amount: { total: 5 },
      });
      simulator.pay(outTradeNo);
      return outTradeNo;
    }

    /** The same notification, `copies` times to every instance, all at the same moment. */
    const deliverEverywhere = (outTradeNo: string, copies: number) =>
      Promise.all(
        shops.map((shop) =>
          simulator.deliverTransaction(outTradeNo, { url: shop.notifyUrl, copies }),
        ),
      ).then((all) => all.flat());

    it('concurrent deliveries of one event run its handler once', async () => {
      for (const shop of shops) shop.ledger.delayMs = 100;
      const before = paid();
      const outTradeNo = await paidOrder();
      const deliveries = await deliverEverywhere(outTradeNo, 10 / instances);
      expect(deliveries.every((d) => d.status === 200 || d.status === 503)).toBe(true);
      expect(deliveries.some((d) => d.status === 200)).toBe(true);
      expect(paid() - before).toBe(1);
      // Every later redelivery, to any instance, is acknowledged without a second run.
      const later = await deliverEverywhere(outTradeNo, 1);
      expect(later.map((d) => d.status)).toEqual(shops.map(() => 200));
      expect(paid() - before).toBe(1);
    });

    it('a handler slower than the lease keeps it: a redelivery meanwhile does not run it again', async () => {
      // 3 s: the redelivery must arrive while it runs, and its answer within WeChat Pay's 5 s.
      for (const shop of shops) shop.ledger.delayMs = 3000;
      const outTradeNo = await paidOrder();
      const before = calls();
      const first = simulator.deliverTransaction(outTradeNo, { url: shops[0]!.notifyUrl });
      await expect.poll(() => calls() - before).toBe(1); // the handler runs
      await new Promise((resolve) => setTimeout(resolve, 1600)); // past the 1 s lease
      const [meanwhile] = await simulator.deliverTransaction(outTradeNo, {
        url: shops.at(-1)!.notifyUrl,
      });
      expect(meanwhile!.status).toBe(503);
      expect((await first)[0]!.status).toBe(200);
      expect(calls() - before).toBe(1);
      for (const shop of shops) shop.ledger.delayMs = 0;
    });

    it('concurrent duplicate v2 notifications run the handler once', async () => {
      for (const shop of shops) shop.ledger.delayMs = 100;
      const outTradeNo = orderNo('V2D');
      await shops[0]!.wechatPay.v2.payments.unifiedOrder({
        body: 'v2',
        out_trade_no: outTradeNo,
        total_fee: 5,
        spbill_create_ip: '127.0.0.1',
        trade_type: 'NATIVE',
      });
      simulator.pay(outTradeNo);
      const before = calls();
      const deliveries = await Promise.all(
        shops.map((shop) =>
          simulator.deliverTransaction(outTradeNo, {
            url: shop.v2NotifyUrl,
            copies: 10 / instances,
          }),
        ),
      ).then((all) => all.flat());
      expect(deliveries.every((d) => d.status === 200 || d.status === 503)).toBe(true);
      expect(calls() - before).toBe(1);
      for (const shop of shops) shop.ledger.delayMs = 0;
    });

    it('a handler that fails releases the event, and the next delivery (to any instance) runs it', async () => {
      for (const shop of shops) shop.ledger.delayMs = 0;
      const outTradeNo = await paidOrder();
      const before = { calls: calls(), paid: paid() };
      shops[0]!.ledger.failNext = 1;
      const [failed] = await simulator.deliverTransaction(outTradeNo, { url: shops[0]!.notifyUrl });
      expect(failed!.status).toBe(500);
      const [retried] = await simulator.deliverTransaction(outTradeNo, {
        url: shops.at(-1)!.notifyUrl,
      });
      expect(retried!.status).toBe(200);
      expect(calls() - before.calls).toBe(2);
      expect(paid() - before.paid).toBe(1);
    });
  });
});
