/**
 * The value found, or the error `missing()` makes when there is none: the one lookup rule of the
 * test hooks (`simulator: no order …`) and of the routes (WeChat Pay's 404 and v2 error codes).
 */
export function findOrThrow<T>(found: T | undefined, missing: () => Error): T {
  if (found === undefined) throw missing();
  return found;
}
