import { Controller, HttpCode, Inject, Module, Post, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createDecipheriv, type KeyObject, verify } from 'node:crypto';
import type { Server } from 'node:http';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  MemoryIdempotencyStore,
  useWechatPayRawBody,
  WechatNotify,
  WechatPayModule,
  WechatPayload,
} from 'nestjs-wechatpay';
import { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { report } from './measure.js';
import { paidBenchOrder } from './paid-order.js';

const BARE_KEYS = 'BARE_KEYS';
interface BareKeys {
  platform: Map<string, KeyObject>;
  apiV3Key: Buffer;
}
let handled = 0;

@Controller()
class BenchController {
  constructor(@Inject(BARE_KEYS) private readonly keys: BareKeys) {}

  @Post('wechatpay/notify')
  @WechatNotify()
  ours(@WechatPayload() payload: unknown): void {
    if (payload) handled += 1;
  }

  /** The same checks written by hand with node:crypto: what a careful user would do. */
  @Post('bare/notify')
  @HttpCode(200)
  bare(@Req() req: { headers: Record<string, string>; rawBody: Buffer }): object {
    const h = req.headers;
    if (Math.abs(Date.now() / 1000 - Number(h['wechatpay-timestamp'])) >= 300)
      throw new Error('stale');
    const key = this.keys.platform.get(h['wechatpay-serial']!);
    const message = Buffer.concat([
      Buffer.from(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n`),
      req.rawBody,
      Buffer.from('\n'),
    ]);
    if (!key || !verify('sha256', message, key, Buffer.from(h['wechatpay-signature']!, 'base64'))) {
      throw new Error('bad signature');
    }
    const { resource } = JSON.parse(req.rawBody.toString()) as {
      resource: { ciphertext: string; nonce: string; associated_data: string };
    };
    const data = Buffer.from(resource.ciphertext, 'base64');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.keys.apiV3Key,
      Buffer.from(resource.nonce),
    );
    decipher.setAuthTag(data.subarray(-16));
    decipher.setAAD(Buffer.from(resource.associated_data));
    const plain = Buffer.concat([decipher.update(data.subarray(0, -16)), decipher.final()]);
    if (JSON.parse(plain.toString())) handled += 1;
    return { code: 'SUCCESS', message: '成功' };
  }
}

let simulator: WechatPaySimulator;
let app: Awaited<ReturnType<typeof NestFactory.create>>;
let url: string;

beforeAll(async () => {
  simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
  @Module({
    imports: [WechatPayModule.forRoot(simulator.moduleOptions())],
    controllers: [BenchController],
    providers: [
      {
        provide: BARE_KEYS,
        useValue: {
          platform: new Map([[simulator.platformSerial, simulator.platformPublicKey]]),
          apiV3Key: Buffer.from(simulator.merchant.apiV3Key),
        },
      },
    ],
  })
  class BenchModule {}
  app = await NestFactory.create(BenchModule, new ExpressAdapter(), { logger: false });
  useWechatPayRawBody(app);
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as { port: number }).port}`;
});
afterAll(async () => {
  await app.close();
  await simulator.stop();
});

/** Distinct, freshly signed notifications: every request is a new event for our route. */
function pool(size: number, tag: string) {
  const outTradeNo = paidBenchOrder(
    simulator,
    `BENCH${tag}${Date.now()}`.slice(0, 32),
    `${url}/wechatpay/notify`,
  );
  return Array.from({ length: size }, (_, i) => {
    const { body, headers } = simulator.signedTransactionNotification(outTradeNo, {
      id: `${tag}-${i}`,
    });
    return { body, headers };
  });
}

function load(path: string, requests: { body: string; headers: Record<string, string> }[]) {
  return new Promise<{ total: number; seconds: number; non2xx: number; errors: number }>(
    (resolve, reject) => {
      const worker = new Worker(new URL('./autocannon-worker.mjs', import.meta.url), {
        workerData: { url, path, pool: requests, connections: 32 },
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    },
  );
}

it('a @WechatNotify route keeps ≥ 0.90 of the throughput of a hand-written node:crypto route', async () => {
  // Warm up until the JIT settled on both paths (ours has more code to optimise).
  for (const tag of ['W1', 'W2']) {
    const warmUp = pool(1500, tag);
    await load('/bare/notify', warmUp);
    await load('/wechatpay/notify', warmUp);
  }
  // Pairs of runs on the same fresh events, in alternating order; the median pair ratio is
  // robust to the load spikes of a shared 2-core machine.
  const ratios: number[] = [];
  const rates = { ours: [] as number[], bare: [] as number[] };
  for (let pair = 0; pair < 7; pair++) {
    const requests = pool(2500, `P${pair}`);
    const order =
      pair % 2 === 0
        ? (['/bare/notify', '/wechatpay/notify'] as const)
        : (['/wechatpay/notify', '/bare/notify'] as const);
    const runs: Record<string, number> = {};
    for (const path of order) {
      const run = await load(path, requests);
      expect(run.non2xx + run.errors).toBe(0);
      runs[path] = run.total / run.seconds;
    }
    rates.bare.push(runs['/bare/notify']!);
    rates.ours.push(runs['/wechatpay/notify']!);
    ratios.push(runs['/wechatpay/notify']! / runs['/bare/notify']!);
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const value = median(ratios);
  report('notify-throughput', {
    ratio: value,
    ours_rps: Math.round(median(rates.ours)),
    bare_rps: Math.round(median(rates.bare)),
  });
  expect(handled).toBeGreaterThan(0);
  expect(value).toBeGreaterThanOrEqual(0.9);
});

it('MemoryIdempotencyStore stays bounded after 1,000,000 distinct events', async () => {
  const store = new MemoryIdempotencyStore();
  global.gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peakHeap = 0;
  let peakEntries = 0;
  for (let i = 0; i < 1_000_000; i++) {
    const claim = await store.claim(`1900000109:v3:EV-${i}`, 60_000);
    if (claim.status === 'claimed')
      await store.complete(`1900000109:v3:EV-${i}`, claim.token, 48 * 3_600_000);
    if (i % 10_000 === 0) {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - baseline);
      peakEntries = Math.max(peakEntries, store.size);
    }
  }
  peakEntries = Math.max(peakEntries, store.size);
  report('memory-store-1m-events', {
    peak_entries: peakEntries,
    max_entries: 100_000,
    peak_heap_mb: peakHeap / 1024 / 1024,
    ratio: peakEntries / 100_000,
  });
  expect(peakEntries).toBeLessThanOrEqual(100_000);
  expect(peakHeap).toBeLessThan(200 * 1024 * 1024);
});
