import { type FileHandle, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** Lines are handed on this many at a time, so consumers await once per batch. */
const BATCH = 4096;
const READ_BYTES = 256 * 1024;

/**
 * Sorts lines (by UTF-16 code units, as `<` compares strings) in bounded memory: at most
 * `linesInMemory` are held; beyond that, sorted runs go to a temporary directory and are merged
 * k ways. Lines must not contain `\n`. Call {@link dispose} when done, also after an error.
 */
export class ExternalSorter {
  private buffer: string[] = [];
  private readonly runs: string[] = [];
  private dir?: string;

  constructor(
    private readonly linesInMemory: number,
    private readonly tempDir: string = tmpdir(),
  ) {}

  /** Whether the next {@link add} needs a {@link spill} first. */
  get full(): boolean {
    return this.buffer.length >= this.linesInMemory;
  }

  /** Adds a line; call {@link spill} when {@link full}. */
  add(line: string): void {
    this.buffer.push(line);
  }

  /** Writes the lines held so far as one sorted run. */
  async spill(): Promise<void> {
    if (this.buffer.length === 0) return;
    this.dir ??= await mkdtemp(join(this.tempDir, 'wechatpay-reconcile-'));
    const path = join(this.dir, `run-${this.runs.length}`);
    const lines = this.buffer.sort();
    this.buffer = [];
    await writeFile(path, `${lines.join('\n')}\n`);
    this.runs.push(path);
  }

  /** Every line added, in ascending order, in batches. */
  async *sorted(): AsyncGenerator<string[], void, undefined> {
    if (this.runs.length === 0) {
      const lines = this.buffer.sort();
      this.buffer = [];
      for (let i = 0; i < lines.length; i += BATCH) yield lines.slice(i, i + BATCH);
      return;
    }
    await this.spill();
    const readers = await Promise.all(this.runs.map((path) => RunReader.open(path)));
    try {
      yield* merge(readers.filter((reader) => reader.current !== undefined));
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
    }
  }

  /** Removes the temporary runs. */
  async dispose(): Promise<void> {
    this.buffer = [];
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/** k-way merge over a binary min-heap of run readers, ordered by their current line. */
async function* merge(heap: RunReader[]): AsyncGenerator<string[], void, undefined> {
  const less = (a: RunReader, b: RunReader) => a.current! < b.current!;
  const down = (from: number) => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && less(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && less(heap[right]!, heap[least]!)) least = right;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let out: string[] = [];
  while (heap.length > 0) {
    const top = heap[0]!;
    out.push(top.current!);
    if (!top.advance() && !(await top.fill())) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    down(0);
    if (out.length >= BATCH) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** One sorted run, read a block at a time; `current` is its next line. */
class RunReader {
  current: string | undefined;
  private lines: string[] = [];
  private index = 0;
  private rest = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly block = Buffer.allocUnsafe(READ_BYTES);

  private constructor(private readonly file: FileHandle) {}

  static async open(path: string): Promise<RunReader> {
    const reader = new RunReader(await open(path, 'r'));
    await reader.fill();
    return reader;
  }

  /** Moves to the next line held in memory; `false` when a {@link fill} is needed. */
  advance(): boolean {
    this.index++;
    if (this.index < this.lines.length) {
      this.current = this.lines[this.index];
      return true;
    }
    this.current = undefined;
    return false;
  }

  /** Reads blocks until a line is complete; `false` at the end of the run. */
  async fill(): Promise<boolean> {
    for (;;) {
      const { bytesRead } = await this.file.read(this.block, 0, READ_BYTES, null);
      if (bytesRead === 0) {
        this.current = undefined;
        return false;
      }
      const text = this.rest + this.decoder.write(this.block.subarray(0, bytesRead));
      const cut = text.lastIndexOf('\n');
      if (cut === -1) {
        this.rest = text;
        continue;
      }
      this.rest = text.slice(cut + 1);
      this.lines = text.slice(0, cut).split('\n');
      this.index = 0;
      this.current = this.lines[0];
      return true;
    }
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
