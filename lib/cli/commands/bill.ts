import { readFundFlowBill } from '../../core/products/bills/parsing/fund-flow-bill.js';
import { readTradeBill } from '../../core/products/bills/parsing/trade-bill.js';
import { reconcileTradeBill } from '../../core/reconciliation/reconcile-bill.js';
import {
  differenceCount,
  formatReconciliationReport,
} from '../../core/reconciliation/report-text.js';
import type { BillInfo } from '../../core/products/bills/bills.types.js';
import type { WechatPayClient } from '../../core/wechatpay-client.js';
import type { CliIo } from '../cli-io.js';
import { type CliCommand, type CliValues, report, stringValue } from '../command.js';
import { MERCHANT_CLI_HELP, MERCHANT_CLI_OPTIONS, merchantClient } from '../merchant-env.js';
import { Progress } from '../progress.js';
import { CliUsageError, EXIT } from '../usage-error.js';
import { type BillObserver, RowPrinter } from './bill-observers.js';
import { ordersFile } from './orders-file.js';

const TRADE_TYPES = ['ALL', 'SUCCESS', 'REFUND'];
const ACCOUNTS = ['BASIC', 'OPERATION', 'FEES'];

/** What to download, from the command line. */
interface BillRequest {
  date: string;
  fundFlow: boolean;
  /** `bill_type` of a trade bill, `account_type` of a fund-flow bill. */
  type: string;
  /** `--reconcile <orders.jsonl>`: the merchant's orders to reconcile the trade bill with. */
  reconcile?: string;
}

function choice(values: CliValues, name: string, allowed: string[], fallback: string): string {
  const value = (stringValue(values, name) ?? fallback).toUpperCase();
  if (!allowed.includes(value)) {
    throw new CliUsageError(`--${name} must be one of ${allowed.join(', ')}`, 'bill');
  }
  return value;
}

function billRequest(values: CliValues): BillRequest {
  const date = stringValue(values, 'date');
  if (
    date === undefined ||
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  ) {
    throw new CliUsageError('--date <yyyy-MM-dd> is required: the day of the bill', 'bill');
  }
  const fundFlow = values['fund-flow'] === true;
  if (fundFlow && values.type !== undefined) {
    throw new CliUsageError('--type is for trade bills; a fund-flow bill takes --account', 'bill');
  }
  if (!fundFlow && values.account !== undefined) {
    throw new CliUsageError('--account is for fund-flow bills: add --fund-flow', 'bill');
  }
  const type = fundFlow
    ? choice(values, 'account', ACCOUNTS, 'BASIC')
    : choice(values, 'type', TRADE_TYPES, 'ALL');
  const reconcile = stringValue(values, 'reconcile');
  if (reconcile !== undefined && (fundFlow || type !== 'ALL' || values.rows === true)) {
    throw new CliUsageError(
      '--reconcile takes the whole trade bill: drop --fund-flow, --type and --rows',
      'bill',
    );
  }
  return { date, fundFlow, type, reconcile };
}

/** The observers the options ask for: where a new way of using the rows plugs in. */
function billObservers(values: CliValues): BillObserver[] {
  return values.rows === true ? [new RowPrinter()] : [];
}

async function applyFor(client: WechatPayClient, request: BillRequest): Promise<BillInfo> {
  return request.fundFlow
    ? client.bills.fundFlowBill({
        bill_date: request.date,
        account_type: request.type,
        tar_type: 'GZIP',
      })
    : client.bills.tradeBill({
        bill_date: request.date,
        bill_type: request.type,
        tar_type: 'GZIP',
      });
}

/** The bill's bytes as they arrive, counted, with the progress line. */
async function downloadBill(client: WechatPayClient, request: BillRequest, io: CliIo) {
  const info = await applyFor(client, request);
  const counts = { bytes: 0, rows: 0 };
  const progress = new Progress(
    io,
    // Reconciliation reads the rows itself: only the bytes are counted then.
    () =>
      `downloading the bill: ${counts.bytes} bytes${request.reconcile ? '' : `, ${counts.rows} rows`}`,
  );
  const download = await client.bills.download(info, { gzip: true });
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of download as AsyncIterable<Buffer>) {
      counts.bytes += chunk.length;
      progress.update();
      yield chunk;
    }
  }
  return { info, counts, progress, counted };
}

