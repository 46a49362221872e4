import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue as BullQueue, type Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BullmqReconciliationScheduler,
  checkWechatPayHealth,
  type DailyReconciliationResult,
  EmbeddedReconciliationScheduler,
  InjectWechatPay,
  RECONCILIATION_JOB_SCHEDULER_ID,
  type ReconciliationOrder,
  type WechatPayOptions,
  WechatPayModule,
  WechatPayService,
  WechatReconciliationReport,
  WechatReconciliationSource,
} from '../../lib/index.js';
import { createTestMerchant, WechatPaySimulator } from '../../lib/testing/index.js';
import { until } from '../support/recovery-app.js';
import { RedisServer } from '../support/redis-server.js';
import { bootWechatPay, NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const DAY = 86_400_000;
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** 00:00 China time tomorrow, epoch ms. */
const tomorrowMidnight = () => Date.parse(`${today()}T00:00:00+08:00`) + DAY;

/** The merchant's books: what the job's source serves, in out_trade_no order. */
const books = new Map<string, ReconciliationOrder>();
/** Every result any app's hook received. */
const results: DailyReconciliationResult[] = [];
/** How many more times the source fails, as a database that is down would. */
let sourceFailures = 0;

@Injectable()
class OrdersForReconciliation {
  @WechatReconciliationSource()
  // eslint-disable-next-line @typescript-eslint/require-await
  async *orders(): AsyncGenerator<ReconciliationOrder> {
    if (sourceFailures > 0) {
      sourceFailures -= 1;
      throw new Error('the orders database is down');
    }
    yield* [...books.values()].sort((a, b) => (a.out_trade_no < b.out_trade_no ? -1 : 1));
  }
}

@Injectable()
class ReconciliationReports {
  @WechatReconciliationReport()
  reported(result: DailyReconciliationResult): void {
    results.push(result);
  }
}

async function startShop(
  imports: unknown[],
  providers: unknown[] = [OrdersForReconciliation, ReconciliationReports],
): Promise<INestApplication> {
  @Module({ imports: imports as never[], providers: providers as never[] })
  class ShopModule {}
  const app = await NestFactory.create(ShopModule, { logger: false, abortOnError: false });
  await app.init();
  return app;
}

let simulator: WechatPaySimulator;
const paid: string[] = [];
const apps: INestApplication[] = [];

// One simulator day: three paid orders in the books; the bill is then altered three ways.
beforeAll(async () => {
  simulator = await new WechatPaySimulator().start();
  const { app, wechatPay } = await bootWechatPay(
    simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
  );
  for (let i = 0; i < 3; i++) {
    const out_trade_no = orderNo(`JOB${i}`);
    await wechatPay.payments.prepayNative({
      description: '对账',
      out_trade_no,
      amount: { total: 2000 + i },
    });
    const { success_time } = simulator.pay(out_trade_no);
    paid.push(out_trade_no);
    books.set(out_trade_no, {
      out_trade_no,
      amount: 2000 + i,
      state: 'paid',
      paid_at: new Date(success_time!),
    });
  }
  await app.close();
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  results.length = 0;
  sourceFailures = 0;
  simulator.clearBillAlterations();
});
afterAll(async () => {
  await simulator?.stop();
});

const extra = orderNo('JOBX');
function alterTheDay(): void {
  simulator.alterBills(
    { kind: 'extraPayment', outTradeNo: extra, total: 4200 },
    { kind: 'missingPayment', outTradeNo: paid[0]! },
    { kind: 'amountOff', outTradeNo: paid[1]! },
  );
}

function expectTheThreeDifferences(result: DailyReconciliationResult | undefined): void {
  expect(result).toMatchObject({ status: 'reconciled', date: today() });
  const { report } = result as Extract<DailyReconciliationResult, { status: 'reconciled' }>;
  expect(report.counts).toEqual({
    paid_at_wechatpay_not_here: 1,
    paid_here_not_at_wechatpay: 1,
    amount_mismatch: 1,
    refund_mismatch: 0,
  });
  expect(report.differences.map((d) => [d.kind, d.out_trade_no])).toEqual(
    expect.arrayContaining([
      ['paid_at_wechatpay_not_here', extra],
      ['paid_here_not_at_wechatpay', paid[0]],
      ['amount_mismatch', paid[1]],
    ]),
  );
  expect(report.matched.payments).toBe(1);
}

const tradeBillRequests = () =>
  simulator.requestsTo('primary').filter((r) => r.path.startsWith('/v3/bill/tradebill')).length;

describe('the daily reconciliation job, embedded scheduler', () => {
  /**
   * A shop whose job runs at 00:00 on a clock a day ahead: its slot has passed, so it catches
   * "yesterday" (today, for the simulator) up as it starts.
   */
  async function shop(options: Partial<WechatPayOptions> = {}, now = () => Date.now() + DAY) {
    const app = await startShop([
      WechatPayModule.forRoot({
        ...simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
        reconciliationTime: '00:00',
        reconciliationScheduler: new EmbeddedReconciliationScheduler({ now }),
        ...options,
      }),
    ]);
    apps.push(app);
    return app;
  }

  it('runs on bootstrap and hands the hook the report with the three injected differences', async () => {
    alterTheDay();
    const app = await shop();
    await until(() => results.length > 0, 20_000);
    expectTheThreeDifferences(results[0]);
    expect(results[0]).toMatchObject({ attempts: 1 });
    const health = await checkWechatPayHealth(app.get(WechatPayService));
    expect(health.checks.reconciliation).toMatchObject({ healthy: true });
  });

  // The bill's own not-ready answer (STATEMENT_CREATING) is retried the same way: see the unit
  // tests of DailyReconciliation; here the failure comes from the app's side.
  it('tries again after a failed attempt, then reports', async () => {
    alterTheDay();
    sourceFailures = 2;
    await shop({ reconciliationRetryMs: 50 });
    await until(() => results.length > 0, 20_000);
    expectTheThreeDifferences(results[0]);
    expect(results[0]).toMatchObject({ attempts: 3 });
    expect(sourceFailures).toBe(0);
  });

  it('reports the failure to the hook when no retry fits before the cut-off', async () => {
    sourceFailures = 1;
    // 23:59 China time of the slot's day: the first retry would fall after midnight.
    const lastMinute = tomorrowMidnight() + DAY - 60_000;
    await shop({ reconciliationRetryMs: 30 * 60_000 }, () => lastMinute);
    await until(() => results.length > 0, 20_000);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'failed', date: today(), attempts: 1 });
    expect((results[0] as { error: Error }).error.message).toBe('the orders database is down');
  });

  it('a registration without a @WechatReconciliationSource() method runs no job', async () => {
    const { app, wechatPay } = await bootWechatPay(
      simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
    );
    apps.push(app);
    expect(wechatPay.dailyReconciliation.running).toBe(false);
    expect((await checkWechatPayHealth(wechatPay)).checks.reconciliation).toBeUndefined();
  });
});

