/** A call's outcome: its value, or what it threw or rejected with. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `fn`, turning a synchronous throw, a rejection or a value into one settled result:
 * synchronously when `fn` returned no promise.
 */
export function settle<T>(fn: () => PromiseLike<T> | T): Settled<T> | Promise<Settled<T>> {
  let value: PromiseLike<T> | T;
  try {
    value = fn();
  } catch (error) {
    return { ok: false, error };
  }
  if (!isThenable(value)) return { ok: true, value };
  return Promise.resolve(value).then(
    (result) => ({ ok: true, value: result }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** Whether `value` is a promise or another thenable, to await only what needs awaiting. */
export function isThenable<T>(value: PromiseLike<T> | T): value is PromiseLike<T> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