/** Downloads and reads the bill, counting bytes and rows on the way. */
async function readBill(
  client: WechatPayClient,
  request: BillRequest,
  observers: BillObserver[],
  io: CliIo,
) {
  const { info, counts, progress, counted } = await downloadBill(client, request, io);
  const reader = request.fundFlow ? readFundFlowBill(counted()) : readTradeBill(counted());
  try {
    for await (const row of reader) {
      counts.rows += 1;
      for (const observer of observers) await observer.row(row);
      progress.update();
    }
  } finally {
    progress.done();
  }
  return { hashType: info.hash_type, ...counts, summary: reader.summary };
}

/**
 * `--reconcile`: the trade bill reconciled with the orders file as it downloads; exit code 1
 * when the two differ, so that a daily job fails loudly.
 */
async function reconcileBill(
  client: WechatPayClient,
  request: BillRequest & { reconcile: string },
  values: CliValues,
  io: CliIo,
): Promise<number> {
  const source = await ordersFile(request.reconcile);
  const { counts, progress, counted } = await downloadBill(client, request, io);
  let reconciliation;
  try {
    reconciliation = await reconcileTradeBill(counted(), request.date, source);
  } finally {
    progress.done();
  }
  const differences = differenceCount(reconciliation);
  report(
    io,
    values,
    { date: request.date, kind: 'trade', type: request.type, bytes: counts.bytes, reconciliation },
    () => `${formatReconciliationReport(reconciliation)}\n`,
  );
  return differences === 0 ? EXIT.ok : EXIT.failure;
}

/** `nestjs-wechatpay bill`: a day's bill, downloaded, hash-checked and parsed. */
export const BILL_COMMAND: CliCommand = {
  name: 'bill',
  summary:
    "download and parse a day's trade or fund-flow bill; print its summary (and rows), or reconcile it",
  usage:
    'bill --date <yyyy-MM-dd> [--type ALL|SUCCESS|REFUND] [--fund-flow [--account BASIC|OPERATION|FEES]] [--rows] [--reconcile <orders.jsonl>] [--env-file <file>] [--env-prefix <prefix>] [--json]',
  help: `Applies for the day's bill (gzip), downloads it, checks it against its hash, and reads every
row with readTradeBill / readFundFlowBill, which check the bill's summary against its rows.
Progress (bytes, rows) is shown on a terminal only.
  --date <yyyy-MM-dd>   the day (China time) of the bill; required
  --type <type>         trade bill type: ALL (default), SUCCESS or REFUND
  --fund-flow           the fund-flow bill (资金账单) instead of the trade bill
  --account <account>   fund-flow account: BASIC (default), OPERATION or FEES
  --rows                also print every row (without the payer's openid)
  --reconcile <file>    reconcile the trade bill (ALL) with the merchant's orders: a JSON Lines
                        file, one order per line sorted by out_trade_no (code point order), e.g.
                        {"out_trade_no":"A1","amount":100,"state":"paid","paid_at":"2026-06-08T10:00:00+08:00",
                         "refunds":[{"out_refund_no":"R1","amount":50}]}
                        (state: unpaid, paid, refunded or closed; amounts in fen); prints the
                        reconciliation report. Exit code 0: no differences; 1: differences (or a
                        malformed line, named by its number)
${MERCHANT_CLI_HELP}`,
  options: {
    ...MERCHANT_CLI_OPTIONS,
    date: { type: 'string' },
    type: { type: 'string' },
    'fund-flow': { type: 'boolean' },
    account: { type: 'string' },
    rows: { type: 'boolean' },
    reconcile: { type: 'string' },
  },
  async run(values, io) {
    const request = billRequest(values);
    const observers = billObservers(values);
    const client = merchantClient(values, io);
    try {
      const { reconcile } = request;
      if (reconcile !== undefined)
        return await reconcileBill(client, { ...request, reconcile }, values, io);
      const read = await readBill(client, request, observers, io);
      const kind = request.fundFlow ? 'fund-flow' : 'trade';
      const result: Record<string, unknown> = {
        date: request.date,
        kind,
        [request.fundFlow ? 'account' : 'type']: request.type,
        bytes: read.bytes,
        rowCount: read.rows,
        summary: read.summary,
      };
      for (const observer of observers) Object.assign(result, observer.result());
      report(io, values, result, () =>
        [
          `${request.date} ${kind} bill (${request.type}): ${read.rows} rows, ${read.bytes} bytes, ${read.hashType} hash checked, summary matches the rows`,
          ...Object.entries(read.summary ?? {})
            .filter(([, value]) => value !== undefined)
            .map(([name, value]) => `  ${name}: ${String(value)}`),
          ...observers.flatMap((observer) => observer.text()),
          '',
        ].join('\n'),
      );
      return 0;
    } finally {
      client.close();
    }
  },
};
