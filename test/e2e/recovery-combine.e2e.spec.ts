import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FileRecoveryStore,
  isCombineNotification,
  MemoryRecoveryStore,
  type RecoveryOutcome,
  type WechatPayOptions,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { inSeconds, type RecoveryApp, startRecoveryApp, until } from '../support/recovery-app.js';
import { orderNo } from '../support/wechatpay-app.js';

const FAST = { recovery: true, recoverySchedule: [60, 120], recoveryIntervalMs: 120 } as const;
const SUB_MCHID = '1900000109';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

type Mode = 'merchant' | 'partner';
const modeOptions = (mode: Mode): Partial<WechatPayOptions> =>
  mode === 'partner' ? { mode: 'partner', subMchid: SUB_MCHID } : {};

let simulator: WechatPaySimulator;
const apps: RecoveryApp[] = [];
beforeAll(async () => {
  // Redeliveries 100 times faster: 15 s → 150 ms.
  simulator = await new WechatPaySimulator({ notifications: { timeScale: 0.01 } }).start();
});
afterEach(async () => {
  simulator.stopDroppingNotifications();
  for (const shop of apps.splice(0)) await shop.app.close();
});
afterAll(() => simulator.stop());

async function shop(adapter: (typeof ADAPTERS)[number], options: Partial<WechatPayOptions> = {}) {
  const started = await startRecoveryApp(adapter, {
    ...simulator.moduleOptions(),
    ...FAST,
    ...options,
  });
  apps.push(started);
  return started;
}

/** Places a combine JSAPI order of two sub-orders (18.00 + 22.00) and returns its numbers. */
async function placeCombine(
  app: RecoveryApp,
  prefix: string,
  extra: Record<string, unknown> = {},
  options?: { recovery?: boolean },
) {
  const combineNo = orderNo(prefix);
  const subs = [orderNo('SUBA'), orderNo('SUBB')];
  await app.wechatPay.combine.prepayJsapi(
    {
      combine_out_trade_no: combineNo,
      combine_payer_info: { openid: OPENID },
      sub_orders: [
        {
          out_trade_no: subs[0]!,
          description: 'Coffee',
          attach: 'bar',
          amount: { total_amount: 1800 },
        },
        {
          out_trade_no: subs[1]!,
          description: 'Cake',
          attach: 'bakery',
          amount: { total_amount: 2200 },
        },
      ],
      notify_url: app.notifyUrl,
      ...extra,
    },
    options,
  );
  return { combineNo, subs };
}

const paidFor = (app: RecoveryApp, combineNo: string) =>
  app.ledger.paid.filter(
    (p) =>
      (p.transaction as unknown as { combine_out_trade_no?: string }).combine_out_trade_no ===
      combineNo,
  );

describe.each(['merchant', 'partner'] as const)('combine order recovery in %s mode', (mode) => {
  describe.each(ADAPTERS)('on %s', (adapter) => {
    it('notifications dropped: the @WechatNotify handler runs once, from a query, with both sub-orders; the late notification is a duplicate', async () => {
      const app = await shop(adapter, modeOptions(mode));
      simulator.dropNotifications('all');
      const { combineNo, subs } = await placeCombine(app, 'CRDROP');
      simulator.payCombine(combineNo);
      await until(() => app.ledger.outcomes.length === 1);
      // The outcome ends the recovery and no notification went out: the count is final.
      expect(app.ledger.paid).toHaveLength(1);
      const { transaction, envelope } = app.ledger.paid[0]!;
      expect(envelope).toMatchObject({
        event_type: 'TRANSACTION.SUCCESS',
        resource_type: 'recovery',
      });
      expect(isCombineNotification(transaction)).toBe(true);
      expect(transaction).toMatchObject({
        combine_out_trade_no: combineNo,
        combine_payer_info: { openid: OPENID },
        sub_orders: [
          {
            out_trade_no: subs[0],
            trade_state: 'SUCCESS',
            amount: { total_amount: 1800, payer_amount: 1800 },
            ...(mode === 'partner' ? { sub_mchid: SUB_MCHID } : {}),
          },
          { out_trade_no: subs[1], trade_state: 'SUCCESS', amount: { total_amount: 2200 } },
        ],
      });
      const outcome = app.ledger.outcomes[0] as Extract<RecoveryOutcome, { type: 'PAID' }>;
      expect(outcome).toMatchObject({
        type: 'PAID',
        handledBy: 'recovery',
        paidAtClose: false,
        order: { kind: 'combine', outTradeNo: combineNo },
      });
      expect(
        outcome.order.kind === 'combine' && outcome.order.subOrders.map((s) => s.out_trade_no),
      ).toEqual(subs);

      // The real notification, arriving now, shares the business key: acknowledged, not run.
      const [delivery] = await simulator.deliverCombine(combineNo);
      expect(delivery!.status).toBe(200);
      expect(app.ledger.paid).toHaveLength(1);
    });

    it('an unpaid combine order is closed whole at its time_expire and the hook sees CLOSED', async () => {
      const app = await shop(adapter, modeOptions(mode));
      const { combineNo, subs } = await placeCombine(app, 'CRCLOSE', { time_expire: inSeconds(1) });
      await until(() => app.ledger.outcomes.length === 1);
      expect(app.ledger.outcomes[0]).toMatchObject({
        type: 'CLOSED',
        order: { kind: 'combine', outTradeNo: combineNo },
        transaction: { sub_orders: [{ trade_state: 'CLOSED' }, { trade_state: 'CLOSED' }] },
      });
      expect(simulator.state.findAnyOrder(subs[0]!)?.state).toBe('CLOSED');
      expect(simulator.state.findAnyOrder(subs[1]!)?.state).toBe('CLOSED');
      expect(app.ledger.paid).toHaveLength(0);
      // The close went to the combine API, naming every sub-order as placed.
      const close = simulator.requests.find(
        (r) => r.method === 'POST' && r.path.endsWith(`/out-trade-no/${combineNo}/close`),
      );
      expect(close?.status).toBe(204);
    });
  });
});

