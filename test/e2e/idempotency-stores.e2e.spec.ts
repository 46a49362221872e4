import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import {
  type IdempotencyStore,
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
} from '../../lib/index.js';
import { RedisServer } from '../support/redis-server.js';

let server: RedisServer;
let client: Redis;
beforeAll(async () => {
  server = await new RedisServer().start();
  client = server.client();
});
afterAll(async () => {
  client.disconnect();
  await server.stop();
});

const stores: [string, () => IdempotencyStore][] = [
  ['MemoryIdempotencyStore', () => new MemoryIdempotencyStore()],
  [
    'RedisIdempotencyStore',
    () => new RedisIdempotencyStore(client, { prefix: `spec:${Math.random()}:` }),
  ],
];

describe.each(stores)('%s', (_name, create) => {
  it('claims once; others see running, then done after complete', async () => {
    const store = create();
    const first = await store.claim('e1', 10_000);
    expect(first.status).toBe('claimed');
    expect(await store.claim('e1', 10_000)).toEqual({ status: 'running' });
    await store.complete('e1', (first as { token: string }).token, 60_000);
    expect(await store.claim('e1', 10_000)).toEqual({ status: 'done' });
  });

  it('release lets the next claim run; only the holder can release or complete', async () => {
    const store = create();
    const first = (await store.claim('e2', 10_000)) as { token: string };
    await store.release('e2', 'someone-else');
    await store.complete('e2', 'someone-else', 60_000);
    expect(await store.claim('e2', 10_000)).toEqual({ status: 'running' });
    await store.release('e2', first.token);
    expect((await store.claim('e2', 10_000)).status).toBe('claimed');
  });

  it('an expired lease (a crashed instance) can be taken over, and the old holder can no longer complete', async () => {
    const store = create();
    const first = (await store.claim('e3', 50)) as { token: string };
    await new Promise((resolve) => setTimeout(resolve, 120));
    const second = await store.claim('e3', 10_000);
    expect(second.status).toBe('claimed');
    await store.complete('e3', first.token, 60_000);
    expect(await store.claim('e3', 10_000)).toEqual({ status: 'running' });
  });

  it('once its lease lapsed, a token can no longer complete, extend or release, even before anyone claims again', async () => {
    const store = create();
    const stale = (await store.claim('e6', 50)) as { token: string };
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.complete('e6', stale.token, 60_000)).toBe(false);
    expect(await store.extend('e6', stale.token, 10_000)).toBe(false);
    // Not done: the next delivery runs the handler, and a late release cannot undo its claim.
    const next = await store.claim('e6', 10_000);
    expect(next.status).toBe('claimed');
    await store.release('e6', stale.token);
    expect(await store.claim('e6', 10_000)).toEqual({ status: 'running' });
  });

  it('extend keeps a lease alive past its first expiry; complete and extend report a lost lease', async () => {
    const store = create();
    // Extended at once, then checked well past the first lease: a loaded machine may be slow
    // between calls, never early.
    const claim = (await store.claim('e5', 1000)) as { token: string };
    expect(await store.extend('e5', claim.token, 60_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(await store.claim('e5', 10_000)).toEqual({ status: 'running' });
    expect(await store.extend('e5', 'someone-else', 60_000)).toBe(false);
    expect(await store.complete('e5', 'someone-else', 60_000)).toBe(false);
    expect(await store.complete('e5', claim.token, 60_000)).toBe(true);
    expect(await store.extend('e5', claim.token, 60_000)).toBe(false);
  });

  it('100 concurrent claims of one event: exactly one wins', async () => {
    const store = create();
    const results = await Promise.all(
      Array.from({ length: 100 }, async () => store.claim('e4', 10_000)),
    );
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
  });
});

describe('MemoryIdempotencyStore bounds', () => {
  it('never holds more than maxEntries, forgetting the oldest finished events first', async () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 100 });
    const live = (await store.claim('live', 60_000)) as { token: string };
    for (let i = 0; i < 1000; i++) {
      const claim = (await store.claim(`e${i}`, 60_000)) as { token: string };
      await store.complete(`e${i}`, claim.token, 3_600_000);
    }
    expect(store.size).toBeLessThanOrEqual(100);
    expect(await store.claim('e999', 1000)).toEqual({ status: 'done' });
    expect(await store.claim('live', 1000)).toEqual({ status: 'running' });
    expect(live.token).toBeTruthy();
  });

  it('forgets a finished event after its TTL', async () => {
    let now = 1_000_000;
    const store = new MemoryIdempotencyStore({ now: () => now });
    const claim = (await store.claim('t', 1000)) as { token: string };
    await store.complete('t', claim.token, 5000);
    now += 4999;
    expect(await store.claim('t', 1000)).toEqual({ status: 'done' });
    now += 2;
    expect((await store.claim('t', 1000)).status).toBe('claimed');
  });
});
