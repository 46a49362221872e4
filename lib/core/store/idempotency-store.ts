/** What {@link IdempotencyStore.claim} found. */
export type ClaimResult =
  /** Nobody handled the event yet: it is ours until the lease ends. Keep the token. */
  | { status: 'claimed'; token: string }
  /** Another delivery holds an unexpired lease: it is being handled right now. */
  | { status: 'running' }
  /** A handler already finished it successfully. */
  | { status: 'done' };

/**
 * Remembers which notifications were handled, so a handler runs once per event however many
 * times, and on however many instances, WeChat Pay delivers it.
 *
 * An event is claimed with a lease before its handler runs, marked done only after the handler
 * succeeded, and released (so the next delivery runs it) when the handler failed. Implementations
 * must make `claim` atomic across every instance that shares the store.
 *
 * A store that answers from memory may return its answers directly instead of promises, as
 * `MemoryIdempotencyStore` does: the deduplicator then spends no timer and no turn of the event
 * loop on it. A store that waits for anything must return promises; each gets a deadline.
 */
export interface IdempotencyStore {
  /**
   * Atomically takes the event unless it is done or leased.
   * @param leaseMs how long the claim holds if it is never completed or released (a crash)
   */
  claim(key: string, leaseMs: number): Promise<ClaimResult> | ClaimResult;
  /**
   * Extends the lease of a running handler.
   * @returns false when `token` no longer holds the lease (it expired and another delivery took it)
   */
  extend(key: string, token: string, leaseMs: number): Promise<boolean> | boolean;
  /**
   * Marks a claimed event done for `ttlMs`.
   * @returns false, changing nothing, when `token` no longer holds the lease
   */
  complete(key: string, token: string, ttlMs: number): Promise<boolean> | boolean;
  /** Drops a claim so the next delivery runs the handler; only the holder's token can. */
  release(key: string, token: string): Promise<void> | void;
}
