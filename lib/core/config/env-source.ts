import { inspect } from 'node:util';

/**
 * The key under which `wechatPayOptionsFromEnv` records where its options came from. A symbol, so
 * it is no option and no JSON; enumerable, so `{ name: 'hk', ...wechatPayOptionsFromEnv() }`
 * keeps it.
 */
export const ENV_SOURCE = Symbol.for('nestjs-wechatpay.envSource');

/**
 * Which environment variable each option of a `wechatPayOptionsFromEnv` result was read from,
 * so a configuration error names the variable to fix, and only when the value did come from it.
 */
export class EnvSource {
  readonly #names: ReadonlyMap<string, string>;
  readonly #values: ReadonlyMap<string, unknown>;

  /**
   * @param names every option's variable, under the prefix that was read
   * @param values the values read (unset variables left out)
   */
  constructor(names: ReadonlyMap<string, string>, values: ReadonlyMap<string, unknown>) {
    this.#names = names;
    this.#values = values;
  }

  /**
   * The variable behind `option` as it is now: the one its value was read from, or the one that
   * would set it when it is unset; none when the code replaced the value read.
   */
  variableFor(option: string, value: unknown): string | undefined {
    const name = this.#names.get(option);
    if (name === undefined) return undefined;
    // Object.is: an unparsable number read from the environment is NaN, which === never matches.
    return value === undefined || Object.is(this.#values.get(option), value) ? name : undefined;
  }

  // The values read may be secrets: a logged options object shows only that they came from the environment.
  [inspect.custom](): string {
    return 'EnvSource';
  }
}

/** The {@link EnvSource} an options object carries, if it was read from the environment. */
export function envSourceOf(options: object): EnvSource | undefined {
  const source = (options as { [ENV_SOURCE]?: unknown })[ENV_SOURCE];
  return source instanceof EnvSource ? source : undefined;
}
