import { WechatPayError } from '../errors.js';
import type { BillEntry } from './bill-entry.js';
import { chinaDateOf } from './daily-schedule.js';
import type {
  ReconciliationDifference,
  ReconciliationOrder,
  ReconciliationOrderState,
  ReconciliationReport,
  ReconciliationTotals,
} from './reconciliation.types.js';

/** How a {@link matchOrders} run reports. */
export interface MatchOptions {
  date: string;
  api: 'v3' | 'v2';
  maxDifferences: number;
  onDifference?: (difference: ReconciliationDifference) => void | Promise<void>;
}

const STATES: readonly ReconciliationOrderState[] = ['unpaid', 'paid', 'refunded', 'closed'];
/** Whether `time` falls on China day `date`; no time is taken to be that day. */
const onDay = (time: Date | undefined, date: string) =>
  time === undefined || chinaDateOf(time.getTime()) === date;
const isPaid = (state: ReconciliationOrderState | undefined) =>
  state === 'paid' || state === 'refunded';
const totals = (): ReconciliationTotals => ({ payments: 0, paid: 0, refunds: 0, refunded: 0 });

/**
 * Merge-joins the bill's entries and the merchant's orders, both in ascending `out_trade_no`
 * order, one `out_trade_no` at a time: memory holds one order and its bill entries, whatever
 * the size of the day.
 * @throws WechatPayError when the orders are not in ascending `out_trade_no` order, repeat a
 *   number, or are malformed
 */
export async function matchOrders(
  entries: AsyncIterable<BillEntry[]>,
  orders: AsyncIterable<ReconciliationOrder>,
  options: MatchOptions,
): Promise<ReconciliationReport> {
  const report: ReconciliationReport = {
    date: options.date,
    api: options.api,
    bill: totals(),
    here: totals(),
    matched: { payments: 0, refunds: 0 },
    counts: {
      paid_at_wechatpay_not_here: 0,
      paid_here_not_at_wechatpay: 0,
      amount_mismatch: 0,
      refund_mismatch: 0,
    },
    differences: [],
    truncated: false,
  };
  const record = async (difference: ReconciliationDifference) => {
    report.counts[difference.kind]++;
    if (report.differences.length < options.maxDifferences) report.differences.push(difference);
    else report.truncated = true;
    await options.onDifference?.(difference);
  };
  const bill = new EntryCursor(entries);
  const mine = new OrderCursor(orders);
  let entry = await bill.next();
  let order = await mine.next();
  while (entry || order) {
    const key =
      entry && (!order || entry.out_trade_no < order.out_trade_no)
        ? entry.out_trade_no
        : order!.out_trade_no;
    const group: BillEntry[] = [];
    while (entry && entry.out_trade_no === key) {
      group.push(entry);
      entry = await bill.next();
    }
    let here: ReconciliationOrder | undefined;
    if (order && order.out_trade_no === key) {
      here = order;
      order = await mine.next();
    }
    for (const difference of compare(key, group, here, options.date, report)) {
      await record(difference);
    }
  }
  return report;
}

/** The differences of one `out_trade_no`; counts what matched and adds up both sides. */
function compare(
  key: string,
  entries: BillEntry[],
  order: ReconciliationOrder | undefined,
  date: string,
  report: ReconciliationReport,
): ReconciliationDifference[] {
  const differences: ReconciliationDifference[] = [];
  const payments = entries.filter((e) => e.kind === 'payment');
  const paidThere = payments.reduce((sum, e) => sum + e.amount, 0);
  const paidHere = isPaid(order?.state);
  const paidHereToday = paidHere && onDay(order.paid_at, date);
  report.bill.payments += payments.length;
  report.bill.paid += paidThere;
  if (paidHereToday) {
    report.here.payments++;
    report.here.paid += order.amount;
  }
  if (payments.length > 0) {
    const transaction_id = payments[0]!.id;
    if (!paidHere) {
      differences.push({
        kind: 'paid_at_wechatpay_not_here',
        out_trade_no: key,
        transaction_id,
        amount: paidThere,
        ...(order ? { state_here: order.state } : {}),
      });
    } else if (paidThere !== order.amount) {
      differences.push({
        kind: 'amount_mismatch',
        out_trade_no: key,
        transaction_id,
        amount_here: order.amount,
        amount_at_wechatpay: paidThere,
      });
    } else report.matched.payments++;
  } else if (paidHereToday) {
    differences.push({
      kind: 'paid_here_not_at_wechatpay',
      out_trade_no: key,
      amount: order.amount,
      state_here: order.state,
    });
  }
  // A refund the bill lists matches the order's refund of that number whatever day this side
  // dated it; one this side dates today must be in today's bill.
  const refundsHere = new Map((order?.refunds ?? []).map((r) => [r.out_refund_no, r]));
  const refundsThere = entries.filter((e) => e.kind === 'refund');
  for (const refund of refundsHere.values()) {
    if (!onDay(refund.created_at, date)) continue;
    report.here.refunds++;
    report.here.refunded += refund.amount;
  }
  const listed = new Set<string>();
  for (const there of refundsThere.sort(byRefundNo)) {
    const out_refund_no = there.out_refund_no!;
    listed.add(out_refund_no);
    report.bill.refunds++;
    report.bill.refunded += there.amount;
    const here = refundsHere.get(out_refund_no);
    const common = { kind: 'refund_mismatch', out_trade_no: key, out_refund_no } as const;
    if (!here) {
      differences.push({
        ...common,
        reason: 'not_here',
        refund_id: there.id,
        amount_at_wechatpay: there.amount,
      });
    } else if (here.amount !== there.amount) {
      differences.push({
        ...common,
        reason: 'amount',
        refund_id: there.id,
        amount_here: here.amount,
        amount_at_wechatpay: there.amount,
      });
    } else report.matched.refunds++;
  }
  const missing = [...refundsHere.values()]
    .filter((r) => !listed.has(r.out_refund_no) && onDay(r.created_at, date))
    .sort((a, b) => (a.out_refund_no < b.out_refund_no ? -1 : 1));
  for (const refund of missing) {
    differences.push({
      kind: 'refund_mismatch',
      reason: 'not_at_wechatpay',
      out_trade_no: key,
      out_refund_no: refund.out_refund_no,
      amount_here: refund.amount,
    });
  }
  return differences;
}

