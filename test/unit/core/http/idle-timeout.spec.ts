import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withIdleTimeout } from '../../../../lib/core/http/idle-timeout.js';

const errors = {
  idle: () => new Error('idle'),
  broken: (cause: unknown) => new Error(`broken: ${(cause as Error).message}`),
};

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('withIdleTimeout', () => {
  it('passes every byte through when the source keeps up', async () => {
    const source = new PassThrough();
    const result = readAll(withIdleTimeout(source, 400, errors));
    for (const piece of ['a', 'b', 'c']) {
      source.write(piece);
      await sleep(50);
    }
    source.end('d');
    await expect(result).resolves.toBe('abcd');
  });

  it('does not count time the consumer spends elsewhere', async () => {
    // WeChat Pay sent more than the buffers hold; the consumer stops reading for 3× the limit.
    const source = new PassThrough();
    const chunk = 'x'.repeat(4096);
    for (let i = 0; i < 64; i++) source.write(chunk);
    source.end();
    let length = 0;
    let paused = false;
    for await (const piece of withIdleTimeout(source, 50, errors)) {
      length += (piece as Buffer).length;
      if (!paused) {
        paused = true;
        await sleep(150);
      }
    }
    expect(length).toBe(64 * 4096);
  });

  it('fails when the source stalls, and destroys it so the socket is freed', async () => {
    const source = new PassThrough();
    source.write('a');
    const started = performance.now();
    await expect(readAll(withIdleTimeout(source, 100, errors))).rejects.toThrow('idle');
    // The 100 ms limit, with slack for a loaded machine.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(source.destroyed).toBe(true);
  });

  it('replaces an error of the source by its own', async () => {
    const source = new PassThrough();
    const result = readAll(withIdleTimeout(source, 1000, errors));
    source.write('a');
    await sleep(10);
    source.destroy(new Error('ECONNRESET'));
    await expect(result).rejects.toThrow('broken: ECONNRESET');
  });
});
