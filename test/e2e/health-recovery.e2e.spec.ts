import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BullmqRecoveryScheduler,
  checkWechatPayHealth,
  resolveWechatPayConfig,
  WechatPayClient,
  type RecoveryStore,
  type WechatPayOptions,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { RedisServer } from '../support/redis-server.js';
import { NO_RECEIVER_NOTIFY_URL } from '../support/wechatpay-app.js';

// Long enough for a loaded machine's Redis to answer a healthy probe; a hung one is still
// reported "down" long before anything else would give up on it.
const DEADLINE_MS = 1000;
/** Slack above the deadline for a loaded machine; far below an unbounded wait. */
const SLACK_MS = 4000;
const quiet = { error: () => undefined };
const handlers = { handler: () => undefined };

let simulator: WechatPaySimulator;
beforeAll(async () => {
  simulator = await new WechatPaySimulator().start();
});
afterAll(async () => {
  await simulator.stop();
});

function clientWith(options: Partial<WechatPayOptions>): WechatPayClient {
  return new WechatPayClient(
    resolveWechatPayConfig({
      ...simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
      notificationStoreTimeoutMs: DEADLINE_MS,
      ...options,
    }),
    { error: () => undefined },
  );
}

describe('checkWechatPayHealth: the recovery scheduler', () => {
  it('has no recovery check when recovery is off', async () => {
    const client = clientWith({ recovery: false });
    try {
      const report = await checkWechatPayHealth(client);
      expect(report.checks).not.toHaveProperty('recovery');
    } finally {
      client.close();
    }
  });

  it('embedded: down until started, up while running with its store reachable, down once stopped', async () => {
    const client = clientWith({ recovery: true });
    try {
      const before = await checkWechatPayHealth(client);
      expect(before.healthy).toBe(false);
      expect(before.checks.recovery).toEqual({
        healthy: false,
        message: expect.stringContaining('not started'),
      });

      await client.recovery.start(handlers);
      const running = await checkWechatPayHealth(client);
      expect(running.checks.recovery).toMatchObject({
        healthy: true,
        latencyMs: expect.any(Number),
      });
      expect(running.healthy).toBe(running.checks.platformKeys!.healthy);

      await client.recovery.stop();
      const stopped = await checkWechatPayHealth(client);
      expect(stopped.checks.recovery).toMatchObject({ healthy: false });
    } finally {
      await client.recovery.stop();
      client.close();
    }
  });

  it('embedded: down within the store deadline when its store hangs', async () => {
    let hang = false;
    const tasks = new Map<string, unknown>();
    const store: RecoveryStore = {
      save: (task) => void tasks.set(task.id, task),
      remove: (id) => (hang ? new Promise<void>(() => undefined) : void tasks.delete(id)),
      list: () => [],
    };
    const client = clientWith({ recovery: true, recoveryStore: store });
    try {
      await client.recovery.start(handlers);
      expect((await checkWechatPayHealth(client)).checks.recovery!.healthy).toBe(true);
      hang = true;
      const started = Date.now();
      const report = await checkWechatPayHealth(client);
      expect(Date.now() - started).toBeLessThan(DEADLINE_MS + SLACK_MS);
      expect(report.healthy).toBe(false);
      expect(report.checks.recovery).toMatchObject({
        healthy: false,
        message: `the recovery store did not answer within ${DEADLINE_MS} ms`,
      });
    } finally {
      await client.recovery.stop();
      client.close();
    }
  });

  describe('BullMQ', () => {
    let redis: RedisServer;
    let queue: Queue;
    beforeAll(async () => {
      redis = await new RedisServer().start();
      queue = new Queue('health-recovery', {
        connection: { host: '127.0.0.1', port: redis.port },
      });
      queue.on('error', () => undefined); // the server is killed on purpose below
    });
    afterAll(async () => {
      await queue.close();
      await redis.stop();
    });

    it("is up while the worker runs, down within the deadline while the queue's Redis is killed, down once stopped", async () => {
      const scheduler = new BullmqRecoveryScheduler(queue, { logger: quiet });
      const client = clientWith({ recovery: true, recoveryScheduler: scheduler });
      try {
        await client.recovery.start(handlers);
        await expect
          .poll(async () => (await checkWechatPayHealth(client)).checks.recovery)
          .toMatchObject({ healthy: true, latencyMs: expect.any(Number) });

        await redis.kill();
        const started = Date.now();
        const down = await checkWechatPayHealth(client);
        expect(Date.now() - started).toBeLessThan(DEADLINE_MS + SLACK_MS);
        expect(down.checks.recovery).toMatchObject({
          healthy: false,
          message: expect.stringContaining("the recovery queue's Redis"),
        });
        await redis.restart();
        await expect
          .poll(async () => (await checkWechatPayHealth(client)).checks.recovery!.healthy)
          .toBe(true);

        await client.recovery.stop();
        expect((await checkWechatPayHealth(client)).checks.recovery).toEqual({
          healthy: false,
          message: expect.stringContaining('not started'),
        });
        expect(await scheduler.health(DEADLINE_MS)).toEqual({
          healthy: false,
          message: 'the recovery worker is not running',
        });
      } finally {
        await client.recovery.stop();
        client.close();
      }
    });
  });
});
