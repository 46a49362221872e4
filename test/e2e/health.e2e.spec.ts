import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisIdempotencyStore } from '../../lib/index.js';
import {
  WechatPayHealthIndicator,
  type WechatPayHealthIndicatorOptions,
} from '../../lib/nest/health/index.js';
import { WechatPayModule } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { RedisServer } from '../support/redis-server.js';
import { NO_RECEIVER_NOTIFY_URL } from '../support/wechatpay-app.js';

/** What the next health check passes to the indicator. */
const indicatorOptions: WechatPayHealthIndicatorOptions = {};

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly wechatPay: WechatPayHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.wechatPay.isHealthy('wechatpay', indicatorOptions)]);
  }
}

let redis: RedisServer;
let client: Redis;
let simulator: WechatPaySimulator;
let app: INestApplication;
let url = '';

beforeAll(async () => {
  redis = await new RedisServer().start();
  client = redis.client({ maxRetriesPerRequest: 0, enableOfflineQueue: false });
  client.on('error', () => undefined); // the server is killed on purpose below
  simulator = await new WechatPaySimulator().start();
  @Module({
    imports: [
      TerminusModule,
      WechatPayModule.forRoot(
        simulator.moduleOptions({
          notifyUrl: NO_RECEIVER_NOTIFY_URL,
          idempotencyStore: new RedisIdempotencyStore(client),
          // Room for a loaded machine's Redis to answer a healthy check in time.
          notificationStoreTimeoutMs: 1000,
        }),
      ),
    ],
    controllers: [HealthController],
    providers: [WechatPayHealthIndicator],
  })
  class AppModule {}
  app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  url = `${await app.getUrl()}/health`.replace('[::1]', '127.0.0.1');
});
afterAll(async () => {
  await app.close();
  client.disconnect();
  await simulator.stop();
  await redis.stop();
});

/** One indicator's details, check by check. */
type Checks = Record<string, { healthy?: boolean; message?: string } & Record<string, unknown>>;
/** Terminus's answer. */
interface HealthBody {
  status: string;
  info: Record<string, Checks>;
  error: Record<string, Checks>;
}

async function health(): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as HealthBody };
}

describe('WechatPayHealthIndicator on /health', () => {
  it('is up with valid platform certificates and a reachable store, and says so', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.info.wechatpay).toMatchObject({
      status: 'up',
      platformKeys: {
        healthy: true,
        publicKey: false,
        certificates: 1,
        certificatesValidUntil: expect.stringMatching(/^\d{4}-/),
        lastRefresh: { ok: true, at: expect.stringMatching(/^\d{4}-/) },
      },
      idempotencyStore: { healthy: true, latencyMs: expect.any(Number) },
    });
  });

  it('is down (503) while the Redis store is killed, within the store deadline, and up again once it is back', async () => {
    await redis.kill();
    const started = Date.now();
    const down = await health();
    // The 1 s store deadline, plus slack for a loaded machine: not a hang on the dead server.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    expect(down.body.error.wechatpay).toMatchObject({
      status: 'down',
      platformKeys: { healthy: true },
      idempotencyStore: { healthy: false, message: expect.stringContaining('idempotency store') },
    });
    await redis.restart();
    await expect.poll(async () => (await health()).status).toBe(200);
  });

  it('is down when the newest platform certificate expires within the margin', async () => {
    indicatorOptions.keyExpiryMarginMs = 100 * 365 * 24 * 3600 * 1000;
    try {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body.error.wechatpay!.platformKeys).toMatchObject({
        healthy: false,
        message: expect.stringContaining('expires within'),
      });
    } finally {
      delete indicatorOptions.keyExpiryMarginMs;
    }
  });

  it('runs the checks added to it (a scheduler, say), and is down when one is', async () => {
    indicatorOptions.checks = [
      { name: 'scheduler', check: () => ({ healthy: false, message: 'not started' }) },
    ];
    try {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body.error.wechatpay!.scheduler).toEqual({ healthy: false, message: 'not started' });
      expect(body.error.wechatpay!.idempotencyStore!.healthy).toBe(true);
    } finally {
      delete indicatorOptions.checks;
    }
  });
});
