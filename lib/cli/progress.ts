import type { CliIo } from './cli-io.js';

/**
 * A one-line progress display on standard error, redrawn at most every 100 ms, and only on a
 * terminal: scripts and logs get no carriage returns.
 */
export class Progress {
  private last = 0;
  private shown = false;

  constructor(
    private readonly io: CliIo,
    private readonly line: () => string,
  ) {}

  /** Redraws the line if the last redraw is old enough. */
  update(): void {
    if (!this.io.isTTY) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    this.io.err(`\r${this.line()}\u001b[K`);
  }

  /** Draws the final state and ends the line. */
  done(): void {
    if (!this.io.isTTY) return;
    if (this.shown || this.line()) this.io.err(`\r${this.line()}\u001b[K\n`);
  }
}
