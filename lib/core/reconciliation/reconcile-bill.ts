import { WechatPayValidationError } from '../errors.js';
import { BILL_DATE, BILL_DATE_MESSAGE } from '../products/bills/bills.dto.js';
import { readTradeBill } from '../products/bills/parsing/trade-bill.js';
import { type BillEntry, entryLine, entryOfLine, entryOfRow } from './bill-entry.js';
import { ExternalSorter } from './external-sort.js';
import { matchOrders } from './order-matcher.js';
import type {
  ReconcileOptions,
  ReconciliationReport,
  ReconciliationSource,
} from './reconciliation.types.js';

/**
 * Reconciles a trade bill already at hand (a file, a stream from `wechatPay.bills.download`)
 * with the merchant's orders: the bill is read to its end and its summary checked first, its
 * rows sorted by `out_trade_no` in bounded memory (temporary files beyond `rowsInMemory`), then
 * merge-joined with `source.orders(date)`. `wechatPay.reconciliation.reconcile` downloads the
 * bill and calls this.
 * @param bill the text of an `ALL` trade bill (gunzipped)
 * @param date the bill's day, `YYYY-MM-DD`
 * @throws WechatPayBillError when the bill is malformed, truncated or does not add up
 * @throws WechatPayError when the source yields orders out of order, twice or malformed
 * @example
 * const report = await reconcileTradeBill(createReadStream('bill.csv'), '2026-06-08', source);
 */
export async function reconcileTradeBill(
  bill: AsyncIterable<Buffer | string>,
  date: string,
  source: ReconciliationSource,
  options: ReconcileOptions = {},
): Promise<ReconciliationReport> {
  checkDate(date);
  const sorter = new ExternalSorter(options.rowsInMemory ?? 100_000, options.tempDir);
  try {
    for await (const rows of readTradeBill(bill).batches()) {
      for (const row of rows) {
        const entry = entryOfRow(row);
        if (!entry) continue;
        if (sorter.full) await sorter.spill();
        sorter.add(entryLine(entry));
      }
    }
    return await matchOrders(entries(sorter.sorted()), source.orders(date), {
      date,
      api: options.api ?? 'v3',
      maxDifferences: options.maxDifferences ?? 1000,
      onDifference: options.onDifference,
    });
  } finally {
    await sorter.dispose();
  }
}

async function* entries(lines: AsyncIterable<string[]>): AsyncGenerator<BillEntry[]> {
  for await (const batch of lines) yield batch.map(entryOfLine);
}

/** @throws WechatPayValidationError unless `date` is `YYYY-MM-DD` */
export function checkDate(date: string): void {
  if (typeof date !== 'string' || !BILL_DATE.test(date)) {
    throw new WechatPayValidationError('reconciliation date', [
      { field: 'date', message: BILL_DATE_MESSAGE },
    ]);
  }
}
