import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WechatPayError } from '../core/errors.js';
import type { CliIo } from './cli-io.js';
import type { CliCommand } from './command.js';
import { CLI_COMMANDS } from './commands/index.js';
import { CliInputError, CliUsageError, EXIT } from './usage-error.js';

const BIN = 'nestjs-wechatpay';

function overview(): string {
  const width = Math.max(...CLI_COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${BIN} <command> [options]`,
    '',
    'Commands:',
    ...CLI_COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Every command takes --help, and --json for output a script can parse.`,
    `Exit codes: 0 done, 1 failed, 2 wrong usage.`,
    '',
  ].join('\n');
}

function commandHelp(command: CliCommand): string {
  return [
    `Usage: ${BIN} ${command.usage}`,
    '',
    command.help,
    '  --json                print JSON for scripts',
    '  --help                print this help',
    '',
  ].join('\n');
}

function version(): string {
  // The same relative path from lib/cli and from dist/cli.
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

/** parseArgs' own errors are usage errors: unknown option, missing value, stray argument. */
function parse(command: CliCommand, args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        ...command.options,
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) {
      throw new CliUsageError((error as Error).message, command.name);
    }
    throw error;
  }
}

/**
 * Runs `nestjs-wechatpay` with `argv` (without the node and script paths).
 * @returns the exit code: 0 done, 1 failed, 2 usage error
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return EXIT.ok;
  }
  if (name === '--version') {
    io.out(`${version()}\n`);
    return EXIT.ok;
  }
  const command = CLI_COMMANDS.find((c) => c.name === name);
  const json = args.includes('--json');
  try {
    if (!command) {
      throw new CliUsageError(
        name === undefined ? 'no command given' : `unknown command "${name}"`,
      );
    }
    const values = parse(command, args);
    if (values.help) {
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(values, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      const named = CLI_COMMANDS.find((c) => c.name === (error.command ?? command?.name));
      io.err(
        named
          ? `error: ${error.message}\nUsage: ${BIN} ${named.usage}\nRun \`${BIN} ${named.name} --help\` for details.\n`
          : `error: ${error.message}\n\n${overview()}`,
      );
      return EXIT.usage;
    }
    // The library's and CliInputError's messages say what to fix and never hold a secret; anything else is a bug.
    const message =
      error instanceof WechatPayError || error instanceof CliInputError
        ? error.message
        : `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    if (json) {
      io.out(
        `${JSON.stringify({ ok: false, error: { name: (error as Error).name, message } }, null, 2)}\n`,
      );
    }
    io.err(`error: ${message}\n`);
    return EXIT.failure;
  }
}
