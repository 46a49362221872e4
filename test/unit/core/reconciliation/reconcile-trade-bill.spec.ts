import { readdir } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatReconciliationReport,
  reconcileTradeBill,
  WechatPayBillError,
  WechatPayError,
  WechatPayValidationError,
  type ReconciliationOrder,
  type ReconciliationSource,
} from '../../../../lib/index.js';
import { type TestBillRow, tradeBillText } from './bill-text.js';

const DATE = '2026-06-08';
const bill = (rows: readonly TestBillRow[]) => Readable.from([tradeBillText(rows)]);
const source = (orders: readonly ReconciliationOrder[]): ReconciliationSource => ({
  // eslint-disable-next-line @typescript-eslint/require-await
  async *orders() {
    yield* orders;
  },
});
/** 2026-06-08 12:00 and 2026-06-07 12:00, China time. */
const ON_DAY = new Date('2026-06-08T04:00:00Z');
const DAY_BEFORE = new Date('2026-06-07T04:00:00Z');

describe('reconcileTradeBill: the matcher', () => {
  it('an empty day on both sides has no differences', async () => {
    const report = await reconcileTradeBill(bill([]), DATE, source([]));
    expect(report).toEqual({
      date: DATE,
      api: 'v3',
      bill: { payments: 0, paid: 0, refunds: 0, refunded: 0 },
      here: { payments: 0, paid: 0, refunds: 0, refunded: 0 },
      matched: { payments: 0, refunds: 0 },
      counts: {
        paid_at_wechatpay_not_here: 0,
        paid_here_not_at_wechatpay: 0,
        amount_mismatch: 0,
        refund_mismatch: 0,
      },
      differences: [],
      truncated: false,
    });
    expect(formatReconciliationReport(report)).toContain('no differences');
  });

  it('matching payments, full and partial refunds: no differences, totals on both sides', async () => {
    const report = await reconcileTradeBill(
      bill([
        { out_trade_no: 'B', total: 500 },
        { out_trade_no: 'A', total: 1999 },
        { out_trade_no: 'A', out_refund_no: 'RA1', refund: 500 },
        { out_trade_no: 'A', out_refund_no: 'RA2', refund: 499 },
        { out_trade_no: 'C', out_refund_no: 'RC', refund: 300 },
      ]),
      DATE,
      source([
        {
          out_trade_no: 'A',
          amount: 1999,
          state: 'refunded',
          paid_at: ON_DAY,
          refunds: [
            { out_refund_no: 'RA1', amount: 500 },
            { out_refund_no: 'RA2', amount: 499, created_at: ON_DAY },
          ],
        },
        { out_trade_no: 'B', amount: 500, state: 'paid' },
        // Paid the day before, refunded in full today: only the refund is in today's bill.
        {
          out_trade_no: 'C',
          amount: 300,
          state: 'refunded',
          paid_at: DAY_BEFORE,
          refunds: [{ out_refund_no: 'RC', amount: 300, created_at: ON_DAY }],
        },
      ]),
    );
    expect(report.differences).toEqual([]);
    expect(report.matched).toEqual({ payments: 2, refunds: 3 });
    expect(report.bill).toEqual({ payments: 2, paid: 2499, refunds: 3, refunded: 1299 });
    expect(report.here).toEqual(report.bill);
  });

  it('finds every kind of difference, in out_trade_no order', async () => {
    const report = await reconcileTradeBill(
      bill([
        { out_trade_no: 'EXTRA', total: 100 },
        { out_trade_no: 'UNPAID', total: 200 },
        { out_trade_no: 'AMOUNT', total: 301 },
        { out_trade_no: 'REF', total: 1000 },
        { out_trade_no: 'REF', out_refund_no: 'R-THERE', refund: 100 },
        { out_trade_no: 'REF', out_refund_no: 'R-AMOUNT', refund: 201 },
      ]),
      DATE,
      source([
        { out_trade_no: 'AMOUNT', amount: 300, state: 'paid' },
        { out_trade_no: 'MISSING', amount: 400, state: 'paid', paid_at: ON_DAY },
        {
          out_trade_no: 'REF',
          amount: 1000,
          state: 'refunded',
          refunds: [
            { out_refund_no: 'R-AMOUNT', amount: 200 },
            { out_refund_no: 'R-HERE', amount: 50 },
            // Created yesterday: yesterday's bill lists it, not today's.
            { out_refund_no: 'R-YESTERDAY', amount: 60, created_at: DAY_BEFORE },
          ],
        },
        { out_trade_no: 'UNPAID', amount: 200, state: 'closed' },
      ]),
    );
    expect(report.differences).toEqual([
      {
        kind: 'amount_mismatch',
        out_trade_no: 'AMOUNT',
        transaction_id: expect.any(String),
        amount_here: 300,
        amount_at_wechatpay: 301,
      },
      {
        kind: 'paid_at_wechatpay_not_here',
        out_trade_no: 'EXTRA',
        transaction_id: expect.any(String),
        amount: 100,
      },
      {
        kind: 'paid_here_not_at_wechatpay',
        out_trade_no: 'MISSING',
        amount: 400,
        state_here: 'paid',
      },
      {
        kind: 'refund_mismatch',
        reason: 'amount',
        out_trade_no: 'REF',
        out_refund_no: 'R-AMOUNT',
        refund_id: expect.any(String),
        amount_here: 200,
        amount_at_wechatpay: 201,
      },
      {
        kind: 'refund_mismatch',
        reason: 'not_here',
        out_trade_no: 'REF',
        out_refund_no: 'R-THERE',
        refund_id: expect.any(String),
        amount_at_wechatpay: 100,
      },
      {
        kind: 'refund_mismatch',
        reason: 'not_at_wechatpay',
        out_trade_no: 'REF',
        out_refund_no: 'R-HERE',
        amount_here: 50,
      },
      {
        kind: 'paid_at_wechatpay_not_here',
        out_trade_no: 'UNPAID',
        transaction_id: expect.any(String),
        amount: 200,
        state_here: 'closed',
      },
    ]);
    expect(report.counts).toEqual({
      paid_at_wechatpay_not_here: 2,
      paid_here_not_at_wechatpay: 1,
      amount_mismatch: 1,
      refund_mismatch: 3,
    });
    expect(report.matched).toEqual({ payments: 1, refunds: 0 });
    const text = formatReconciliationReport(report);
    expect(text).toContain('7 differences');
    expect(text).toContain('EXTRA: WeChat Pay took 1.00 yuan');
    expect(text).toContain('AMOUNT: 3.00 yuan here, 3.01 yuan at WeChat Pay');
    expect(text.split('\n').length).toBeLessThanOrEqual(24);
  });

  it('an order paid on another day with no refund today is not a difference; a reversed payment is not a payment', async () => {
    const report = await reconcileTradeBill(
      bill([{ out_trade_no: 'MICRO', total: 100, state: 'REVOKED' }]),
      DATE,
      source([
        { out_trade_no: 'EARLIER', amount: 100, state: 'paid', paid_at: DAY_BEFORE },
        { out_trade_no: 'MICRO', amount: 100, state: 'closed' },
        { out_trade_no: 'OPEN', amount: 100, state: 'unpaid' },
      ]),
    );
    expect(report.differences).toEqual([]);
  });

  it('keeps maxDifferences in the report, counts all, and hands every one to onDifference', async () => {
    const seen: string[] = [];
    const report = await reconcileTradeBill(
      bill(['A', 'B', 'C'].map((out_trade_no) => ({ out_trade_no, total: 1 }))),
      DATE,
      source([]),
      { maxDifferences: 2, onDifference: (d) => void seen.push(d.out_trade_no) },
    );
    expect(report.differences.map((d) => d.out_trade_no)).toEqual(['A', 'B']);
    expect(report.counts.paid_at_wechatpay_not_here).toBe(3);
    expect(report.truncated).toBe(true);
    expect(seen).toEqual(['A', 'B', 'C']);
    expect(formatReconciliationReport(report)).toContain('… and 1 more');
  });
});

