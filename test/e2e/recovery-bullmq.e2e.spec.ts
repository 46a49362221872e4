import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecoveryTask, WechatPayOptions } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { type RecoveryApp, startRecoveryApp, until } from '../support/recovery-app.js';
import { RedisServer } from '../support/redis-server.js';
import { orderNo } from '../support/wechatpay-app.js';

const FAST = { recovery: true, recoverySchedule: [100, 200], recoveryIntervalMs: 200 } as const;

let simulator: WechatPaySimulator;
let redis: RedisServer;
const apps: RecoveryApp[] = [];
beforeAll(async () => {
  simulator = await new WechatPaySimulator().start();
  redis = await new RedisServer().start();
});
afterEach(async () => {
  simulator.stopDroppingNotifications();
  for (const shop of apps.splice(0)) await shop.app.close();
});
afterAll(async () => {
  await simulator.stop();
  await redis.stop();
});

describe.each(ADAPTERS)('recovery on BullMQ (%s)', (adapter) => {
  let queues = 0;
  async function shop(queue: string, options: Partial<WechatPayOptions> = {}) {
    const started = await startRecoveryApp(
      adapter,
      { ...simulator.moduleOptions(), ...FAST, ...options },
      { port: redis.port, queue },
    );
    apps.push(started);
    return started;
  }

  /** The simulator's queries of one order, oldest first. */
  function queriesOf(no: string) {
    return simulator.requestsTo('primary').filter((r) => r.method === 'GET' && r.path.includes(no));
  }

  /** The steps of the order's recovery that ran, once none is pending in the shared queue. */
  async function stepsRun(shop: RecoveryApp, queue: string, no: string): Promise<number[]> {
    const bull = shop.app.get<Queue<RecoveryTask>>(getQueueToken(queue));
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const jobs = (await bull.getJobs(['completed', 'active', 'waiting', 'delayed'])).filter(
        (job) => job.data.outTradeNo === no,
      );
      const done = await Promise.all(jobs.map((job) => job.isCompleted()));
      if (done.every(Boolean)) return jobs.map((job) => job.data.step ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`recovery jobs of ${no} still pending`);
  }

  it('two instances sharing the queue: one query stream per order, the handler runs once', async () => {
    const queue = `recovery-${adapter}-${(queues += 1)}`;
    const [a, b] = [await shop(queue), await shop(queue)];
    simulator.dropNotifications('all');
    const no = orderNo('BULLTWO');
    await a.wechatPay.payments.prepayNative({
      description: 'two',
      out_trade_no: no,
      amount: { total: 3 },
      notify_url: a.notifyUrl,
    });
    // The other instance schedules the same order too (e.g. the checkout was retried there).
    await b.wechatPay.recovery.track({ version: 'v3', outTradeNo: no });
    await until(() => queriesOf(no).length >= 2); // a few unpaid queries, however late
    simulator.pay(no);
    await until(() => a.ledger.outcomes.length + b.ledger.outcomes.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second stream would show here
    expect(a.ledger.paid.length + b.ledger.paid.length).toBe(1);
    expect(a.ledger.outcomes.length + b.ledger.outcomes.length).toBe(1);
    // Each step is one job that queries once; a second stream would query more often than
    // there are steps (timing-free: a late job under load neither adds nor removes a step).
    const steps = await stepsRun(a, queue, no);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(queriesOf(no)).toHaveLength(steps.length);
  });

  it('an order never paid is closed by a worker and the hook sees CLOSED', async () => {
    const queue = `recovery-${adapter}-${(queues += 1)}`;
    const app = await shop(queue);
    const no = orderNo('BULLCLOSE');
    await app.wechatPay.payments.prepayNative({
      description: 'close',
      out_trade_no: no,
      amount: { total: 3 },
      notify_url: app.notifyUrl,
      time_expire: new Date(Date.now() + 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    });
    await until(() => app.ledger.outcomes.length === 1);
    expect(app.ledger.outcomes[0]).toMatchObject({ type: 'CLOSED', order: { outTradeNo: no } });
    expect(simulator.state.findAnyOrder(no)?.state).toBe('CLOSED');
  });

  it('survives a restart: the jobs wait in Redis for the next instance', async () => {
    const queue = `recovery-${adapter}-${(queues += 1)}`;
    const before = await shop(queue, { recoverySchedule: [400, 800] });
    simulator.dropNotifications('all');
    const no = orderNo('BULLRESTART');
    await before.wechatPay.payments.prepayNative({
      description: 'restart',
      out_trade_no: no,
      amount: { total: 3 },
      notify_url: before.notifyUrl,
    });
    await before.app.close(); // before the first query
    apps.splice(apps.indexOf(before), 1);
    simulator.pay(no);
    const after = await shop(queue);
    await until(() => after.ledger.outcomes.length === 1);
    expect(after.ledger.paid).toHaveLength(1);
    expect(after.ledger.paid[0]!.transaction.out_trade_no).toBe(no);
  });
});
