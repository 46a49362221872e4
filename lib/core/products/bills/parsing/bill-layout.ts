/** How one cell of a bill becomes one field of a typed row. */
export type CellKind = 'text' | 'optionalText' | 'fen' | 'optionalFen' | 'time' | 'optionalTime';

/** One column: the field it fills, the header names it goes by, and how its cells read. */
export interface BillColumn<Field extends string = string> {
  readonly field: Field;
  /** The current header name first, then names of earlier bill formats. */
  readonly names: readonly string[];
  readonly kind: CellKind;
}

/**
 * One summary figure: the header names it goes by, and the row field whose sum (or the row
 * count, for `count`) it must equal.
 */
export interface BillSummaryFigure<Field extends string = string> {
  readonly field: Field;
  readonly names: readonly string[];
  /** `count` for a number of rows; otherwise an amount in fen. */
  readonly kind: 'count' | 'fen';
  /** What the figure adds up: a row field, or only the rows `where` accepts. */
  readonly sums?: {
    readonly field: string;
    readonly where?: (row: Record<string, unknown>) => boolean;
  };
}

/** Everything a bill reader needs to know about one kind of bill. */
export interface BillLayout {
  /** For messages: `trade bill`, `fund-flow bill`. */
  readonly name: string;
  readonly columns: readonly BillColumn[];
  /** The first column name of the summary header, which ends the data rows. */
  readonly summaryMarker: string;
  readonly summary: readonly BillSummaryFigure[];
  /** Turns the cell-by-cell row into its final shape (e.g. `'0'` sub-merchant to none). */
  readonly finish?: (row: Record<string, unknown>, where: () => string) => void;
}
