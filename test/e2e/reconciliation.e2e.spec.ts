import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatReconciliationReport,
  type ReconciliationOrder,
  type ReconciliationSource,
  type WechatPayOptions,
  type WechatPayService,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { bootWechatPay, NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** The merchant's own books, as a database would keep them, served in out_trade_no order. */
class Books implements ReconciliationSource {
  readonly orders_ = new Map<string, ReconciliationOrder>();

  record(order: ReconciliationOrder): void {
    this.orders_.set(order.out_trade_no, order);
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async *orders(): AsyncGenerator<ReconciliationOrder> {
    yield* [...this.orders_.values()].sort((a, b) => (a.out_trade_no < b.out_trade_no ? -1 : 1));
  }
}

const MODES: [string, Partial<WechatPayOptions>][] = [
  ['merchant', {}],
  ['partner', { mode: 'partner', subMchid: '1900000109', subAppid: 'wx8888888888888888' }],
];

// A simulator day of five paid orders (one partly refunded, one unpaid), reconciled through the
// public API; then the simulator is told to make the bill differ in three ways.
describe.each(MODES)('reconciliation of a simulator day (%s)', (_, mode) => {
  let simulator: WechatPaySimulator;
  let app: INestApplication;
  let wechatPay: WechatPayService;
  const books = new Books();
  const paid: string[] = [];

  beforeAll(async () => {
    simulator = await new WechatPaySimulator({ https: true }).start();
    ({ app, wechatPay } = await bootWechatPay(
      simulator.moduleOptions({ https: true, notifyUrl: NO_RECEIVER_NOTIFY_URL, ...mode }),
    ));
    for (let i = 0; i < 6; i++) {
      const out_trade_no = orderNo(`REC${i}`);
      const total = 1000 + i;
      await wechatPay.payments.prepayNative({
        description: '对账',
        out_trade_no,
        amount: { total },
      });
      if (i === 5) {
        books.record({ out_trade_no, amount: total, state: 'unpaid' });
        continue;
      }
      const { success_time } = simulator.pay(out_trade_no);
      paid.push(out_trade_no);
      books.record({
        out_trade_no,
        amount: total,
        state: 'paid',
        paid_at: new Date(success_time!),
      });
    }
    const refunded = paid[0]!;
    const refund = await wechatPay.refunds.create({
      out_trade_no: refunded,
      out_refund_no: `R${refunded}`.slice(0, 32),
      amount: { refund: 300, total: 1000, currency: 'CNY' },
    });
    books.record({
      ...books.orders_.get(refunded)!,
      state: 'refunded',
      refunds: [
        {
          out_refund_no: refund.out_refund_no,
          amount: 300,
          created_at: new Date(refund.create_time),
        },
      ],
    });
  });

  afterAll(async () => {
    await app?.close();
    await simulator?.stop();
  });

  it.each(['v3', 'v2'] as const)('%s: a day that matches has no differences', async (api) => {
    simulator.clearBillAlterations();
    const report = await wechatPay.reconciliation.reconcile(today(), books, { api });
    expect(report.differences).toEqual([]);
    expect(report.matched).toEqual({ payments: 5, refunds: 1 });
    expect(report.bill).toEqual({ payments: 5, paid: 5010, refunds: 1, refunded: 300 });
    expect(report.here).toEqual(report.bill);
  });

  it.each(['v3', 'v2'] as const)(
    '%s: three injected differences are found, and only those',
    async (api) => {
      simulator.clearBillAlterations();
      const extra = orderNo('RECX');
      simulator.alterBills(
        { kind: 'extraPayment', outTradeNo: extra, total: 4200 },
        { kind: 'missingPayment', outTradeNo: paid[1]! },
        { kind: 'amountOff', outTradeNo: paid[2]! },
      );
      const report = await wechatPay.reconciliation.reconcile(today(), books, { api });
      const found = report.differences.map((d) => ({ ...d, transaction_id: undefined }));
      expect(found).toEqual(
        [
          {
            kind: 'paid_at_wechatpay_not_here',
            out_trade_no: extra,
            transaction_id: undefined,
            amount: 4200,
          },
          {
            kind: 'paid_here_not_at_wechatpay',
            out_trade_no: paid[1],
            amount: 1001,
            state_here: 'paid',
          },
          {
            kind: 'amount_mismatch',
            out_trade_no: paid[2],
            transaction_id: undefined,
            amount_here: 1002,
            amount_at_wechatpay: 1003,
          },
        ].sort((a, b) => (a.out_trade_no! < b.out_trade_no! ? -1 : 1)),
      );
      expect(report.counts).toEqual({
        paid_at_wechatpay_not_here: 1,
        paid_here_not_at_wechatpay: 1,
        amount_mismatch: 1,
        refund_mismatch: 0,
      });
      expect(report.matched).toEqual({ payments: 3, refunds: 1 });
      const text = formatReconciliationReport(report);
      expect(text).toContain(`3 differences`);
      expect(text).toContain(`${extra}: WeChat Pay took 42.00 yuan`);
      // The JSON form survives a round trip unchanged.
      expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    },
  );

  it('reconcileYesterday reconciles the China-time day before `now` and hands the report to onReport', async () => {
    simulator.clearBillAlterations();
    const reports: unknown[] = [];
    const report = await wechatPay.reconciliation.reconcileYesterday(books, {
      now: new Date(Date.now() + 86_400_000),
      onReport: (r) => void reports.push(r),
    });
    expect(report.date).toBe(today());
    expect(report.matched.payments).toBe(5);
    expect(reports).toEqual([report]);
  });

  it('v3: a day without a bill (NO_STATEMENT_EXIST) reconciles as an empty bill', async () => {
    simulator.injectFault(
      {
        type: 'status',
        status: 400,
        code: 'NO_STATEMENT_EXIST',
        message: '请求的账单文件不存在',
      },
      { listener: 'any' },
    );
    const report = await wechatPay.reconciliation.reconcile(today(), books);
    expect(report.bill.payments).toBe(0);
    expect(report.counts.paid_here_not_at_wechatpay).toBe(5);
    expect(report.counts.refund_mismatch).toBe(1);
  });
});
