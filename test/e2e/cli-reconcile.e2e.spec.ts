import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveWechatPayConfig, WechatPayClient } from '../../lib/index.js';
import type { ReconciliationReport } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { simulatorEnv } from '../../sample-app/src/simulator/simulator-env.js';
import { runCliCaptured } from '../support/cli-io.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const work = join(import.meta.dirname, '../artifacts/cli-reconcile');
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let simulator: WechatPaySimulator;
let client: WechatPayClient;
let env: Record<string, string>;
/** The merchant's side: this simulator's paid orders, as the orders file lists them. */
const orders: { out_trade_no: string; amount: number; state: string }[] = [];

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  simulator = await new WechatPaySimulator({
    https: true,
    notifications: { autoDeliver: false },
  }).start();
  env = simulatorEnv(simulator);
  client = new WechatPayClient(
    resolveWechatPayConfig(simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL })),
  );
  for (const amount of [1999, 1, 300]) {
    const out_trade_no = orderNo('REC');
    await client.payments.prepayNative({
      description: 'CLI',
      out_trade_no,
      amount: { total: amount },
    });
    simulator.pay(out_trade_no);
    orders.push({ out_trade_no, amount, state: 'paid' });
  }
  orders.sort((a, b) => (a.out_trade_no < b.out_trade_no ? -1 : 1));
});
afterEach(() => simulator.clearBillAlterations());
afterAll(async () => {
  client?.close();
  await simulator?.stop();
});

function ordersFile(name: string, lines: string[]): string {
  const path = join(work, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const jsonLines = () => orders.map((order) => JSON.stringify(order));

describe('nestjs-wechatpay bill --reconcile', () => {
  it('prints "no differences" and exits 0 when the bill matches the orders file', async () => {
    const file = ordersFile('matching.jsonl', jsonLines());
    const { code, out, err } = await runCliCaptured(
      ['bill', '--date', today(), '--reconcile', file],
      env,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`WeChat Pay reconciliation of ${today()} (API v3): no differences`);
    expect(out).toContain('matched: 3 payments, 0 refunds');
    const tty = await runCliCaptured(['bill', '--date', today(), '--reconcile', file], env, {
      isTTY: true,
    });
    expect(tty.code).toBe(0);
    expect(tty.err).toMatch(/\rdownloading the bill: \d+ bytes/);
    expect(tty.err).not.toContain('rows');
  });

  it('exits 1 and reports the difference of a day whose bill differs (JSON for scripts)', async () => {
    const altered = orders[1]!.out_trade_no;
    simulator.alterBills({ kind: 'amountOff', outTradeNo: altered, byFen: 50 });
    const file = ordersFile('differing.jsonl', jsonLines());
    const json = await runCliCaptured(
      ['bill', '--date', today(), '--reconcile', file, '--json'],
      env,
    );
    expect(json.code).toBe(1);
    const { reconciliation } = JSON.parse(json.out) as { reconciliation: ReconciliationReport };
    expect(reconciliation.counts).toMatchObject({
      amount_mismatch: 1,
      paid_at_wechatpay_not_here: 0,
    });
    expect(reconciliation.differences).toEqual([
      expect.objectContaining({
        kind: 'amount_mismatch',
        out_trade_no: altered,
        amount_here: orders[1]!.amount,
        amount_at_wechatpay: orders[1]!.amount + 50,
      }),
    ]);
    const text = await runCliCaptured(['bill', '--date', today(), '--reconcile', file], env);
    expect(text.code).toBe(1);
    expect(text.out).toContain('1 difference');
    expect(text.out).toContain(`${altered}: `);
  });

  it('exits 1 naming the line of a malformed order, and of an order out of order', async () => {
    const lines = jsonLines();
    lines[1] = JSON.stringify({ ...orders[1], amount: 12.5 });
    const malformed = await runCliCaptured(
      ['bill', '--date', today(), '--reconcile', ordersFile('malformed.jsonl', lines)],
      env,
    );
    expect(malformed).toMatchObject({ code: 1, out: '' });
    expect(malformed.err).toContain(
      'malformed.jsonl line 2: amount must be a whole, non-negative number of fen',
    );

    const notJson = await runCliCaptured(
      [
        'bill',
        '--date',
        today(),
        '--reconcile',
        ordersFile('not-json.jsonl', [lines[0]!, '{oops']),
      ],
      env,
    );
    expect(notJson.code).toBe(1);
    expect(notJson.err).toContain('not-json.jsonl line 2: not JSON');

    const unsorted = await runCliCaptured(
      [
        'bill',
        '--date',
        today(),
        '--reconcile',
        ordersFile('unsorted.jsonl', jsonLines().reverse()),
      ],
      env,
    );
    expect(unsorted.code).toBe(1);
    expect(unsorted.err).toMatch(/^error: .*order/);
  });

  it.each([
    [['--reconcile', 'missing.jsonl'], '--reconcile missing.jsonl cannot be read: ENOENT'],
    [['--reconcile', 'x.jsonl', '--fund-flow'], '--reconcile takes the whole trade bill'],
    [['--reconcile', 'x.jsonl', '--type', 'SUCCESS'], '--reconcile takes the whole trade bill'],
  ])('%j is a usage error, exit 2, before anything is downloaded', async (args, message) => {
    const before = simulator.requests.length;
    const { code, err } = await runCliCaptured(['bill', '--date', today(), ...args], env);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(simulator.requests.length).toBe(before);
  });

  it('--help documents the orders file and the exit codes', async () => {
    const { code, out } = await runCliCaptured(['bill', '--help'], env);
    expect(code).toBe(0);
    expect(out).toContain('--reconcile <file>');
    expect(out).toContain('Exit code 0: no differences; 1: differences');
  });
});
