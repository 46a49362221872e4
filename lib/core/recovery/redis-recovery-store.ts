import type { RecoveryTask } from './recovery.types.js';
import type { RecoveryStore } from './recovery-store.js';

/**
 * The subset of an ioredis client {@link RedisRecoveryStore} uses (the package does not import
 * ioredis itself).
 */
export interface RedisHashClient {
  hset(key: string, field: string, value: string): Promise<unknown>;
  hdel(key: string, field: string): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
}

/**
 * Tasks in one Redis hash, so a restarted instance resumes every schedule. With the embedded
 * scheduler only one instance should run recovery (several would each query every order; the
 * payment handler still runs once): use BullMQ for several instances.
 * @example
 * WechatPayModule.forRoot({ ...options, recovery: true, recoveryStore: new RedisRecoveryStore(new Redis(process.env.REDIS_URL)) });
 */
export class RedisRecoveryStore implements RecoveryStore {
  constructor(
    private readonly redis: RedisHashClient,
    /**
     * The hash's key.
     * @default 'wechatpay:recovery'
     */
    private readonly key = 'wechatpay:recovery',
  ) {}

  async save(task: RecoveryTask): Promise<void> {
    await this.redis.hset(this.key, task.id, JSON.stringify(task));
  }

  async remove(id: string): Promise<void> {
    await this.redis.hdel(this.key, id);
  }

  async list(): Promise<RecoveryTask[]> {
    const all = await this.redis.hgetall(this.key);
    return Object.values(all).map((text) => JSON.parse(text) as RecoveryTask);
  }
}
