import type { BillLayout } from './bill-layout.js';
import { BillReader } from './bill-reader.js';

/**
 * One row of a trade bill (交易账单): a payment, or a refund (`refund_id` set) in `ALL` and
 * `REFUND` bills. Amounts are in fen, times are instants (the bill writes China time). Fields
 * absent from the bill's type (`refund*` in a `SUCCESS` bill) are `undefined`.
 * @see https://pay.weixin.qq.com/docs/merchant/products/bill-download/format-trade.html
 */
export interface TradeBillRow {
  /** 交易时间: when it was paid, or when the refund was requested (not when it succeeded). */
  trade_time: Date;
  /** 公众账号ID the order was placed with. */
  appid: string;
  /** 商户号. */
  mchid: string;
  /** 特约商户号 in partner mode (the bill's `0` for an ordinary merchant becomes `undefined`). */
  sub_mchid?: string;
  /** 设备号. */
  device_info?: string;
  /** 微信订单号. */
  transaction_id: string;
  /** 商户订单号. */
  out_trade_no: string;
  /** 用户标识: the payer's openid. A payer identifier: keep it out of logs. */
  openid?: string;
  /** 交易类型: `JSAPI`, `NATIVE`, `APP`, `MWEB`, `MICROPAY`, `FACEPAY`… */
  trade_type: string;
  /** 交易状态: `SUCCESS`, `REFUND`, `REVOKED`. */
  trade_state: string;
  /** 付款银行. */
  bank_type: string;
  /** 货币种类, e.g. `CNY`. */
  currency: string;
  /** 应结订单金额 in fen (`总金额` in early bill formats); 0 on refund rows. */
  settlement_total: number;
  /** 代金券金额 in fen (`企业红包金额` in early formats). */
  coupon_amount: number;
  /** 微信退款单号 (refund rows; the bill's `0` on payment rows becomes `undefined`). */
  refund_id?: string;
  /** 商户退款单号 (refund rows). */
  out_refund_no?: string;
  /** 退款金额 in fen (refund rows). */
  refund?: number;
  /** 充值券退款金额 in fen. */
  recharge_coupon_refund?: number;
  /** 退款类型: `ORIGINAL`, `BALANCE`… */
  refund_type?: string;
  /** 退款状态 when the bill was made; query the refund for its current status. */
  refund_status?: string;
  /** 退款申请时间 (`REFUND` bills). */
  refund_apply_time?: Date;
  /** 退款成功时间 (`REFUND` bills). */
  refund_success_time?: Date;
  /** 商品名称. */
  description: string;
  /** 商户数据包. */
  attach?: string;
  /** 手续费 in fen; negative on refund rows (the fee given back). */
  fee: number;
  /** 费率, e.g. `0.60%`. */
  fee_rate: string;
  /** 订单金额 in fen. */
  total?: number;
  /** 申请退款金额 in fen. */
  requested_refund?: number;
  /** 费率备注. */
  fee_rate_note?: string;
}

/** The summary of a trade bill, in fen; figures the bill's type lacks are `undefined`. */
export interface TradeBillSummary {
  /** 总交易单数: the number of rows. */
  count: number;
  /** 应结订单总金额. */
  settlement_total: number;
  /** 退款总金额. */
  refund?: number;
  /** 充值券退款总金额. */
  recharge_coupon_refund?: number;
  /** 手续费总金额. */
  fee: number;
  /** 订单总金额. */
  total?: number;
  /** 申请退款总金额. */
  requested_refund?: number;
}

const ZERO_MEANS_NONE = ['sub_mchid', 'refund_id', 'out_refund_no'] as const;

