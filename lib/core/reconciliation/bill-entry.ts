import { WechatPayBillError } from '../errors.js';
import type { TradeBillRow } from '../products/bills/parsing/trade-bill.js';

/** What reconciliation keeps of one trade-bill row: a payment or a refund of an order. */
export interface BillEntry {
  out_trade_no: string;
  kind: 'payment' | 'refund';
  /** 订单金额 of a payment, 申请退款金额 of a refund, in fen. */
  amount: number;
  /** 微信订单号 of a payment, 微信退款单号 of a refund. */
  id: string;
  /** 商户退款单号 (refunds). */
  out_refund_no?: string;
}

/**
 * The entry of a trade-bill row; `undefined` for a payment the payer's bank reversed (`REVOKED`):
 * no money stayed with the merchant.
 */
export function entryOfRow(row: TradeBillRow): BillEntry | undefined {
  if (row.refund_id !== undefined) {
    return {
      out_trade_no: row.out_trade_no,
      kind: 'refund',
      amount: row.requested_refund ?? row.refund ?? 0,
      id: row.refund_id,
      out_refund_no: row.out_refund_no ?? '',
    };
  }
  if (row.trade_state === 'REVOKED') return undefined;
  return {
    out_trade_no: row.out_trade_no,
    kind: 'payment',
    amount: row.total ?? row.settlement_total + row.coupon_amount,
    id: row.transaction_id,
  };
}

/**
 * An entry as one line of a sorted run: `out_trade_no` first, then a tab, which sorts below every
 * character a merchant number may hold, so sorting whole lines sorts them by `out_trade_no`.
 * @throws WechatPayBillError when a number holds a tab or a line break (no real bill does)
 */
export function entryLine(entry: BillEntry): string {
  const { out_trade_no, kind, amount, id, out_refund_no = '' } = entry;
  if (/[\t\n\r]/.test(out_trade_no + id + out_refund_no)) {
    throw new WechatPayBillError(
      `trade bill: the row of order ${JSON.stringify(out_trade_no.slice(0, 32))} holds a tab or line break in a number`,
    );
  }
  // join() copies into one flat string: a template literal would keep slices of the bill's
  // text alive, and with them the whole chunk each row came from.
  return [out_trade_no, kind === 'payment' ? 'P' : 'R', amount, id, out_refund_no].join('\t');
}

/** The entry a line of {@link entryLine} holds. */
export function entryOfLine(line: string): BillEntry {
  const [out_trade_no, kind, amount, id, out_refund_no] = line.split('\t') as [
    string,
    string,
    string,
    string,
    string,
  ];
  return kind === 'P'
    ? { out_trade_no, kind: 'payment', amount: Number(amount), id }
    : { out_trade_no, kind: 'refund', amount: Number(amount), id, out_refund_no };
}
