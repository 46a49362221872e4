import { KeyObject } from 'node:crypto';
import {
  isArray,
  isBoolean,
  isByteLength,
  isIn,
  isInt,
  isNotEmpty,
  isString,
  matches,
  max,
  min,
} from 'class-validator';
import { isValidDomain } from '../http/domains.js';

/**
 * One check of an option's value, built on class-validator's validator functions. Messages name
 * the fix and never the value: several options are secrets.
 */
export interface OptionRule {
  readonly test: (value: unknown) => boolean;
  readonly message: string | ((value: unknown) => string);
}

const rule = (test: (value: unknown) => boolean, message: OptionRule['message']): OptionRule => ({
  test,
  message,
});

/** A string. */
export const string = (message: string) => rule(isString, message);

/** A string matching `pattern`. */
export const pattern = (regex: RegExp, message: string) =>
  rule((value) => matches(value as string, regex), message);

/** Not the empty string. */
export const notEmpty = (message: string) => rule(isNotEmpty, message);

/** A string of exactly `bytes` bytes (UTF-8). */
export const byteLength = (bytes: number, message: string) =>
  rule((value) => isByteLength(value, bytes, bytes), message);

/** One of `values`. */
export const oneOf = (values: readonly unknown[], message: string) =>
  rule((value) => isIn(value, values), message);

/** `true` or `false`. */
export const boolean = (message: string) => rule(isBoolean, message);

/** An array. */
export const list = (message: string) => rule(isArray, message);

/** An array of strings. */
export const eachString = (message: string) =>
  rule((value) => Array.isArray(value) && value.every(isString), message);

/** An array of strings matching `regex`. */
export const eachMatching = (regex: RegExp, message: string) =>
  rule(
    (value) => Array.isArray(value) && value.every((item) => matches(item as string, regex)),
    message,
  );

/** The path of a file: a non-empty string. */
export const path = (file: string) => [
  string(`must be the path of ${file}`),
  notEmpty(`must be the path of ${file}`),
];

/** PEM text (a non-blank string or a Buffer) or a parsed `KeyObject`. */
export const keyInput = (message: string) =>
  rule(
    (value) =>
      (typeof value === 'string' && value.trim() !== '') ||
      Buffer.isBuffer(value) ||
      value instanceof KeyObject,
    message,
  );

/** A Buffer. */
export const bytes = (message: string) => rule((value) => Buffer.isBuffer(value), message);

const domainHelp =
  'must be CHINA, CHINA2, HK, US or an absolute http(s) base URL without a path (e.g. the simulator URL)';

/** A WeChat Pay domain name or base URL. */
export const domain = () => rule(isValidDomain, domainHelp);

/** A WeChat Pay domain name or base URL, or `false`. */
export const domainOrFalse = () =>
  rule(
    (value) => value === false || isValidDomain(value),
    `${domainHelp}, or false to turn failover off`,
  );

/** Bounds of a duration option, each with the message that says why, when the default does not. */
interface MillisecondBounds {
  min: number;
  max?: number;
  tooLow?: string;
  tooHigh?: string;
}

/** A whole number of milliseconds within bounds. */
export const milliseconds = ({ min: lowest, max: highest, tooLow, tooHigh }: MillisecondBounds) => [
  rule(isInt, 'must be a whole number of milliseconds'),
  rule((value) => min(value, lowest), tooLow ?? `must be at least ${lowest} ms`),
  ...(highest === undefined
    ? []
    : [rule((value) => max(value, highest), tooHigh ?? `must be at most ${highest} ms`)]),
];

/** The methods of `methods` that `value` lacks (not functions on it). */
function missingMethods(value: object, methods: readonly string[]): string[] {
  return methods.filter(
    (method) => typeof (value as Record<string, unknown>)[method] !== 'function',
  );
}

/** Whether `value` is an object with every method of `methods`. */
function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && missingMethods(value, methods).length === 0;
}

/** The `IdempotencyStore` methods; all of them are called at run time. */
const STORE_METHODS = ['claim', 'extend', 'complete', 'release'];

/** An object with every `IdempotencyStore` method. */
export const idempotencyStore = () =>
  rule(
    (value) => hasMethods(value, STORE_METHODS),
    (value) =>
      typeof value === 'object' && value !== null
        ? `must implement IdempotencyStore: missing ${missingMethods(value, STORE_METHODS).join(', ')}`
        : 'must be an IdempotencyStore: an object with claim, extend, complete and release',
  );

/** A non-empty list of increasing whole numbers of milliseconds. */
export const increasingMilliseconds = (message: string) =>
  rule(
    (value) =>
      Array.isArray(value) &&
      value.length > 0 &&
      value.every(
        (item, index) =>
          isInt(item) &&
          (item as number) >= 0 &&
          (index === 0 || (item as number) > (value[index - 1] as number)),
      ),
    message,
  );

/** An object with `save`, `remove` and `list` (a `RecoveryStore`). */
export const recoveryStore = () =>
  rule(
    (value) => hasMethods(value, ['save', 'remove', 'list']),
    'must be a RecoveryStore: an object with save, remove and list (MemoryRecoveryStore, FileRecoveryStore, RedisRecoveryStore)',
  );

/** An object with `start`, `schedule` and `stop` (a `RecoveryScheduler`). */
export const recoveryScheduler = () =>
  rule(
    (value) => hasMethods(value, ['start', 'schedule', 'stop']),
    'must be a RecoveryScheduler: an object with start, schedule and stop (BullmqRecoveryScheduler)',
  );

/** An object with `start` and `stop` (a `ReconciliationScheduler`). */
export const reconciliationScheduler = () =>
  rule(
    (value) => hasMethods(value, ['start', 'stop']),
    'must be a ReconciliationScheduler: an object with start and stop (BullmqReconciliationScheduler)',
  );