const TRADE_BILL: BillLayout = {
  name: 'trade bill',
  columns: [
    { field: 'trade_time', names: ['交易时间'], kind: 'time' },
    { field: 'appid', names: ['公众账号ID'], kind: 'text' },
    { field: 'mchid', names: ['商户号'], kind: 'text' },
    { field: 'sub_mchid', names: ['特约商户号', '子商户号'], kind: 'optionalText' },
    { field: 'device_info', names: ['设备号'], kind: 'optionalText' },
    { field: 'transaction_id', names: ['微信订单号'], kind: 'text' },
    { field: 'out_trade_no', names: ['商户订单号'], kind: 'text' },
    { field: 'openid', names: ['用户标识'], kind: 'optionalText' },
    { field: 'trade_type', names: ['交易类型'], kind: 'text' },
    { field: 'trade_state', names: ['交易状态'], kind: 'text' },
    { field: 'bank_type', names: ['付款银行'], kind: 'text' },
    { field: 'currency', names: ['货币种类'], kind: 'text' },
    { field: 'settlement_total', names: ['应结订单金额', '总金额'], kind: 'fen' },
    {
      field: 'coupon_amount',
      names: ['代金券金额', '企业红包金额', '代金券或立减优惠金额'],
      kind: 'fen',
    },
    { field: 'refund_apply_time', names: ['退款申请时间'], kind: 'optionalTime' },
    { field: 'refund_success_time', names: ['退款成功时间'], kind: 'optionalTime' },
    { field: 'refund_id', names: ['微信退款单号'], kind: 'optionalText' },
    { field: 'out_refund_no', names: ['商户退款单号'], kind: 'optionalText' },
    { field: 'refund', names: ['退款金额'], kind: 'optionalFen' },
    {
      field: 'recharge_coupon_refund',
      names: ['充值券退款金额', '企业红包退款金额', '代金券或立减优惠退款金额'],
      kind: 'optionalFen',
    },
    { field: 'refund_type', names: ['退款类型'], kind: 'optionalText' },
    { field: 'refund_status', names: ['退款状态'], kind: 'optionalText' },
    { field: 'description', names: ['商品名称'], kind: 'text' },
    { field: 'attach', names: ['商户数据包'], kind: 'optionalText' },
    { field: 'fee', names: ['手续费'], kind: 'fen' },
    { field: 'fee_rate', names: ['费率'], kind: 'text' },
    { field: 'total', names: ['订单金额'], kind: 'optionalFen' },
    { field: 'requested_refund', names: ['申请退款金额'], kind: 'optionalFen' },
    { field: 'fee_rate_note', names: ['费率备注'], kind: 'optionalText' },
  ],
  summaryMarker: '总交易单数',
  summary: [
    { field: 'count', names: ['总交易单数'], kind: 'count' },
    {
      field: 'settlement_total',
      names: ['应结订单总金额', '总交易额'],
      kind: 'fen',
      sums: { field: 'settlement_total' },
    },
    {
      field: 'refund',
      names: ['退款总金额', '总退款金额'],
      kind: 'fen',
      sums: { field: 'refund' },
    },
    {
      field: 'recharge_coupon_refund',
      names: ['充值券退款总金额', '企业红包退款总金额', '总代金券或立减优惠退款金额'],
      kind: 'fen',
      sums: { field: 'recharge_coupon_refund' },
    },
    { field: 'fee', names: ['手续费总金额'], kind: 'fen', sums: { field: 'fee' } },
    { field: 'total', names: ['订单总金额'], kind: 'fen', sums: { field: 'total' } },
    {
      field: 'requested_refund',
      names: ['申请退款总金额'],
      kind: 'fen',
      sums: { field: 'requested_refund' },
    },
  ],
  finish: (row) => {
    // The bill writes 0 for "none": no sub-merchant (ordinary merchant), no refund (a payment).
    for (const field of ZERO_MEANS_NONE) if (row[field] === '0') row[field] = undefined;
  },
};

/**
 * Reads a trade bill (交易账单, API v3 `tradebill` or v2 `downloadbill`; `ALL`, `SUCCESS` or
 * `REFUND`) as typed rows, streamed in constant memory, with the summary checked against the
 * rows at the end. Pass the downloaded text stream (already gunzipped and hash-checked by
 * `wechatPay.bills.download`).
 * @throws WechatPayBillError from the loop: a malformed line, a truncated file, or a summary
 *   that differs from the rows
 * @see https://pay.weixin.qq.com/docs/merchant/products/bill-download/format-trade.html
 * @example
 * const bill = readTradeBill(await wechatPay.bills.download(info, { gzip: true }));
 * for await (const row of bill) await compareWithMyOrder(row);
 * console.log(bill.summary?.count);
 */
export function readTradeBill(
  source: AsyncIterable<Buffer | string>,
): BillReader<TradeBillRow, TradeBillSummary> {
  return new BillReader(source, TRADE_BILL);
}