describe.each(ADAPTERS)('combine order recovery races (%s)', (adapter) => {
  it('a notification and a query racing: the handler runs once', async () => {
    const app = await shop(adapter, { recoverySchedule: [1, 20, 40, 60], recoveryIntervalMs: 20 });
    app.ledger.delayMs = 50; // both in flight at once
    const { combineNo } = await placeCombine(app, 'CRRACE');
    const paidAt = new Date();
    simulator.payCombine(combineNo);
    // Both paths ended: recovery told its outcome, and the notification was acknowledged
    // (handled, or answered as a duplicate after an "in progress" refusal and a redelivery).
    await until(() => app.ledger.outcomes.length === 1);
    await simulator.waitForDelivery(
      (d) => d.url === app.notifyUrl && d.at >= paidAt && d.status === 200,
    );
    expect(paidFor(app, combineNo)).toHaveLength(1);
    expect(app.ledger.outcomes[0]).toMatchObject({
      type: 'PAID',
      order: { kind: 'combine', outTradeNo: combineNo },
    });
  });

  it('the payer pays between the last query and the close: the paid path runs once', async () => {
    const app = await shop(adapter);
    simulator.dropNotifications('all');
    const { combineNo } = await placeCombine(app, 'CRLATE', { time_expire: inSeconds(1) });
    simulator.onNextClose(combineNo, () => simulator.payCombine(combineNo));
    await until(() => app.ledger.outcomes.length === 1);
    expect(app.ledger.outcomes[0]).toMatchObject({
      type: 'PAID',
      paidAtClose: true,
      handledBy: 'recovery',
      order: { kind: 'combine', outTradeNo: combineNo },
    });
    expect(app.ledger.paid).toHaveLength(1);
    expect(app.ledger.paid[0]!.transaction).toMatchObject({
      combine_out_trade_no: combineNo,
      sub_orders: [{ trade_state: 'SUCCESS' }, { trade_state: 'SUCCESS' }],
    });
  });
});

describe('which combine orders recovery watches', () => {
  it('the per-call option overrides the module option, and the kept task holds what the close needs', async () => {
    const store = new MemoryRecoveryStore();
    const off = await shop('express', { recovery: false, recoveryStore: store });
    const watched = await placeCombine(off, 'CROPTIN', {}, { recovery: true });
    await placeCombine(off, 'CRDEFAULT');
    const onStore = new MemoryRecoveryStore();
    const on = await shop('express', { recoveryStore: onStore });
    const unwatched = await placeCombine(on, 'CROPTOUT', {}, { recovery: false });

    const tasks = store.list();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      id: `${simulator.merchant.mchid}:v3-combine:${watched.combineNo}`,
      kind: 'combine',
      version: 'v3',
      outTradeNo: watched.combineNo,
      combineAppid: simulator.moduleOptions().appid,
      subOrders: watched.subs.map((out_trade_no) => ({
        mchid: simulator.merchant.mchid,
        out_trade_no,
      })),
    });
    expect(onStore.list().map((task) => task.outTradeNo)).not.toContain(unwatched.combineNo);
  });

  it('a task kept by the previous version (no kind) in a FileRecoveryStore is still recovered as an ordinary order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recovery-compat-'));
    try {
      const before = await shop('express', { recovery: false });
      simulator.dropNotifications('all');
      const no = orderNo('CROLDTASK');
      await before.wechatPay.payments.prepayNative({
        description: 'old',
        out_trade_no: no,
        amount: { total: 9 },
        notify_url: before.notifyUrl,
      });
      simulator.pay(no);
      const mchid = simulator.merchant.mchid;
      const now = Date.now();
      const path = join(dir, 'recovery.json');
      // Exactly the fields the previous version saved.
      writeFileSync(
        path,
        JSON.stringify([
          {
            id: `${mchid}:v3:${no}`,
            version: 'v3',
            mchid,
            outTradeNo: no,
            createdAt: now,
            expiresAt: now + 3_600_000,
            attempt: 0,
            dueAt: now,
          },
        ]),
      );
      const after = await shop('express', { recoveryStore: new FileRecoveryStore(path) });
      await until(() => after.ledger.outcomes.length === 1);
      expect(after.ledger.outcomes[0]).toMatchObject({
        type: 'PAID',
        handledBy: 'recovery',
        order: { kind: 'payment', outTradeNo: no },
      });
      expect(after.ledger.paid).toHaveLength(1);
      expect(after.ledger.paid[0]!.transaction).toMatchObject({
        out_trade_no: no,
        trade_state: 'SUCCESS',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
