import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readTradeBill, reconcileTradeBill, type ReconciliationOrder } from 'nestjs-wechatpay';
import { report } from './measure.js';

const ROWS = 1_000_000;
const HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';

/** Row `i` is the payment of order `scrambled(i)`: the bill is not in out_trade_no order. */
const scrambled = (i: number) => (i * 7919) % ROWS;
const orderNo = (k: number) => `ORDER${String(k).padStart(7, '0')}`;
const fenOf = (k: number) => 100 + (k % 9900);

/** A gzip ALL trade bill of `ROWS` payments, written as a stream (never whole in memory). */
function* billLines(): Generator<string> {
  yield `${HEADER}\r\n`;
  let batch = '';
  for (let i = 0; i < ROWS; i++) {
    const k = scrambled(i);
    const fen = fenOf(k);
    const yuan = (fen / 100).toFixed(2);
    batch += `\`2026-06-08 12:00:00,\`wx2421b1c4370ec43b,\`1900000109,\`0,\`,\`42000000${String(i).padStart(20, '0')},\`${orderNo(k)},\`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,\`NATIVE,\`SUCCESS,\`OTHERS,\`CNY,\`${yuan},\`0.00,\`0,\`0,\`0.00,\`0.00,\`,\`,\`商品 ${i % 100},\`,\`0.00,\`0.60%,\`${yuan},\`0.00,\`\r\n`;
    if (i % 1000 === 999) {
      yield batch;
      batch = '';
    }
  }
  yield batch;
}

let dir: string;
let file: string;
let total = 0;
beforeAll(async () => {
  for (let k = 0; k < ROWS; k++) total += fenOf(k);
  const yuan = (total / 100).toFixed(2);
  dir = await mkdtemp(join(tmpdir(), 'bill-bench-'));
  file = join(dir, 'trade-bill.csv.gz');
  function* withSummary() {
    yield* billLines();
    yield `总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n\`${ROWS},\`${yuan},\`0.00,\`0.00,\`0.00,\`${yuan},\`0.00\r\n`;
  }
  await pipeline(Readable.from(withSummary()), createGzip(), createWriteStream(file));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `work`, sampling RSS every 20 ms; @returns its time and the peak RSS growth in MiB. */
async function measured(work: () => Promise<number>) {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  const rows = await work();
  const ms = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { rows, ms, growthMiB: (peak - before) / 2 ** 20 };
}

/** The floor: gunzip and split into lines, nothing else. */
async function bareLines(): Promise<number> {
  let lines = 0;
  let rest = '';
  for await (const chunk of createReadStream(file).pipe(createGunzip()).setEncoding('utf8')) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop()!;
    lines += parts.length;
  }
  return lines;
}

async function typedRows(): Promise<number> {
  let rows = 0;
  let sum = 0;
  const bill = readTradeBill(createReadStream(file).pipe(createGunzip()));
  for await (const row of bill) {
    rows++;
    sum += row.settlement_total;
  }
  expect(sum).toBe(total);
  expect(bill.summary?.count).toBe(ROWS);
  return rows;
}

it('reads a 1,000,000-row gzip trade bill in bounded memory, summary checked', async () => {
  const { size } = await stat(file);
  const ratios: number[] = [];
  let ours = { rows: 0, ms: 0, growthMiB: 0 };
  // Side by side, alternating which goes first; the median pair is reported.
  for (let pair = 0; pair < 3; pair++) {
    const first = pair % 2 === 0;
    const a = first ? await measured(bareLines) : await measured(typedRows);
    const b = first ? await measured(typedRows) : await measured(bareLines);
    const [bare, typed] = first ? [a, b] : [b, a];
    ratios.push(bare.ms / typed.ms);
    if (typed.growthMiB > ours.growthMiB) ours = typed;
    else if (ours.rows === 0) ours = typed;
    expect(typed.rows).toBe(ROWS);
  }
  ratios.sort((x, y) => x - y);
  const ratio = ratios[1]!;
  report('bill-read-1m-rows', {
    gzipMiB: size / 2 ** 20,
    rowsPerSecond: Math.round(ROWS / (ours.ms / 1000)),
    peakRssGrowthMiB: ours.growthMiB,
    ratioToGunzipAndSplit: ratio,
  });
  // Constant memory: a million rows of ~280 bytes would be ~300 MiB held whole.
  expect(ours.growthMiB).toBeLessThan(64);
});

/**
 * The merchant's side: every order of the bill in out_trade_no order, with three differences:
 * one amount off by a fen, one unpaid here, and one paid here that the bill lacks.
 */
async function* myOrders(): AsyncGenerator<ReconciliationOrder> {
  for (let k = 0; k < ROWS; k++) {
    const amount = fenOf(k) + (k === 123_456 ? 1 : 0);
    yield { out_trade_no: orderNo(k), amount, state: k === 654_321 ? 'unpaid' : 'paid' };
    // Batches of orders arrive from a database cursor: one await per batch, not per order.
    if (k % 1000 === 999) await Promise.resolve();
  }
  yield { out_trade_no: 'ORDERZ', amount: 1, state: 'paid' };
}

async function reconciled(): Promise<number> {
  const report = await reconcileTradeBill(
    createReadStream(file).pipe(createGunzip()),
    '2026-06-08',
    { orders: myOrders },
  );
  expect(report.counts).toEqual({
    paid_at_wechatpay_not_here: 1,
    paid_here_not_at_wechatpay: 1,
    amount_mismatch: 1,
    refund_mismatch: 0,
  });
  expect(report.matched.payments).toBe(ROWS - 2);
  return report.bill.payments;
}

it('parses and reconciles a 1,000,000-row gzip trade bill in bounded memory', async () => {
  const ratios: number[] = [];
  const times: number[] = [];
  let growthMiB = 0;
  for (let pair = 0; pair < 3; pair++) {
    const first = pair % 2 === 0;
    const a = first ? await measured(bareLines) : await measured(reconciled);
    const b = first ? await measured(reconciled) : await measured(bareLines);
    const [bare, full] = first ? [a, b] : [b, a];
    ratios.push(bare.ms / full.ms);
    times.push(full.ms);
    growthMiB = Math.max(growthMiB, full.growthMiB);
    expect(full.rows).toBe(ROWS);
  }
  ratios.sort((x, y) => x - y);
  times.sort((x, y) => x - y);
  report('bill-reconcile-1m-rows', {
    rowsPerSecond: Math.round(ROWS / (times[1]! / 1000)),
    peakRssGrowthMiB: growthMiB,
    ratioToGunzipAndSplit: ratios[1]!,
  });
  // Bounded: 100,000 rows sorted in memory at a time, the rest in temporary runs.
  expect(growthMiB).toBeLessThan(160);
});