describe('the daily reconciliation job of named registrations', () => {
  const hk = createTestMerchant();
  const aheadByADay = () => new EmbeddedReconciliationScheduler({ now: () => Date.now() + DAY });

  @Injectable()
  class HongKongBooks {
    @WechatReconciliationSource({ merchant: 'hk' })
    async *orders(): AsyncGenerator<ReconciliationOrder> {}

    @WechatReconciliationReport({ merchant: 'hk' })
    reported(result: DailyReconciliationResult): void {
      results.push(result);
    }
  }

  @Injectable()
  class Registrations {
    constructor(
      readonly mainland: WechatPayService,
      @InjectWechatPay('hk') readonly hongKong: WechatPayService,
    ) {}
  }

  it('each registration runs its own job, only with its own source and hook', async () => {
    simulator.addMerchant(hk);
    const app = await startShop(
      [
        WechatPayModule.forRoot({
          ...simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
          reconciliationTime: '00:00',
          reconciliationScheduler: aheadByADay(),
        }),
        WechatPayModule.forRoot({
          name: 'hk',
          ...simulator.moduleOptions({ merchant: hk, notifyUrl: NO_RECEIVER_NOTIFY_URL }),
          reconciliationTime: '00:00',
          reconciliationScheduler: aheadByADay(),
        }),
      ],
      [HongKongBooks, Registrations],
    );
    apps.push(app);
    const { mainland, hongKong } = app.get(Registrations);
    expect(mainland.dailyReconciliation.running).toBe(false);
    expect(hongKong.dailyReconciliation.running).toBe(true);
    await until(() => results.length > 0, 20_000);
    // The hk merchant had no payment today: its own bill, not the mainland one.
    expect(results).toMatchObject([
      { status: 'reconciled', date: today(), report: { bill: { payments: 0 } } },
    ]);
  });

  it('refuses to start with two sources for one registration', async () => {
    @Injectable()
    class OtherOrders {
      @WechatReconciliationSource()
      async *orders(): AsyncGenerator<ReconciliationOrder> {}
    }
    await expect(
      startShop(
        [WechatPayModule.forRoot(simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }))],
        [OrdersForReconciliation, OtherOrders],
      ),
    ).rejects.toThrow(
      /several @WechatReconciliationSource\(\) methods \(OrdersForReconciliation\.orders, OtherOrders\.orders\)/,
    );
  });
});

