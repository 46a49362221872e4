import { WechatPayBillError } from '../../../errors.js';

/**
 * The cells of a bill line. Data cells start with a backtick (so spreadsheets keep long
 * numbers as text); splitting on `` ,` `` rather than `,` keeps a comma inside a product name or
 * `attach` in its cell. Header lines have no backticks and are split on commas.
 */
export function billCells(line: string): string[] {
  if (line.charCodeAt(0) !== 96) return line.split(',').map(columnName);
  return line.slice(1).split(',`');
}

/** A header cell with full-width parentheses and spaces normalised: `收支金额（元）` → `收支金额(元)`. */
export function columnName(cell: string): string {
  return cell.trim().replace(/（/g, '(').replace(/）/g, ')');
}

/** Whether `line` holds data (its cells start with a backtick) rather than a header. */
export function isDataLine(line: string): boolean {
  return line.charCodeAt(0) === 96;
}

/**
 * An amount in yuan as the bill writes it (`12.34`, `-0.01`, `0`, `0.0`) in fen, exactly: no
 * binary floating point is involved, so sums of a million rows stay exact.
 * @throws WechatPayBillError when the cell is not an amount
 */
export function fenOf(cell: string, where: () => string): number {
  // Read digit by digit: this runs for several cells of every row of a bill.
  let i = 0;
  const negative = cell.charCodeAt(0) === 45;
  if (negative) i = 1;
  let yuan = 0;
  let digits = 0;
  let code = 0;
  for (; i < cell.length && (code = cell.charCodeAt(i)) >= 48 && code <= 57; i++, digits++) {
    yuan = yuan * 10 + (code - 48);
  }
  let fen = 0;
  let decimals = 0;
  if (digits > 0 && i < cell.length && code === 46) {
    for (i++; i < cell.length && (code = cell.charCodeAt(i)) >= 48 && code <= 57; i++) {
      if (++decimals > 2) break;
      fen = fen * 10 + (code - 48);
    }
    if (decimals === 1) fen *= 10;
  }
  if (digits === 0 || i !== cell.length || decimals > 2 || (code === 46 && decimals === 0)) {
    throw new WechatPayBillError(`${where()}: "${cell.slice(0, 20)}" is not an amount in yuan`);
  }
  const value = yuan * 100 + fen;
  return negative ? -value : value;
}

/**
 * A count as the summary writes it: `20` or, in fund-flow bills, `20.0`.
 * @throws WechatPayBillError when the cell is not a whole number
 */
export function countOf(cell: string, where: () => string): number {
  const value = Number(cell.trim());
  if (!Number.isInteger(value) || value < 0) {
    throw new WechatPayBillError(`${where()}: "${cell.slice(0, 20)}" is not a count`);
  }
  return value;
}

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const int = (text: string, from: number, to: number) => Number(text.slice(from, to));

/**
 * A bill time (`yyyy-MM-dd HH:mm:ss`, China time, UTC+8) as a `Date`; an empty cell is
 * `undefined`.
 * @throws WechatPayBillError when the cell is not such a time
 */
export function chinaTimeOf(cell: string, where: () => string): Date | undefined {
  if (cell === '') return undefined;
  if (!TIME.test(cell))
    throw new WechatPayBillError(`${where()}: "${cell.slice(0, 20)}" is not a time`);
  const utc = Date.UTC(
    int(cell, 0, 4),
    int(cell, 5, 7) - 1,
    int(cell, 8, 10),
    int(cell, 11, 13),
    int(cell, 14, 16),
    int(cell, 17, 19),
  );
  return new Date(utc - CHINA_OFFSET_MS);
}
