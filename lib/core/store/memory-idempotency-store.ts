import { randomBytes } from 'node:crypto';
import type { ClaimResult, IdempotencyStore } from './idempotency-store.js';

/** Options of {@link MemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /**
   * Most events remembered; the oldest are forgotten first. WeChat Pay stops redelivering after
   * about 24 hours, so this only needs to hold a day of notifications.
   * @default 100000
   */
  maxEntries?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

interface Entry {
  /** The lease holder's token; `undefined` once done. */
  token: string | undefined;
  expiresAt: number;
}

/**
 * The default store: one process, bounded in size and time. It answers synchronously (typed as
 * the interface is, so callers `await` it as any store). Enough for a single instance; use
 * `RedisIdempotencyStore` when several instances receive notifications.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  // Tokens only tell this process's own deliveries apart: a counter under a random prefix is
  // as unique as a UUID here, without drawing random bytes per claim.
  private readonly tokenPrefix = `${randomBytes(6).toString('hex')}:`;
  private claims = 0;

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Events currently remembered (leased or done). */
  get size(): number {
    return this.entries.size;
  }

  claim(key: string, leaseMs: number): ClaimResult | Promise<ClaimResult> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      return entry.token === undefined ? { status: 'done' } : { status: 'running' };
    }
    const token = this.tokenPrefix + (++this.claims).toString(36);
    this.set(key, { token, expiresAt: now + leaseMs }, entry !== undefined);
    return { status: 'claimed', token };
  }

  extend(key: string, token: string, leaseMs: number): boolean | Promise<boolean> {
    const entry = this.entries.get(key);
    if (entry?.token !== token || entry.expiresAt <= this.now()) return false;
    entry.expiresAt = this.now() + leaseMs;
    return true;
  }

  complete(key: string, token: string, ttlMs: number): boolean | Promise<boolean> {
    // A lapsed lease is no longer the holder's, even before another delivery claims the event:
    // the late result of a given-up handler must not mark it done.
    const entry = this.entries.get(key);
    if (entry?.token !== token || entry.expiresAt <= this.now()) return false;
    // Updated in place: the event keeps its place in the eviction order, that of its claim.
    entry.token = undefined;
    entry.expiresAt = this.now() + ttlMs;
    return true;
  }

  release(key: string, token: string): void | Promise<void> {
    if (this.entries.get(key)?.token === token) this.entries.delete(key);
  }

  private set(key: string, entry: Entry, known: boolean): void {
    // Re-inserting moves the key to the end, so Map order is oldest-first for eviction.
    if (known) this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.evict();
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      // Expired entries and finished events go first; a live lease is kept when possible.
      if (entry.expiresAt <= now || entry.token === undefined) this.entries.delete(key);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