describe('the daily reconciliation job on BullMQ, two instances', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await new RedisServer().start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  async function instance(queue: string): Promise<INestApplication> {
    const app = await startShop([
      BullModule.forRoot({ connection: { host: '127.0.0.1', port: redis.port } }),
      WechatPayModule.forRootAsync({
        imports: [BullModule.registerQueue({ name: queue })],
        inject: [getQueueToken(queue)],
        useFactory: (bull: Queue) => ({
          ...simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
          reconciliationTime: '00:00',
          reconciliationScheduler: new BullmqReconciliationScheduler(bull),
        }),
      }),
    ]);
    apps.push(app);
    return app;
  }

  it("the day's job runs once, on one of them, and the hook gets the differences", async () => {
    alterTheDay();
    const queueName = 'reconciliation-two';
    const [a] = [await instance(queueName), await instance(queueName)];
    const queue = a.get<Queue>(getQueueToken(queueName));
    // Both upserted the same job scheduler: one scheduler, one next job (00:00 tomorrow, China).
    expect((await queue.getJobSchedulers()).map((s) => [s.key, s.tz, s.pattern])).toEqual([
      [RECONCILIATION_JOB_SCHEDULER_ID, 'Asia/Shanghai', '0 0 * * *'],
    ]);
    const planned = await queue.getJobs(['delayed']);
    expect(planned.map((job) => job.opts.prevMillis)).toEqual([tomorrowMidnight()]);
    const health = await checkWechatPayHealth(a.get(WechatPayService));
    expect(health.checks.reconciliation).toMatchObject({ healthy: true });
    const before = tradeBillRequests();
    // Run tomorrow's job now: it reconciles the day before its slot, today.
    await planned[0]!.promote();
    await until(() => results.length > 0, 20_000);
    await until(() => tradeBillRequests() > before);
    const job = (await queue.getJob(planned[0]!.id!))!;
    for (const deadline = Date.now() + 10_000; !(await job.isCompleted());) {
      if (Date.now() > deadline) throw new Error('the day job did not complete');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(results).toHaveLength(1);
    expectTheThreeDifferences(results[0]);
    expect(tradeBillRequests() - before).toBe(1);
    // The scheduler planned the next day.
    expect((await queue.getJobs(['delayed'])).map((j) => j.opts.prevMillis)).toEqual([
      tomorrowMidnight() + DAY,
    ]);
  });
  it('a day whose slot passed while no instance ran is reconciled by the next one to start', async () => {
    alterTheDay();
    const queueName = 'reconciliation-overdue';
    const first = await instance(queueName);
    await first.close(); // every instance down
    apps.splice(apps.indexOf(first), 1);
    const queue = new BullQueue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      const [planned] = await queue.getJobs(['delayed']);
      await planned!.promote(); // its slot came with no worker to take it
    } finally {
      await queue.close();
    }
    await instance(queueName);
    // Upserting the scheduler again would have replaced the overdue job by tomorrow's.
    await until(() => results.length > 0, 20_000);
    expect(results).toHaveLength(1);
    expectTheThreeDifferences(results[0]);
  });
});
