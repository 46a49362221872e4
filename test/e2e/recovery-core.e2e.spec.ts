import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileRecoveryStore } from '../../lib/core/recovery/file-recovery-store.js';
import type { RecoveryOutcome } from '../../lib/core/recovery/recovery.types.js';
import type { VerifiedNotification } from '../../lib/core/notify/notification.types.js';
import {
  receiveNotification,
  resolveWechatPayConfig,
  WechatPayClient,
  type WechatPayOptions,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const FAST = { recovery: true, recoverySchedule: [60, 120], recoveryIntervalMs: 120 } as const;
const quiet = { warn: () => undefined, error: () => undefined };

let simulator: WechatPaySimulator;
const clients: WechatPayClient[] = [];
beforeAll(async () => {
  simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
});
afterEach(async () => {
  for (const client of clients.splice(0)) {
    await client.recovery.stop();
    client.close();
  }
});
afterAll(() => simulator.stop());

/** A client with recovery on, its handler and hook recording what they saw. */
async function recovering(options: Partial<WechatPayOptions> = {}, start = true) {
  const client = new WechatPayClient(
    resolveWechatPayConfig({
      ...simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
      ...FAST,
      ...options,
    }),
    quiet,
  );
  clients.push(client);
  const handled: VerifiedNotification<Record<string, unknown>>[] = [];
  const outcomes: RecoveryOutcome[] = [];
  const handler = (notification: VerifiedNotification<Record<string, unknown>>) => {
    handled.push(notification);
  };
  const onOutcome = (outcome: RecoveryOutcome) => {
    outcomes.push(outcome);
  };
  if (start) await client.recovery.start({ handler, onOutcome });
  return { client, handled, outcomes, handler, onOutcome };
}

function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Polls until `check` holds; the deadline is for a loaded CI machine. */
async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('missed-notification recovery without Nest', () => {
  it('a paid order whose notification never came runs the payment handler once, from a query', async () => {
    const { client, handled, outcomes } = await recovering();
    const no = orderNo('RECPAID');
    await client.payments.prepayNative({
      description: 'r',
      out_trade_no: no,
      amount: { total: 5 },
    });
    simulator.pay(no);
    await until(() => outcomes.length === 1);
    expect(handled).toHaveLength(1);
    expect(handled[0]!.envelope.event_type).toBe('TRANSACTION.SUCCESS');
    expect(handled[0]!.payload).toMatchObject({ out_trade_no: no, trade_state: 'SUCCESS' });
    expect(outcomes[0]).toMatchObject({ type: 'PAID', handledBy: 'recovery', paidAtClose: false });
  });

  it('a notification handled first makes recovery a duplicate: the handler ran once', async () => {
    // Recovery starts after the notification was handled: its first query (60 ms after the
    // order) could otherwise come first on a loaded machine.
    const { client, handled, outcomes, handler, onOutcome } = await recovering({}, false);
    const no = orderNo('RECRACE');
    await client.payments.prepayNative({
      description: 'r',
      out_trade_no: no,
      amount: { total: 5 },
    });
    simulator.pay(no);
    const { body, headers } = simulator.signedTransactionNotification(no);
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    let notified = 0;
    await receiveNotification(
      client,
      { headers: { ...lower, 'content-type': 'application/json' }, rawBody: Buffer.from(body) },
      () => {
        notified += 1;
      },
    );
    await client.recovery.start({ handler, onOutcome });
    await until(() => outcomes.length === 1);
    expect(notified).toBe(1);
    expect(handled).toHaveLength(0);
    expect(outcomes[0]).toMatchObject({ type: 'PAID', handledBy: 'notification' });
  });

  it('an order never paid is closed at its time_expire and the hook sees CLOSED', async () => {
    const { client, handled, outcomes } = await recovering();
    const no = orderNo('RECCLOSE');
    await client.payments.prepayNative({
      description: 'r',
      out_trade_no: no,
      amount: { total: 5 },
      time_expire: inSeconds(1),
    });
    await until(() => outcomes.length === 1);
    expect(outcomes[0]).toMatchObject({ type: 'CLOSED', order: { outTradeNo: no, version: 'v3' } });
    expect(simulator.state.findAnyOrder(no)?.state).toBe('CLOSED');
    expect(handled).toHaveLength(0);
  });

  it('a payer who pays between the last query and the close gets the paid path, once', async () => {
    const { client, handled, outcomes } = await recovering();
    const no = orderNo('RECLATE');
    await client.payments.prepayNative({
      description: 'r',
      out_trade_no: no,
      amount: { total: 5 },
      time_expire: inSeconds(1),
    });
    simulator.onNextClose(no, () => simulator.pay(no));
    await until(() => outcomes.length === 1);
    expect(outcomes[0]).toMatchObject({ type: 'PAID', handledBy: 'recovery', paidAtClose: true });
    expect(handled).toHaveLength(1);
    expect(simulator.state.findAnyOrder(no)?.state).toBe('SUCCESS');
  });

  it('an API v2 order (unifiedorder) is recovered with its v2 query fields', async () => {
    const { client, handled, outcomes } = await recovering();
    const no = orderNo('RECV2');
    await client.v2.payments.unifiedOrder({
      body: 'r',
      out_trade_no: no,
      total_fee: 5,
      spbill_create_ip: '127.0.0.1',
      trade_type: 'NATIVE',
      product_id: 'P1',
    });
    simulator.pay(no);
    await until(() => outcomes.length === 1);
    expect(handled).toHaveLength(1);
    expect(handled[0]).toMatchObject({
      version: 'v2',
      payload: { out_trade_no: no, trade_state: 'SUCCESS' },
    });
  });

  it('an order placed with { recovery: false } is not watched', async () => {
    const { client, outcomes } = await recovering();
    const no = orderNo('RECOFF');
    await client.payments.prepayNative(
      { description: 'r', out_trade_no: no, amount: { total: 5 }, time_expire: inSeconds(1) },
      { recovery: false },
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(outcomes).toHaveLength(0);
    expect(simulator.state.findAnyOrder(no)?.state).toBe('NOTPAY');
  });

  it('a restart resumes the schedule from a FileRecoveryStore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recovery-'));
    try {
      const path = join(dir, 'recovery.json');
      const before = await recovering({ recoveryStore: new FileRecoveryStore(path) }, false);
      const no = orderNo('RECRESTART');
      await before.client.payments.prepayNative({
        description: 'r',
        out_trade_no: no,
        amount: { total: 5 },
      });
      before.client.close(); // the process dies before the first query
      simulator.pay(no);
      const after = await recovering({ recoveryStore: new FileRecoveryStore(path) });
      await until(() => after.outcomes.length === 1);
      expect(after.handled).toHaveLength(1);
      expect(after.outcomes[0]).toMatchObject({ type: 'PAID', order: { outTradeNo: no } });
      await after.client.recovery.stop(); // lets the step finish: it forgets the order
      expect(await new FileRecoveryStore(path).list()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
