import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type {
  ReconciliationOrder,
  ReconciliationOrderState,
  ReconciliationRefund,
  ReconciliationSource,
} from '../../core/reconciliation/reconciliation.types.js';
import { CliInputError, CliUsageError } from '../usage-error.js';

const STATES: readonly ReconciliationOrderState[] = ['unpaid', 'paid', 'refunded', 'closed'];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fen(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new Error(`${name} must be a whole, non-negative number of fen`);
  }
  return value as number;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '')
    throw new Error(`${name} must be a non-empty string`);
  return value;
}

function date(value: unknown, name: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = typeof value === 'string' ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw new Error(`${name} must be an ISO 8601 date-time, e.g. 2026-06-08T10:00:00+08:00`);
  }
  return parsed;
}

function refund(value: unknown, index: number): ReconciliationRefund {
  const name = `refunds[${index}]`;
  if (!isObject(value)) throw new Error(`${name} must be an object`);
  return {
    out_refund_no: text(value.out_refund_no, `${name}.out_refund_no`),
    amount: fen(value.amount, `${name}.amount`),
    created_at: date(value.created_at, `${name}.created_at`),
  };
}

/** One JSON line as a {@link ReconciliationOrder}; throws saying which field is wrong. */
function order(line: string): ReconciliationOrder {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error('not JSON');
  }
  if (!isObject(value)) throw new Error('not a JSON object');
  if (!STATES.includes(value.state as ReconciliationOrderState)) {
    throw new Error(`state must be one of ${STATES.join(', ')}`);
  }
  if (value.refunds !== undefined && !Array.isArray(value.refunds)) {
    throw new Error('refunds must be an array');
  }
  return {
    out_trade_no: text(value.out_trade_no, 'out_trade_no'),
    amount: fen(value.amount, 'amount'),
    state: value.state as ReconciliationOrderState,
    paid_at: date(value.paid_at, 'paid_at'),
    refunds: (value.refunds as unknown[] | undefined)?.map(refund),
  };
}

/**
 * The merchant's orders of `--reconcile <file>`: one JSON object per line, sorted by
 * `out_trade_no`, read line by line so that memory does not grow with the file. Blank lines
 * are skipped; a malformed line stops reconciliation with its line number.
 * @throws CliUsageError when the file cannot be read
 */
export async function ordersFile(path: string): Promise<ReconciliationSource> {
  try {
    await access(path);
  } catch (error) {
    throw new CliUsageError(
      `--reconcile ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'bill',
    );
  }
  return {
    async *orders() {
      const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
      let number = 0;
      for await (const line of lines) {
        number += 1;
        if (line.trim() === '') continue;
        try {
          yield order(line);
        } catch (error) {
          lines.close();
          throw new CliInputError(`${path} line ${number}: ${(error as Error).message}`);
        }
      }
    },
  };
}
