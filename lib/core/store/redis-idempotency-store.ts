import { randomUUID } from 'node:crypto';
import type { ClaimResult, IdempotencyStore } from './idempotency-store.js';

/**
 * The subset of an ioredis client this store uses. Any client with these methods works; the
 * package does not import ioredis itself (it is an optional peer).
 */
export interface RedisLikeClient {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<string | null>;
  get(key: string): Promise<string | null>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Options of {@link RedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /**
   * Prefix of every key.
   * @default 'wechatpay:notify:'
   */
  prefix?: string;
}

const DONE = 'done';

// Compare-and-set on the lease token, so a delivery whose lease expired cannot complete or
// release the claim a later delivery took over.
const COMPLETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], '${DONE}', 'PX', ARGV[2]) end return nil`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Idempotency shared by every instance through Redis: `SET NX PX` claims atomically, the lease
 * expires by itself if an instance dies mid-handler, and only the lease holder can complete or
 * release its claim.
 * @example
 * WechatPayModule.forRoot({ ...options, idempotencyStore: new RedisIdempotencyStore(new Redis(process.env.REDIS_URL)) });
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisLikeClient,
    options: RedisIdempotencyStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'wechatpay:notify:';
  }

  async claim(key: string, leaseMs: number): Promise<ClaimResult> {
    const token = `lease:${randomUUID()}`;
    const redisKey = this.prefix + key;
    if ((await this.redis.set(redisKey, token, 'PX', Math.ceil(leaseMs), 'NX')) === 'OK') {
      return { status: 'claimed', token };
    }
    const current = await this.redis.get(redisKey);
    if (current === DONE) return { status: 'done' };
    // The holder finished or released between our two calls: try once more.
    if (current === null) return this.claim(key, leaseMs);
    return { status: 'running' };
  }

  async extend(key: string, token: string, leaseMs: number): Promise<boolean> {
    return (await this.redis.eval(EXTEND, 1, this.prefix + key, token, Math.ceil(leaseMs))) === 1;
  }

  async complete(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (
      (await this.redis.eval(COMPLETE, 1, this.prefix + key, token, Math.ceil(ttlMs))) === 'OK'
    );
  }

  async release(key: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + key, token);
  }
}