const byRefundNo = (a: BillEntry, b: BillEntry) =>
  a.out_refund_no! < b.out_refund_no! ? -1 : a.out_refund_no! > b.out_refund_no! ? 1 : 0;

/** The bill's entries one at a time, awaiting once per batch. */
class EntryCursor {
  private batch: BillEntry[] = [];
  private index = 0;
  private readonly iterator: AsyncIterator<BillEntry[]>;

  constructor(entries: AsyncIterable<BillEntry[]>) {
    this.iterator = entries[Symbol.asyncIterator]();
  }

  async next(): Promise<BillEntry | undefined> {
    while (this.index >= this.batch.length) {
      const step = await this.iterator.next();
      if (step.done) return undefined;
      this.batch = step.value;
      this.index = 0;
    }
    return this.batch[this.index++];
  }
}

/** The merchant's orders one at a time, checked for shape and ascending order. */
class OrderCursor {
  private readonly iterator: AsyncIterator<ReconciliationOrder>;
  private previous?: string;
  private count = 0;

  constructor(orders: AsyncIterable<ReconciliationOrder>) {
    this.iterator = orders[Symbol.asyncIterator]();
  }

  async next(): Promise<ReconciliationOrder | undefined> {
    const step = await this.iterator.next();
    if (step.done) return undefined;
    const order = step.value;
    this.count++;
    checkOrder(order, this.count);
    const previous = this.previous;
    if (previous !== undefined && !(order.out_trade_no > previous)) {
      await this.iterator.return?.();
      throw new WechatPayError(
        order.out_trade_no === previous
          ? `reconciliation source: order ${order.out_trade_no} comes twice; yield each order once, with all its refunds`
          : `reconciliation source: order ${order.out_trade_no} comes after ${previous}; yield orders in ascending out_trade_no order by code point (SQL: ORDER BY out_trade_no COLLATE "C")`,
      );
    }
    this.previous = order.out_trade_no;
    return order;
  }
}

const isTime = (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime());
const fen = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

function checkOrder(order: ReconciliationOrder, position: number): void {
  const what = `reconciliation source: order #${position}`;
  const problems: string[] = [];
  if (typeof order?.out_trade_no !== 'string' || order.out_trade_no === '')
    problems.push('out_trade_no must be a non-empty string');
  if (!fen(order?.amount)) problems.push('amount must be a whole number of fen, 0 or more');
  if (!STATES.includes(order?.state)) problems.push(`state must be one of ${STATES.join(', ')}`);
  if (order?.paid_at !== undefined && !isTime(order.paid_at))
    problems.push('paid_at must be a valid Date');
  for (const refund of order?.refunds ?? []) {
    if (typeof refund?.out_refund_no !== 'string' || refund.out_refund_no === '')
      problems.push('every refund needs an out_refund_no');
    if (!fen(refund?.amount)) problems.push('every refund amount must be a whole number of fen');
    if (refund?.created_at !== undefined && !isTime(refund.created_at))
      problems.push('refund created_at must be a valid Date');
  }
  if (problems.length > 0) {
    const name =
      typeof order?.out_trade_no === 'string' ? ` (${order.out_trade_no.slice(0, 32)})` : '';
    throw new WechatPayError(`${what}${name}: ${problems.join('; ')}`);
  }
}
