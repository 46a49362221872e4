import { PassThrough } from 'node:stream';
import type { CliIo } from '../../lib/cli/cli-io.js';
import { runCli } from '../../lib/cli/run-cli.js';

/** What one in-process run of the CLI wrote, and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `nestjs-wechatpay <argv>` in this process with `env` as its whole environment, capturing
 * what it writes.
 * @param options.isTTY whether standard error counts as a terminal (progress is shown only then)
 */
export async function runCliCaptured(
  argv: string[],
  env: Record<string, string | undefined>,
  options: {
    isTTY?: boolean;
    cwd?: string;
    /** Standard input (default: one that stays open and silent). */
    stdin?: PassThrough;
    /** Resolves with a signal name to stop a long-running command (default: never). */
    stop?: Promise<string>;
    /** Sees standard output as it is written. */
    onOut?: (text: string) => void;
    /** Sees standard error as it is written. */
    onErr?: (text: string) => void;
  } = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (text) => {
      out += text;
      options.onOut?.(text);
    },
    err: (text) => {
      err += text;
      options.onErr?.(text);
    },
    env,
    isTTY: options.isTTY ?? false,
    stdin: options.stdin ?? new PassThrough(),
    stopRequested: options.stop ?? new Promise(() => undefined),
    cwd: options.cwd ?? process.cwd(),
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}
