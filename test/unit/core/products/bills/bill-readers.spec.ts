import { Readable } from 'node:stream';
import { createGzip, createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  readFundFlowBill,
  readTradeBill,
  WechatPayBillError,
  type FundFlowBillRow,
  type TradeBillRow,
} from '../../../../../lib/index.js';

/** Feeds `text` in chunks of `size` bytes, cutting UTF-8 characters and `\r\n` in half. */
const chunked = (text: string, size: number) => {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
};

async function readAll<Row>(bill: AsyncIterable<Row>): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of bill) rows.push(row);
  return rows;
}

// The layouts and sample cells of the official format pages (交易账单 ALL, 资金账单).
const TRADE_ALL_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const TRADE_ALL_SUMMARY_HEADER =
  '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
const tick = (cells: string[]) => cells.map((c) => `\`${c}`).join(',');
const PAID = tick([
  '2015-01-01 10:00:00',
  'wxab8acb865bb11234',
  '1234567890',
  '0',
  'casher001',
  '4200000008201712143733500001',
  'outtradeno001',
  'testxt08c-XB5-QD208X1Aid0Cbs',
  'JSAPI',
  'SUCCESS',
  'CMB_DEBIT',
  'CNY',
  '88.88',
  '0.00',
  '0',
  '0',
  '0.00',
  '0.00',
  '',
  '',
  'T恤, 白色',
  'attach,with,commas',
  '0.53',
  '0.60%',
  '88.88',
  '0.00',
  '',
]);
const REFUNDED = tick([
  '2015-01-02 09:30:01',
  'wxab8acb865bb11234',
  '1234567890',
  '1900000109',
  '',
  '4200000008201712143733500001',
  'outtradeno001',
  'testxt08c-XB5-QD208X1Aid0Cbs',
  'JSAPI',
  'REFUND',
  'CMB_DEBIT',
  'CNY',
  '0.00',
  '0.00',
  '50000305742018020103387128253',
  'refund001',
  '10.01',
  '0.00',
  'ORIGINAL',
  'SUCCESS',
  'T恤, 白色',
  '',
  '-0.06',
  '0.60%',
  '0.00',
  '10.01',
  '',
]);
const tradeAll = (summary: string[]) =>
  [TRADE_ALL_HEADER, PAID, REFUNDED, TRADE_ALL_SUMMARY_HEADER, tick(summary)].join('\r\n') + '\r\n';
const CONSISTENT = ['2', '88.88', '10.01', '0.00', '0.47', '88.88', '10.01'];

