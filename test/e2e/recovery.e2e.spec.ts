import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisRecoveryStore, type WechatPayOptions } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { inSeconds, type RecoveryApp, startRecoveryApp, until } from '../support/recovery-app.js';
import { RedisServer } from '../support/redis-server.js';
import { orderNo } from '../support/wechatpay-app.js';

const FAST = { recovery: true, recoverySchedule: [60, 120], recoveryIntervalMs: 120 } as const;

let simulator: WechatPaySimulator;
let redis: RedisServer;
const apps: RecoveryApp[] = [];
beforeAll(async () => {
  // Redeliveries 100 times faster: 15 s → 150 ms.
  simulator = await new WechatPaySimulator({ notifications: { timeScale: 0.01 } }).start();
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

describe.each(ADAPTERS)('missed-notification recovery in Nest (%s)', (adapter) => {
  async function shop(options: Partial<WechatPayOptions> = {}): Promise<RecoveryApp> {
    const started = await startRecoveryApp(adapter, {
      ...simulator.moduleOptions(),
      ...FAST,
      ...options,
    });
    apps.push(started);
    return started;
  }

  async function placeOrder(app: RecoveryApp, prefix: string, extra: Record<string, unknown> = {}) {
    const no = orderNo(prefix);
    await app.wechatPay.payments.prepayNative({
      description: prefix,
      out_trade_no: no,
      amount: { total: 7 },
      notify_url: app.notifyUrl,
      ...extra,
    });
    return no;
  }

  it('notifications dropped: the @WechatNotify handler runs exactly once, from a query, with the queried order', async () => {
    const app = await shop();
    simulator.dropNotifications('all');
    const no = await placeOrder(app, 'NESTDROP');
    simulator.pay(no);
    await until(() => app.ledger.outcomes.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300)); // later queries would show here
    expect(app.ledger.paid).toHaveLength(1);
    expect(app.ledger.paid[0]).toMatchObject({
      transaction: { out_trade_no: no, trade_state: 'SUCCESS', amount: { total: 7 } },
      envelope: { event_type: 'TRANSACTION.SUCCESS', resource_type: 'recovery' },
      userAgent: undefined,
    });
    expect(app.ledger.outcomes[0]).toMatchObject({ type: 'PAID', handledBy: 'recovery' });
  });

  it('a notification and a query racing: the handler runs once', async () => {
    const app = await shop({ recoverySchedule: [1, 20, 40, 60], recoveryIntervalMs: 20 });
    app.ledger.delayMs = 50; // both in flight at once
    const no = await placeOrder(app, 'NESTRACE');
    simulator.pay(no);
    await until(() => app.ledger.outcomes.length === 1);
    // Whichever lost was answered "in progress" or acknowledged as a duplicate.
    await simulator.waitForDelivery((d) => d.url === app.notifyUrl && d.status === 200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.ledger.paid.filter((p) => p.transaction.out_trade_no === no)).toHaveLength(1);
    expect(app.ledger.outcomes[0]).toMatchObject({ type: 'PAID', order: { outTradeNo: no } });
  });

  it('the payer pays between the last query and the close: the paid path runs once', async () => {
    const app = await shop();
    simulator.dropNotifications('all');
    const no = await placeOrder(app, 'NESTLATE', { time_expire: inSeconds(1) });
    simulator.onNextClose(no, () => simulator.pay(no));
    await until(() => app.ledger.outcomes.length === 1);
    expect(app.ledger.outcomes[0]).toMatchObject({ type: 'PAID', paidAtClose: true });
    expect(app.ledger.paid).toHaveLength(1);
  });

  it('an order never paid is closed at expiry and the @WechatRecoveryOutcome hook sees CLOSED', async () => {
    const app = await shop();
    const no = await placeOrder(app, 'NESTCLOSE', { time_expire: inSeconds(1) });
    await until(() => app.ledger.outcomes.length === 1);
    expect(app.ledger.outcomes[0]).toMatchObject({ type: 'CLOSED', order: { outTradeNo: no } });
    expect(simulator.state.findAnyOrder(no)?.state).toBe('CLOSED');
    expect(app.ledger.paid).toHaveLength(0);
  });

  it('an app restart mid-schedule resumes it from a RedisRecoveryStore', async () => {
    const client = redis.client();
    try {
      const store = () => new RedisRecoveryStore(client, `recovery:${adapter}`);
      const before = await shop({ recoveryStore: store(), recoverySchedule: [400, 800] });
      simulator.dropNotifications('all');
      const no = await placeOrder(before, 'NESTRESTART');
      await before.app.close(); // before the first query
      simulator.pay(no);
      const after = await shop({ recoveryStore: store() });
      await until(() => after.ledger.outcomes.length === 1);
      expect(after.ledger.paid).toHaveLength(1);
      expect(after.ledger.paid[0]!.transaction.out_trade_no).toBe(no);
    } finally {
      client.disconnect();
    }
  });
});
