import { WechatPayBillError } from '../../../errors.js';
import type { BillLayout } from './bill-layout.js';
import { BillReader } from './bill-reader.js';

/**
 * One row of a fund-flow bill (资金账单): one movement of the merchant's account. Amounts are in
 * fen, times are instants (the bill writes China time).
 * @see https://pay.weixin.qq.com/docs/merchant/products/bill-download/format-fundflow.html
 */
export interface FundFlowBillRow {
  /** 记账时间: when the account changed. */
  booking_time: Date;
  /** 微信支付业务单号, e.g. the transaction or refund id. */
  business_no: string;
  /** 资金流水单号. */
  flow_no: string;
  /** 业务名称: `交易`, `退款`, `分账`, `企业付款`… */
  business_name: string;
  /** 业务类型: `交易`, `扣除交易手续费`, `退款`… */
  business_type: string;
  /** 收支类型: `INCOME` (收入) or `EXPENSE` (支出). */
  direction: 'INCOME' | 'EXPENSE';
  /** 收支金额 in fen, always positive; `direction` gives the sign. */
  amount: number;
  /** 账户结余 in fen after this movement. */
  balance: number;
  /** 资金变更提交申请人, e.g. `system`. */
  applicant?: string;
  /** 备注. */
  remark?: string;
  /** 业务凭证号, usually the merchant's order or refund number. */
  voucher_no?: string;
}

/** The summary of a fund-flow bill; amounts in fen. */
export interface FundFlowBillSummary {
  /** 资金流水总笔数. */
  count: number;
  /** 收入笔数. */
  income_count: number;
  /** 收入金额. */
  income: number;
  /** 支出笔数. */
  expense_count: number;
  /** 支出金额. */
  expense: number;
}

const isIncome = (row: Record<string, unknown>) => row.direction === 'INCOME';
const isExpense = (row: Record<string, unknown>) => row.direction === 'EXPENSE';

const FUND_FLOW_BILL: BillLayout = {
  name: 'fund-flow bill',
  columns: [
    { field: 'booking_time', names: ['记账时间'], kind: 'time' },
    { field: 'business_no', names: ['微信支付业务单号'], kind: 'text' },
    { field: 'flow_no', names: ['资金流水单号'], kind: 'text' },
    { field: 'business_name', names: ['业务名称'], kind: 'text' },
    { field: 'business_type', names: ['业务类型'], kind: 'text' },
    { field: 'direction', names: ['收支类型'], kind: 'text' },
    { field: 'amount', names: ['收支金额(元)'], kind: 'fen' },
    { field: 'balance', names: ['账户结余(元)'], kind: 'fen' },
    { field: 'applicant', names: ['资金变更提交申请人'], kind: 'optionalText' },
    { field: 'remark', names: ['备注'], kind: 'optionalText' },
    { field: 'voucher_no', names: ['业务凭证号'], kind: 'optionalText' },
  ],
  summaryMarker: '资金流水总笔数',
  summary: [
    { field: 'count', names: ['资金流水总笔数'], kind: 'count' },
    {
      field: 'income_count',
      names: ['收入笔数'],
      kind: 'count',
      sums: { field: 'amount', where: isIncome },
    },
    {
      field: 'income',
      names: ['收入金额'],
      kind: 'fen',
      sums: { field: 'amount', where: isIncome },
    },
    {
      field: 'expense_count',
      names: ['支出笔数'],
      kind: 'count',
      sums: { field: 'amount', where: isExpense },
    },
    {
      field: 'expense',
      names: ['支出金额'],
      kind: 'fen',
      sums: { field: 'amount', where: isExpense },
    },
  ],
  finish: (row, where) => {
    const direction = DIRECTIONS[row.direction as string];
    if (!direction) throw new WechatPayBillError(`${where()}: 收支类型 is neither 收入 nor 支出`);
    row.direction = direction;
  },
};

const DIRECTIONS: Record<string, FundFlowBillRow['direction']> = {
  收入: 'INCOME',
  支出: 'EXPENSE',
};

/**
 * Reads a fund-flow bill (资金账单, API v3 `fundflowbill` or v2 `downloadfundflow`) as typed
 * rows, streamed in constant memory, with the summary's counts and amounts checked against
 * the rows at the end.
 * @throws WechatPayBillError from the loop: a malformed line, a truncated file, or a summary
 *   that differs from the rows
 * @see https://pay.weixin.qq.com/docs/merchant/products/bill-download/format-fundflow.html
 * @example
 * const bill = readFundFlowBill(await wechatPay.bills.download(info));
 * for await (const row of bill) if (row.direction === 'EXPENSE') console.log(row.amount);
 */
export function readFundFlowBill(
  source: AsyncIterable<Buffer | string>,
): BillReader<FundFlowBillRow, FundFlowBillSummary> {
  return new BillReader(source, FUND_FLOW_BILL);
}
