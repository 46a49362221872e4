import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../lib/cli/cli-io.js';
import { Progress } from '../../../lib/cli/progress.js';

function io(isTTY: boolean): CliIo & { written: string[] } {
  const written: string[] = [];
  return {
    written,
    out: () => undefined,
    err: (text) => void written.push(text),
    env: {},
    isTTY,
    stopRequested: new Promise(() => undefined),
    cwd: '/',
  };
}

describe('Progress', () => {
  it('redraws one line on a terminal, at most every 100 ms, and ends it', () => {
    const tty = io(true);
    let rows = 0;
    const progress = new Progress(tty, () => `${rows} rows`);
    for (rows = 1; rows <= 1000; rows++) progress.update();
    rows = 1000;
    progress.done();
    expect(tty.written.length).toBeLessThan(10);
    expect(tty.written[0]).toBe('\r1 rows\u001b[K');
    expect(tty.written.at(-1)).toBe('\r1000 rows\u001b[K\n');
  });

  it('writes nothing when standard error is not a terminal', () => {
    const piped = io(false);
    const progress = new Progress(piped, () => 'x');
    progress.update();
    progress.done();
    expect(piped.written).toEqual([]);
  });
});
