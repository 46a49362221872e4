import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './cli-io.js';

/** The options of a command, as `node:util` `parseArgs` declares them. */
export type CliOptions = NonNullable<ParseArgsConfig['options']>;

/** The option values `parseArgs` read. */
export type CliValues = Record<string, string | boolean | undefined>;

/** One `nestjs-wechatpay <command>`. */
export interface CliCommand {
  /** What follows `nestjs-wechatpay`. */
  name: string;
  /** One line for the list of commands. */
  summary: string;
  /** The synopsis, without `nestjs-wechatpay`. */
  usage: string;
  /** What `--help` prints after the synopsis: what it does, then each option. */
  help: string;
  /** Its options; `--help` and `--json` are added to every command. */
  options: CliOptions;
  /**
   * Runs it.
   * @returns the exit code: 0 done, 1 failed (the reason written to `io`)
   * @throws CliUsageError for a value the command cannot use (exit code 2)
   */
  run: (values: CliValues, io: CliIo) => Promise<number>;
}

/** A string option's value, or undefined. */
export function stringValue(values: CliValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Writes `value` as one JSON document, or `text` when `--json` was not given. */
export function report(io: CliIo, values: CliValues, value: unknown, text: () => string): void {
  io.out(values.json ? `${JSON.stringify(value, null, 2)}\n` : text());
}
