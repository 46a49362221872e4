import type { OptionRule } from './option-rules.js';

/**
 * An environment variable that sets an option, and how its text becomes the option's value.
 * The text reaches `parse` trimmed and never empty: unset and empty variables are left out.
 */
export interface EnvVariable<T> {
  readonly name: `WECHATPAY_${string}`;
  readonly parse: (text: string) => T;
}

/**
 * Everything about one option but its doc, which is the JSDoc written on the declaration (the
 * options type, editors and the README table all show it).
 */
export interface OptionDeclaration<T> {
  /** Where `wechatPayOptionsFromEnv` reads it; none for values only code can give (objects, bytes). */
  readonly env?: EnvVariable<T>;
  /** The value used when the option is not given; absent when the default depends on other options. */
  readonly default?: T;
  /** Start-up fails without it. */
  readonly required?: true;
  /** Never shown: not in `WechatPayConfig`'s public fields, marked in the README. */
  readonly secret?: true;
  /** `WechatPayConfig` has a field of the same name holding the value as given, default filled. */
  readonly copy?: true;
  /** Checked in order when the value is given (or always, if required); the first failure is reported. */
  readonly rules: readonly OptionRule[];
}

declare const VALUE: unique symbol;

/** Carries an option's value type, which the declaration's fields cannot always spell. */
export interface Typed<T> {
  readonly [VALUE]?: T;
}

/**
 * Declares an option of type `T`: `option<number>()({ ... })`. Curried so that `T` is written
 * once while the declaration's own shape (default given? required?) is still inferred.
 */
export function option<T>() {
  return <const D extends OptionDeclaration<T>>(declaration: D): D & Typed<T> => declaration;
}

/** The value type of a declaration. */
export type ValueOf<D> = D extends Typed<infer T> ? T : never;

/** The keys of `Ds` whose declaration matches `Flag`. */
export type KeysWhere<Ds, Flag> = { [K in keyof Ds]: Ds[K] extends Flag ? K : never }[keyof Ds];

/**
 * The required options of a declarations object, with their value types. Homomorphic mapped
 * types (`Pick`, `Partial`) keep each property's link to its declaration, so editors show the
 * JSDoc written there.
 */
export type RequiredOptionsOf<Ds> = Pick<ValuesOf<Ds>, KeysWhere<Ds, { required: true }>>;

/** The optional options of a declarations object, with their value types. */
export type OptionalOptionsOf<Ds> = Partial<Omit<ValuesOf<Ds>, KeysWhere<Ds, { required: true }>>>;

type ValuesOf<Ds> = { -readonly [K in keyof Ds]: ValueOf<Ds[K]> };

/** The value an option has once its default is filled in. */
export type ResolvedValueOf<D> = D extends { default: unknown } | { required: true }
  ? ValueOf<D>
  : ValueOf<D> | undefined;

/** The options with a declared default, which is filled in. */
export type WithDefaults<Ds, Options> = Options & {
  [K in KeysWhere<Ds, { default: unknown }>]-?: ValueOf<Ds[K]>;
};

/** The fields a resolved configuration copies from the options (`copy: true`; never a secret). */
export type CopiesOf<Ds> = {
  readonly [
    K in keyof Ds as Ds[K] extends { copy: true }
      ? Ds[K] extends { secret: true }
        ? never
        : K
      : never
  ]: ResolvedValueOf<Ds[K]>;
};

const read =
  <T>(parse: (text: string) => T) =>
  (name: `WECHATPAY_${string}`): EnvVariable<T> => ({ name, parse });

/** Environment readers, one per kind of value. */
export const fromEnv = {
  /** The text as it is. */
  text: read((text) => text),
  /** PEM text: `\n` escapes become newlines, as secret stores often keep PEM on one line. */
  pem: read((text) => text.replace(/\\n/g, '\n')),
  /** A number; anything else becomes `NaN`, which validation names. */
  integer: read(Number),
  /** `true`; anything else is false. */
  boolean: read((text) => text === 'true'),
  /** A comma-separated list; blank items are dropped. */
  list: read((text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
  /** A domain name or URL, or `false`. */
  domainOrFalse: read((text): string | false => (text === 'false' ? false : text)),
  /** One of a set of words; validation rejects any other. */
  oneOf: <T extends string>(name: `WECHATPAY_${string}`) => read((text) => text as T)(name),
};
