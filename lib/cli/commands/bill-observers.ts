import type { FundFlowBillRow } from '../../core/products/bills/parsing/fund-flow-bill.js';
import type { TradeBillRow } from '../../core/products/bills/parsing/trade-bill.js';

/** A row of either bill. */
export type BillRow = TradeBillRow | FundFlowBillRow;

/**
 * Sees every row of a bill as it is read, then the bill's checked summary: the `bill`
 * command's extension point. It prints rows today; reconciling a bill against the merchant's
 * orders is another observer with its own option.
 */
export interface BillObserver {
  /** Called once per row, in file order; awaited before the next row is read. */
  row(row: BillRow): void | Promise<void>;
  /** What the observer adds to the command's JSON report, once the bill was read to the end. */
  result(): Record<string, unknown>;
  /** What it adds to the text output, after the summary. */
  text(): string[];
}

/**
 * A row as the CLI prints it: dates as ISO strings, without the payer's openid (a payer
 * identifier has no business in a terminal log).
 */
export function printableRow(row: BillRow): Record<string, unknown> {
  const printable: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name === 'openid' || value === undefined) continue;
    printable[name] = value instanceof Date ? value.toISOString() : value;
  }
  return printable;
}

function rowLine(row: BillRow): string {
  if ('out_trade_no' in row) {
    const refund = row.out_refund_no ? `  refund ${row.out_refund_no} ${row.refund ?? 0} fen` : '';
    return `  ${row.trade_time.toISOString()}  ${row.out_trade_no}  ${row.trade_state}  ${row.settlement_total} fen${refund}`;
  }
  return `  ${row.booking_time.toISOString()}  ${row.business_name}  ${row.direction} ${row.amount} fen  balance ${row.balance} fen`;
}

/** `--rows`: every row, in the JSON report and one line each in the text. */
export class RowPrinter implements BillObserver {
  private readonly rows: Record<string, unknown>[] = [];
  private readonly lines: string[] = [];

  row(row: BillRow): void {
    this.rows.push(printableRow(row));
    this.lines.push(rowLine(row));
  }

  result(): Record<string, unknown> {
    return { rows: this.rows };
  }

  text(): string[] {
    return this.lines;
  }
}
