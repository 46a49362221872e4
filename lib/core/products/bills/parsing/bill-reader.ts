import { WechatPayBillError } from '../../../errors.js';
import { billCells, chinaTimeOf, countOf, fenOf, isDataLine } from './bill-cells.js';
import type { BillColumn, BillLayout } from './bill-layout.js';
import { billLineBatches } from './bill-lines.js';

/**
 * Reads a WeChat Pay bill as typed rows, one at a time, in constant memory; then checks its
 * summary against the rows it read. Iterate it once with `for await`; the loop throws
 * {@link WechatPayBillError} on a malformed line, a missing summary (a truncated file) or a
 * summary that differs from the rows, so a bill that was read to the end without an error
 * is a bill whose rows add up. `summary` is set once the loop has finished.
 */
export class BillReader<Row, Summary> implements AsyncIterable<Row> {
  private stated?: Summary;
  private consumed = false;

  constructor(
    private readonly source: AsyncIterable<Buffer | string>,
    private readonly layout: BillLayout,
  ) {}

  /** The summary rows, checked against the data rows; set after the loop ended without error. */
  get summary(): Summary | undefined {
    return this.stated;
  }

  /**
   * The rows one at a time. A hand-written iterator over {@link batches}: an async generator
   * that yields every row would cost several promise turns per row.
   */
  [Symbol.asyncIterator](): AsyncIterator<Row, undefined> {
    const batches = this.batches();
    let batch: Row[] = [];
    let index = 0;
    return {
      next: async () => {
        while (index >= batch.length) {
          const step = await batches.next();
          if (step.done) return { done: true, value: undefined };
          batch = step.value;
          index = 0;
        }
        return { done: false, value: batch[index++]! };
      },
      return: async () => {
        await batches.return();
        return { done: true, value: undefined };
      },
    };
  }

  /**
   * The rows a chunk of the file at a time (one await per chunk, not per row): for consumers
   * of millions of rows. Same checks and errors as iterating rows.
   */
  async *batches(): AsyncGenerator<Row[], void, undefined> {
    if (this.consumed) throw new WechatPayBillError(`a ${this.layout.name} can be read only once`);
    this.consumed = true;
    const { layout } = this;
    let lineNo = 0;
    const where = () => `${layout.name}, line ${lineNo}`;
    let plan: { column: BillColumn; index: number }[] | undefined;
    const sums = new Map<string, number>();
    for (const figure of layout.summary) sums.set(figure.field, 0);
    let count = 0;
    let summaryHeader: string[] | undefined;
    for await (const batch of billLineBatches(this.source)) {
      const rows: Row[] = [];
      for (const line of batch) {
        lineNo++;
        if (!plan) {
          plan = columnPlan(layout, billCells(line), where);
          continue;
        }
        if (summaryHeader) {
          this.stated = checkSummary(
            layout,
            summaryHeader,
            billCells(line),
            sums,
            count,
            where,
          ) as Summary;
          continue;
        }
        if (!isDataLine(line)) {
          const header = billCells(line);
          if (header[0] !== layout.summaryMarker) {
            throw new WechatPayBillError(`${where()}: expected a data row or the summary header`);
          }
          summaryHeader = header;
          continue;
        }
        if (this.stated) throw new WechatPayBillError(`${where()}: data after the summary`);
        const cells = billCells(line);
        const row: Record<string, unknown> = {};
        for (const { column, index } of plan)
          row[column.field] = readCell(column, cells[index], where);
        layout.finish?.(row, where);
        count++;
        for (const figure of layout.summary) {
          if (!figure.sums || (figure.sums.where && !figure.sums.where(row))) continue;
          if (figure.kind === 'count') sums.set(figure.field, sums.get(figure.field)! + 1);
          else
            sums.set(
              figure.field,
              sums.get(figure.field)! + ((row[figure.sums.field] as number | undefined) ?? 0),
            );
        }
        rows.push(row as Row);
      }
      if (rows.length > 0) yield rows;
    }
    if (!this.stated) {
      throw new WechatPayBillError(
        `the ${layout.name} ends without its summary after line ${lineNo}: it was truncated; download it again`,
        { retrySafe: true },
      );
    }
  }
}

function columnPlan(layout: BillLayout, header: string[], where: () => string) {
  const plan: { column: BillColumn; index: number }[] = [];
  const missing: string[] = [];
  for (const column of layout.columns) {
    const index = header.findIndex((name) => column.names.includes(name));
    if (index !== -1) plan.push({ column, index });
    else if (!column.kind.startsWith('optional')) missing.push(column.names[0]!);
  }
  if (missing.length > 0) {
    throw new WechatPayBillError(
      `${where()}: this is not a ${layout.name}, its header lacks ${missing.join(', ')}`,
    );
  }
  return plan;
}

function readCell(column: BillColumn, cell: string | undefined, where: () => string): unknown {
  if (cell === undefined) throw new WechatPayBillError(`${where()}: the row has too few cells`);
  switch (column.kind) {
    case 'text':
      return cell;
    case 'optionalText':
      return cell === '' ? undefined : cell;
    case 'fen':
      return fenOf(cell, where);
    case 'optionalFen':
      return cell === '' ? undefined : fenOf(cell, where);
    case 'time': {
      const time = chinaTimeOf(cell, where);
      if (!time) throw new WechatPayBillError(`${where()}: ${column.names[0]} is empty`);
      return time;
    }
    case 'optionalTime':
      return chinaTimeOf(cell, where);
  }
}

function checkSummary(
  layout: BillLayout,
  header: string[],
  cells: string[],
  sums: Map<string, number>,
  count: number,
  where: () => string,
): Record<string, number> {
  const summary: Record<string, number> = {};
  const differences: string[] = [];
  for (const figure of layout.summary) {
    const index = header.findIndex((name) => figure.names.includes(name));
    if (index === -1) continue;
    const cell = cells[index];
    if (cell === undefined)
      throw new WechatPayBillError(`${where()}: the summary has too few cells`);
    const stated = figure.kind === 'count' ? countOf(cell, where) : fenOf(cell, where);
    const computed = figure.sums ? sums.get(figure.field)! : count;
    summary[figure.field] = stated;
    if (stated !== computed) {
      differences.push(
        `${figure.names[0]} is ${show(figure.kind, stated)} but the rows add up to ${show(figure.kind, computed)}`,
      );
    }
  }
  if (differences.length > 0) {
    throw new WechatPayBillError(
      `the ${layout.name}'s summary does not match its rows: ${differences.join('; ')}`,
    );
  }
  return summary;
}

const show = (kind: 'count' | 'fen', value: number) =>
  kind === 'count' ? String(value) : `${(value / 100).toFixed(2)} yuan`;
