import type { IdempotencyStore } from '../store/idempotency-store.js';

/** Timings of {@link NotificationDeduplicator}. */
export interface DeduplicationOptions {
  /**
   * How long a delivery may hold an event while its handler runs; after that (a crash, a hung
   * handler) a later delivery may run it. Keep handlers well below this.
   * @default 60000
   */
  leaseMs?: number;
  /**
   * How long a handled event is remembered. WeChat Pay retries for about 24 hours.
   * @default 172800000 (48 h)
   */
  doneTtlMs?: number;
}

/** What to do with one delivery. */
export type DeliveryDecision =
  | { action: 'run'; token: string }
  /** Already handled: acknowledge without running the handler. */
  | { action: 'acknowledge' }
  /** Being handled by a concurrent delivery: fail it, so WeChat Pay delivers it again later. */
  | { action: 'retry-later' };

/**
 * Exactly-once in effect on top of an {@link IdempotencyStore}: claim before the handler,
 * complete after it succeeded, release after it failed.
 */
export class NotificationDeduplicator {
  readonly leaseMs: number;
  readonly doneTtlMs: number;

  constructor(
    readonly store: IdempotencyStore,
    options: DeduplicationOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.doneTtlMs = options.doneTtlMs ?? 48 * 3_600_000;
  }

  async begin(key: string): Promise<DeliveryDecision> {
    const claim = await this.store.claim(key, this.leaseMs);
    if (claim.status === 'claimed') return { action: 'run', token: claim.token };
    return claim.status === 'done' ? { action: 'acknowledge' } : { action: 'retry-later' };
  }

  /**
   * Keeps renewing the lease while a handler runs, so a slow handler is not taken over by a
   * redelivery. Call the returned function when the handler settled.
   * @param onLost told once if the lease could not be renewed (another delivery may run too)
   */
  keepAlive(key: string, token: string, onLost: () => void): () => void {
    let lost = false;
    const timer = setInterval(
      () => {
        this.store.extend(key, token, this.leaseMs).then(
          (held) => {
            if (!held && !lost) {
              lost = true;
              onLost();
            }
          },
          () => undefined, // a store hiccup: the next tick tries again
        );
      },
      Math.max(250, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  /** @returns false when the lease had been lost before the handler finished */
  succeed(key: string, token: string): Promise<boolean> {
    return this.store.complete(key, token, this.doneTtlMs);
  }

  fail(key: string, token: string): Promise<void> {
    return this.store.release(key, token);
  }
}