describe('reconcileTradeBill: refusals', () => {
  it('refuses orders out of out_trade_no order, or twice, instead of answering wrongly', async () => {
    const paid = (out_trade_no: string) => ({ out_trade_no, amount: 1, state: 'paid' as const });
    await expect(
      reconcileTradeBill(bill([]), DATE, source([paid('B'), paid('A')])),
    ).rejects.toThrow(/order A comes after B.*COLLATE "C"/);
    await expect(
      reconcileTradeBill(bill([]), DATE, source([paid('A'), paid('A')])),
    ).rejects.toThrow(/order A comes twice/);
    // Lower case sorts after upper case by code point, as in `COLLATE "C"`.
    const ok = await reconcileTradeBill(bill([]), DATE, source([paid('Z'), paid('a')]));
    expect(ok.counts.paid_here_not_at_wechatpay).toBe(2);
  });

  it('refuses malformed orders with what to fix', async () => {
    const bad = { out_trade_no: 'A', amount: 1.5, state: 'PAID' } as unknown as ReconciliationOrder;
    const error = await reconcileTradeBill(bill([]), DATE, source([bad])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayError);
    expect((error as Error).message).toMatch(
      /amount must be a whole number of fen.*state must be one of/,
    );
  });

  it('refuses a date that is not YYYY-MM-DD before reading anything', async () => {
    await expect(reconcileTradeBill(bill([]), '20260608', source([]))).rejects.toThrow(
      WechatPayValidationError,
    );
  });

  it('a bill whose summary does not add up fails before any order is compared', async () => {
    const text = tradeBillText([{ out_trade_no: 'A', total: 100 }]).replace(
      '`1.00,`0.00,`0.00,`0.00,`1.00',
      '`1.01,`0.00,`0.00,`0.00,`1.00',
    );
    let asked = false;
    const error = await reconcileTradeBill(Readable.from([text]), DATE, {
      // eslint-disable-next-line @typescript-eslint/require-await, require-yield
      async *orders() {
        asked = true;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayBillError);
    expect(asked).toBe(false);
  });
});

describe('reconcileTradeBill: bounded memory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reconcile-spec-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sorts a bill larger than rowsInMemory through temporary runs, exactly, and removes them', async () => {
    // 2,000 payments in a scrambled order, with refunds, against orders in code-point order.
    const n = 2000;
    const key = (i: number) => `ORDER${String(i).padStart(5, '0')}`;
    const rows: TestBillRow[] = [];
    for (let j = 0; j < n; j++) {
      const i = (j * 7) % n;
      rows.push({ out_trade_no: key(i), total: 100 + i });
      if (i % 10 === 0) rows.push({ out_trade_no: key(i), out_refund_no: `R${i}`, refund: 10 });
    }
    const orders: ReconciliationOrder[] = [];
    for (let i = 0; i < n; i++) {
      orders.push({
        out_trade_no: key(i),
        // One fen off for order 1234.
        amount: 100 + i + (i === 1234 ? 1 : 0),
        state: i % 10 === 0 ? 'refunded' : 'paid',
        refunds: i % 10 === 0 ? [{ out_refund_no: `R${i}`, amount: 10 }] : [],
      });
    }
    let runsSeen = 0;
    const report = await reconcileTradeBill(
      bill(rows),
      DATE,
      {
        async *orders() {
          runsSeen = (await readdir(dir)).length;
          yield* orders;
        },
      },
      { rowsInMemory: 150, tempDir: dir },
    );
    expect(runsSeen).toBe(1);
    expect(report.differences).toEqual([
      expect.objectContaining({
        kind: 'amount_mismatch',
        out_trade_no: key(1234),
        amount_here: 1335,
      }),
    ]);
    expect(report.matched).toEqual({ payments: n - 1, refunds: n / 10 });
    expect(await readdir(dir)).toEqual([]);
  });
});
