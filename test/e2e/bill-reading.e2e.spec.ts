import { Readable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readFundFlowBill,
  readTradeBill,
  type TradeBillRow,
  type WechatPayService,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { bootWechatPay, NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

async function readAll<Row>(bill: AsyncIterable<Row>): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of bill) rows.push(row);
  return rows;
}

// A day of one merchant: two payments and one partial refund, downloaded as each bill type
// and read back into rows whose summaries the reader has checked.
describe('bills downloaded from the simulator read back into rows that add up', () => {
  let simulator: WechatPaySimulator;
  let app: INestApplication;
  let wechatPay: WechatPayService;
  const first = orderNo('BILLA');
  const second = orderNo('BILLB');
  const refundNo = `R${first}`.slice(0, 32);

  beforeAll(async () => {
    simulator = await new WechatPaySimulator({ https: true }).start();
    ({ app, wechatPay } = await bootWechatPay(
      simulator.moduleOptions({ https: true, notifyUrl: NO_RECEIVER_NOTIFY_URL }),
    ));
    for (const [outTradeNo, total] of [
      [first, 1999],
      [second, 1],
    ] as const) {
      await wechatPay.payments.prepayNative({
        description: '账单, 测试',
        out_trade_no: outTradeNo,
        amount: { total },
      });
      simulator.pay(outTradeNo);
    }
    await wechatPay.refunds.create({
      out_trade_no: first,
      out_refund_no: refundNo,
      amount: { refund: 500, total: 1999, currency: 'CNY' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await simulator?.stop();
  });

  it('v3 ALL, gzip: both payments and the refund, amounts in fen, summary checked', async () => {
    const info = await wechatPay.bills.tradeBill({
      bill_date: today(),
      bill_type: 'ALL',
      tar_type: 'GZIP',
    });
    const bill = readTradeBill(await wechatPay.bills.download(info, { gzip: true }));
    const rows = await readAll(bill);
    const byKey = (row: TradeBillRow) => row.out_refund_no ?? row.out_trade_no;
    expect(
      Object.fromEntries(
        rows.map((r) => [byKey(r), [r.trade_state, r.settlement_total, r.refund]]),
      ),
    ).toEqual({
      [first]: ['SUCCESS', 1999, 0],
      [second]: ['SUCCESS', 1, 0],
      [refundNo]: ['REFUND', 0, 500],
    });
    expect(
      rows.every((r) => r.mchid === simulator.merchant.mchid && r.sub_mchid === undefined),
    ).toBe(true);
    expect(rows[0]!.description).toBe('账单, 测试');
    expect(bill.summary).toMatchObject({
      count: 3,
      settlement_total: 2000,
      refund: 500,
      total: 2000,
    });
  });

  it('v3 SUCCESS and REFUND bills hold only their rows', async () => {
    const success = readTradeBill(
      await wechatPay.bills.download(
        await wechatPay.bills.tradeBill({ bill_date: today(), bill_type: 'SUCCESS' }),
      ),
    );
    expect((await readAll(success)).map((r) => r.out_trade_no).sort()).toEqual(
      [first, second].sort(),
    );
    const refund = readTradeBill(
      await wechatPay.bills.download(
        await wechatPay.bills.tradeBill({ bill_date: today(), bill_type: 'REFUND' }),
      ),
    );
    const [row] = await readAll(refund);
    expect(row).toMatchObject({
      out_refund_no: refundNo,
      refund: 500,
      refund_status: 'PROCESSING',
    });
    expect(row!.refund_apply_time).toBeInstanceOf(Date);
    expect(refund.summary).toMatchObject({ count: 1, refund: 500, requested_refund: 500 });
  });

  it('v3 fund-flow bill: income and expense with a running balance', async () => {
    const info = await wechatPay.bills.fundFlowBill({ bill_date: today() });
    const bill = readFundFlowBill(await wechatPay.bills.download(info));
    const rows = await readAll(bill);
    expect(rows.map((r) => [r.direction, r.amount])).toEqual([
      ['INCOME', 1999],
      ['INCOME', 1],
      ['EXPENSE', 500],
    ]);
    expect(rows.at(-1)!.balance).toBe(1500);
    expect(bill.summary).toEqual({
      count: 3,
      income_count: 2,
      income: 2000,
      expense_count: 1,
      expense: 500,
    });
  });

  it('v2 downloadbill and downloadfundflow text read the same way', async () => {
    const date = today().replace(/-/g, '');
    const trade = readTradeBill(
      Readable.from([await wechatPay.v2.bills.downloadTradeBill({ bill_date: date })]),
    );
    expect(await readAll(trade)).toHaveLength(3);
    expect(trade.summary?.settlement_total).toBe(2000);
    const fund = readFundFlowBill(
      Readable.from([
        await wechatPay.v2.bills.downloadFundFlowBill({ bill_date: date, account_type: 'Basic' }),
      ]),
    );
    expect(await readAll(fund)).toHaveLength(3);
  });
});
