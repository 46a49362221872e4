import type { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openOrderDatabase } from '../src/orders/database/order-database.js';
import { SqlRecoveryStore } from '../src/recovery/sql-recovery-store.js';
import { simulatorRecoveryEnv } from '../src/simulator/simulator-env.js';
import { type PostgresServer, startPostgresServer } from './postgres-server.js';
import {
  type SampleApp,
  sharedOrderDatabase,
  startSampleApp,
  startSimulator,
} from './sample-app.js';

// The sample app keeps recovery's schedule in its orders' database: an app stopped in the middle
// of an order's schedule, whose payment notification is lost, is restarted and the new instance
// finds the payment by resuming the schedule it read from the database.

let server: PostgresServer | undefined;
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await server?.stop();
});

const backends = [
  // The file's shared one: a second embedded database would only slow the file down.
  { backend: 'embedded PostgreSQL (PGlite)', open: sharedOrderDatabase },
  {
    backend: 'a PostgreSQL server (DATABASE_URL)',
    open: async () => {
      server ??= await startPostgresServer();
      const database = await openOrderDatabase(server.url);
      cleanup.push(() => database.close());
      return database;
    },
  },
];

describe.each(backends)('a restart of the sample app on $backend', ({ open }) => {
  it('resumes an order’s recovery schedule: the second instance finds the payment whose notification was lost, once', async () => {
    const database = await open();
    const { simulator, giftcards } = await startSimulator();
    cleanup.push(() => simulator.stop());
    const store = new SqlRecoveryStore(database);
    const start = (adapter: 'express' | 'fastify') =>
      startSampleApp(adapter, {
        simulator: { simulator, giftcards },
        database,
        giftcards: false,
        env: simulatorRecoveryEnv(),
      });

    let first: SampleApp | undefined = await start('express');
    let second: SampleApp | undefined;
    try {
      const order = await first.call('POST', '/orders', { productId: 'tea', api: 'v3' });
      simulator.dropNotifications({ outTradeNo: order.id });
      await first.call('POST', `/orders/${order.id}/pay/native`);
      // In the middle of its schedule: queried at least once, unpaid, then the app stops.
      await until(() => queriesOf(simulator, order.id) > 0);
      await first.close();
      first = undefined;
      const [kept] = (await store.list()).filter((task) => task.outTradeNo === order.id);
      expect(kept).toMatchObject({ version: 'v3', mchid: simulator.merchant.mchid });
      expect(kept!.attempt).toBeGreaterThan(0);

      // Paid while no instance runs; its notification is lost.
      simulator.pay(order.id);
      const queriedBeforeRestart = queriesOf(simulator, order.id);
      second = await start('fastify');
      const paid = await second.until(order.id, 'PAID');
      expect(paid.history).toEqual(['CREATED', 'PAID']);
      expect(paid.transactionId).toMatch(/^\d+$/);
      expect(queriesOf(simulator, order.id)).toBeGreaterThan(queriedBeforeRestart);
      expect(
        simulator.deliveries.filter(
          (delivery) => delivery.eventType.startsWith('TRANSACTION.') && delivery.status,
        ),
      ).toEqual([]);
      // Its recovery ended: the schedule is forgotten.
      await until(async () => !(await store.list()).some((task) => task.outTradeNo === order.id));
    } finally {
      await first?.close();
      await second?.close();
    }
  });
});

/** The v3 order queries the simulator answered for this order (its number is in the path). */
function queriesOf(simulator: WechatPaySimulator, outTradeNo: string): number {
  return simulator.requests.filter(
    (request) => request.method === 'GET' && request.path.includes(outTradeNo),
  ).length;
}

/** Waits for `condition`, polling, for 10 s at most. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met within 10 s');
}
