import type { Readable } from 'node:stream';

/** What a command reads and writes: the process's streams, or a test's buffers. */
export interface CliIo {
  /** Writes to standard output (results). */
  out: (text: string) => void;
  /** Writes to standard error (diagnostics, progress). */
  err: (text: string) => void;
  /** The environment the merchant configuration is read from. */
  env: Record<string, string | undefined>;
  /** Whether standard error is a terminal: progress is shown only then. */
  isTTY: boolean;
  /** Standard input, for the simulator's commands. */
  stdin?: Readable;
  /**
   * Resolves when the user asks the process to stop (Ctrl-C: SIGINT, or SIGTERM); long-running
   * commands (the simulator) stop cleanly then.
   */
  stopRequested: Promise<string>;
  /** The working directory relative paths are resolved against. */
  cwd: string;
}

/** The CLI's I/O on the real process. */
export function processIo(): CliIo {
  let stopRequested: Promise<string> | undefined;
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    isTTY: process.stderr.isTTY,
    stdin: process.stdin,
    // Listening replaces Node's default of dying at once: only the commands that wait listen.
    get stopRequested() {
      stopRequested ??= new Promise<string>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const)
          process.once(signal, () => resolve(signal));
      });
      return stopRequested;
    },
    cwd: process.cwd(),
  };
}