describe('readTradeBill', () => {
  it('reads an ALL bill into typed rows: fen, instants in China time, backticks and "0" sub-merchant removed, commas inside cells kept', async () => {
    const bill = readTradeBill(chunked(tradeAll(CONSISTENT), 7));
    const rows = await readAll(bill);
    expect(rows).toHaveLength(2);
    const [paid, refund] = rows as [TradeBillRow, TradeBillRow];
    expect(paid).toMatchObject({
      trade_time: new Date('2015-01-01T02:00:00.000Z'),
      appid: 'wxab8acb865bb11234',
      mchid: '1234567890',
      sub_mchid: undefined,
      device_info: 'casher001',
      transaction_id: '4200000008201712143733500001',
      out_trade_no: 'outtradeno001',
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      settlement_total: 8888,
      coupon_amount: 0,
      refund_id: undefined,
      out_refund_no: undefined,
      refund: 0,
      description: 'T恤, 白色',
      attach: 'attach,with,commas',
      fee: 53,
      fee_rate: '0.60%',
      total: 8888,
      fee_rate_note: undefined,
    });
    expect(refund).toMatchObject({
      sub_mchid: '1900000109',
      device_info: undefined,
      trade_state: 'REFUND',
      refund_id: '50000305742018020103387128253',
      out_refund_no: 'refund001',
      refund: 1001,
      refund_type: 'ORIGINAL',
      refund_status: 'SUCCESS',
      fee: -6,
      requested_refund: 1001,
    });
    expect(bill.summary).toEqual({
      count: 2,
      settlement_total: 8888,
      refund: 1001,
      recharge_coupon_refund: 0,
      fee: 47,
      total: 8888,
      requested_refund: 1001,
    });
  });

  it('refuses a summary that differs from the rows, naming every figure that differs (one fen off is enough)', async () => {
    const error = await readAll(
      readTradeBill(
        chunked(tradeAll(['3', '88.89', '10.01', '0.00', '0.47', '88.88', '10.01']), 64),
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayBillError);
    expect((error as Error).message).toMatch(/总交易单数 is 3 but the rows add up to 2/);
    expect((error as Error).message).toMatch(
      /应结订单总金额 is 88\.89 yuan but the rows add up to 88\.88 yuan/,
    );
    expect((error as WechatPayBillError).retrySafe).toBe(true);
  });

  it('refuses a bill that ends before its summary (truncated)', async () => {
    const truncated = [TRADE_ALL_HEADER, PAID, REFUNDED].join('\r\n');
    await expect(readAll(readTradeBill(chunked(truncated, 100)))).rejects.toThrow(
      /ends without its summary.*truncated/,
    );
  });

  it('refuses a file that is not a trade bill, and an amount that is not one', async () => {
    await expect(readAll(readTradeBill(Readable.from(['a,b,c\n`1,`2,`3\n'])))).rejects.toThrow(
      /not a trade bill, its header lacks 交易时间/,
    );
    const bad = tradeAll(CONSISTENT).replace('`88.88,`0.00,`0,', '`88.8x,`0.00,`0,');
    await expect(readAll(readTradeBill(Readable.from([bad])))).rejects.toThrow(
      /trade bill, line 2: "88\.8x" is not an amount in yuan/,
    );
  });

  it('reads a SUCCESS bill (no refund columns) and an early-format v2 bill (总金额, 代金券或立减优惠金额)', async () => {
    const success = [
      '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注',
      tick([
        '2024-06-08 23:59:59',
        'wx1',
        '1900000109',
        '0',
        '',
        '4200',
        'o1',
        'oid',
        'NATIVE',
        'SUCCESS',
        'OTHERS',
        'CNY',
        '0.01',
        '0.00',
        '商品',
        '',
        '0.00',
        '0.60%',
        '0.01',
        '',
      ]),
      '总交易单数,应结订单总金额,手续费总金额,订单总金额',
      tick(['1', '0.01', '0.00', '0.01']),
    ].join('\n');
    const bill = readTradeBill(Readable.from([success]));
    const [row] = await readAll(bill);
    expect(row).toMatchObject({
      trade_time: new Date('2024-06-08T15:59:59Z'),
      settlement_total: 1,
    });
    expect(row!.refund).toBeUndefined();
    expect(bill.summary).toEqual({ count: 1, settlement_total: 1, fee: 0, total: 1 });

    const early = [
      '交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,总金额,代金券或立减优惠金额,微信退款单号,商户退款单号,退款金额,代金券或立减优惠退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率',
      tick([
        '2014-11-10 16:33:45',
        'wx2421b1c4370ec43b',
        '10000100',
        '0',
        '1000',
        '1001690740201411100005734289',
        '1415640626',
        '085e9858e3ba5186aafcbaed1',
        'MICROPAY',
        'SUCCESS',
        'OTHERS',
        'CNY',
        '0.01',
        '0.0',
        '0',
        '0',
        '0',
        '0',
        '',
        '',
        '被扫支付测试',
        '订单额外描述',
        '0',
        '0.60%',
      ]),
      '总交易单数,总交易额,总退款金额,总代金券或立减优惠退款金额,手续费总金额',
      tick(['1', '0.01', '0.0', '0.0', '0']),
    ].join('\r\n');
    const old = readTradeBill(Readable.from([early]));
    expect(await readAll(old)).toMatchObject([
      { settlement_total: 1, coupon_amount: 0, trade_type: 'MICROPAY' },
    ]);
    expect(old.summary).toMatchObject({ count: 1, settlement_total: 1, refund: 0 });
  });

  it('refuses a file whose line never ends instead of holding it whole', async () => {
    const endless = Readable.from(
      (function* () {
        yield `${TRADE_ALL_HEADER}\n`;
        for (let i = 0; i < 100; i++) yield '`x'.repeat(1000);
      })(),
    );
    await expect(readAll(readTradeBill(endless))).rejects.toThrow(/longer than 65536 characters/);
  });

  it('reads a gzip bill streamed through gunzip, and may be iterated only once', async () => {
    const gz: Buffer[] = [];
    await pipeline(
      Readable.from([tradeAll(CONSISTENT)]),
      createGzip(),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) gz.push(chunk);
      },
    );
    const bill = readTradeBill(Readable.from(gz).pipe(createGunzip()));
    expect(await readAll(bill)).toHaveLength(2);
    await expect(readAll(bill)).rejects.toThrow(/read only once/);
  });
});

