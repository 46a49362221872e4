/** A command line the CLI cannot run: wrong command, option or value. Exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';

  /**
   * @param message what is wrong and what to type instead
   * @param command the command whose usage to show (none: the list of commands)
   */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** Exit codes by convention: success, failure, usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Input the command read that it cannot use (e.g. a malformed line of a file). Exit code 1. */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}