describe('readFundFlowBill', () => {
  const HEADER =
    '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号';
  // The official sample row.
  const SAMPLE =
    '`2018-02-01 04:21:23,`50000305742018020103387128253,`1900009231201802015884652186,`退款,`退款,`支出,`0.02,`0.17,`system,`缺货,`REF4200000068201801293084726067';
  const INCOME = tick([
    '2018-02-01 03:00:00',
    '4200000068201801293084726067',
    '1900009231201802015884652100',
    '交易',
    '交易',
    '收入',
    '0.19',
    '0.19',
    'system',
    '',
    'ORDER1',
  ]);

  it('reads rows with direction, fen and the full-width (元) headers, and checks the summary (counts written as 2.0)', async () => {
    const text = [
      HEADER,
      INCOME,
      SAMPLE,
      '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额',
      '`2.0,`1.0,`0.19,`1.0,`0.02',
    ].join('\r\n');
    const bill = readFundFlowBill(chunked(text, 5));
    const rows = await readAll(bill);
    expect(rows[1]).toEqual<FundFlowBillRow>({
      booking_time: new Date('2018-01-31T20:21:23Z'),
      business_no: '50000305742018020103387128253',
      flow_no: '1900009231201802015884652186',
      business_name: '退款',
      business_type: '退款',
      direction: 'EXPENSE',
      amount: 2,
      balance: 17,
      applicant: 'system',
      remark: '缺货',
      voucher_no: 'REF4200000068201801293084726067',
    });
    expect(bill.summary).toEqual({
      count: 2,
      income_count: 1,
      income: 19,
      expense_count: 1,
      expense: 2,
    });
  });

  it("refuses the official sample's summary, which does not describe its single row", async () => {
    const text = [
      HEADER,
      SAMPLE,
      '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额',
      '`20.0,`17.0,`0.35,`3.0,`0.18',
    ].join('\n');
    await expect(readAll(readFundFlowBill(Readable.from([text])))).rejects.toThrow(
      /资金流水总笔数 is 20 but the rows add up to 1.*收入笔数 is 17 but the rows add up to 0/,
    );
  });
});

describe('bill amounts', () => {
  const where = () => 'test';
  it('reads yuan as exact fen and refuses anything else', async () => {
    const { fenOf } = await import('../../../../../lib/core/products/bills/parsing/bill-cells.js');
    expect(
      ['12.34', '-0.01', '0', '0.0', '7', '1.5', '999999.99'].map((c) => fenOf(c, where)),
    ).toEqual([1234, -1, 0, 0, 700, 150, 99999999]);
    for (const bad of ['', '-', '1.234', '.5', '1.', '1,00', ' 1', '1e3', '--1']) {
      expect(() => fenOf(bad, where), bad).toThrow(/is not an amount in yuan/);
    }
  });
});
