import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IdempotencyStore, MemoryIdempotencyStore } from '../../../../lib/index.js';
import { NotificationDeduplicator } from '../../../../lib/core/notify/notification-deduplicator.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whatever escapes to the process: an uncaught exception or an unhandled rejection would crash it. */
let escaped: unknown[];
const onEscape = (error: unknown) => escaped.push(error);
beforeEach(() => {
  escaped = [];
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
});
afterEach(() => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
});

function capture() {
  const lines: { level: 'warn' | 'error'; message: string }[] = [];
  return {
    lines,
    logger: {
      warn: (message: string) => lines.push({ level: 'warn', message }),
      error: (message: string) => lines.push({ level: 'error', message }),
    },
  };
}

/** A memory store with some methods replaced. */
function storeWith(
  overrides: Partial<Record<keyof IdempotencyStore, unknown>>,
  memory = new MemoryIdempotencyStore(),
): IdempotencyStore {
  const store = {
    claim: (key: string, leaseMs: number) => memory.claim(key, leaseMs),
    extend: (key: string, token: string, leaseMs: number) => memory.extend(key, token, leaseMs),
    complete: (key: string, token: string, ttlMs: number) => memory.complete(key, token, ttlMs),
    release: (key: string, token: string) => memory.release(key, token),
  };
  return { ...store, ...overrides } as IdempotencyStore;
}

describe('NotificationDeduplicator keep-alive', () => {
  it.each<[string, unknown]>([
    ['missing', undefined],
    [
      'throwing synchronously',
      () => {
        throw new Error('driver bug');
      },
    ],
    ['rejecting', () => Promise.reject(new Error('connection reset'))],
  ])(
    'a store whose extend is %s cannot crash the process from the timer; it is logged',
    async (_case, extend) => {
      const { lines, logger } = capture();
      // The store's clock stands still: its lease cannot lapse however late a loaded machine
      // runs the renewal timer (which uses real time).
      const frozen = new MemoryIdempotencyStore({ now: () => 0 });
      const dedup = new NotificationDeduplicator(storeWith({ extend }, frozen), {
        leaseMs: 1000,
        logger,
      });
      const claim = (await dedup.begin('k')) as { token: string };
      const stop = dedup.keepAlive('k', claim.token, () => undefined);
      await sleep(800); // two renewals (every leaseMs / 3)
      stop();
      expect(escaped).toEqual([]);
      expect(lines.some((l) => l.level === 'warn' && /renew/.test(l.message))).toBe(true);
      // The claim is still the holder's to complete.
      expect(await dedup.succeed('k', claim.token)).toBe(true);
    },
  );

  it('an onLost callback that throws cannot crash the process either', async () => {
    const { logger } = capture();
    const dedup = new NotificationDeduplicator(
      storeWith({ extend: () => Promise.resolve(false) }),
      { leaseMs: 1000, logger },
    );
    const claim = (await dedup.begin('k')) as { token: string };
    const stop = dedup.keepAlive('k', claim.token, () => {
      throw new Error('careless callback');
    });
    await sleep(450);
    stop();
    expect(escaped).toEqual([]);
  });
});

describe('NotificationDeduplicator.run: a bounded handler time', () => {
  it('gives up a handler that never settles, stops renewing, and lets a later delivery run it', async () => {
    const { lines, logger } = capture();
    let renewals = 0;
    // The store's clock moves only when told, so the lease lapses when the test says, not when a
    // loaded machine happens to be late with a renewal; the deduplicator's timers are real.
    let now = 0;
    const memory = new MemoryIdempotencyStore({ now: () => now });
    const store = storeWith(
      {
        extend: (key: string, token: string, leaseMs: number) => {
          renewals += 1;
          return memory.extend(key, token, leaseMs);
        },
      },
      memory,
    );
    const dedup = new NotificationDeduplicator(store, {
      leaseMs: 300,
      handlerTimeoutMs: 1500, // several renewals (every 250 ms) even if a loaded machine lags
      logger,
    });
    const started = Date.now();
    const outcome = await dedup.run('k', () => new Promise<never>(() => undefined));
    expect(outcome).toEqual({ status: 'handler-timed-out' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1490);
    expect(Date.now() - started).toBeLessThan(5000); // slack for a loaded machine
    expect(lines).toContainEqual({
      level: 'error',
      message: expect.stringMatching(/did not settle within 1500 ms/),
    });
    const renewed = renewals;
    expect(renewed).toBeGreaterThanOrEqual(2); // kept alive until the bound…
    expect(await dedup.begin('k')).toEqual({ action: 'retry-later' });
    await sleep(700);
    expect(renewals).toBe(renewed); // …and not after
    now += 1000; // past the lease (300 ms from its last renewal)
    const next = await dedup.run('k', () => 'paid');
    expect(next).toEqual({ status: 'handled', result: 'paid', recorded: true });
  });

  it('records the late success of a given-up handler only while its lease has not lapsed', async () => {
    const { lines, logger } = capture();
    // The store's clock moves only when told: "within" and "after" the lease are the test's.
    let now = 0;
    const dedup = new NotificationDeduplicator(new MemoryIdempotencyStore({ now: () => now }), {
      leaseMs: 400,
      handlerTimeoutMs: 300,
      logger,
    });
    let finish!: () => void;
    const slow = () => new Promise<void>((resolve) => (finish = resolve));

    expect(await dedup.run('early', slow)).toEqual({ status: 'handler-timed-out' });
    finish(); // within the 400 ms lease
    await sleep(50);
    expect(await dedup.begin('early')).toEqual({ action: 'acknowledge' });

    expect(await dedup.run('late', slow)).toEqual({ status: 'handler-timed-out' });
    now += 1000; // the lease lapsed
    finish();
    await sleep(50);
    expect((await dedup.begin('late')).action).toBe('run');
    expect(lines.filter((l) => /given-up/.test(l.message)).map((l) => l.message)).toEqual([
      expect.stringMatching(/before its lease lapsed: recorded/),
      expect.stringMatching(/after its lease lapsed: not recorded/),
    ]);
  });
});

describe('NotificationDeduplicator.run: a deadline on every store call', () => {
  const never = () => new Promise<never>(() => undefined);

  it('answers store-unavailable when the claim does not answer in time, without running the handler; a late claim is released', async () => {
    const { logger } = capture();
    const memory = new MemoryIdempotencyStore();
    let grant!: () => void;
    const store = storeWith(
      {
        claim: (key: string, leaseMs: number) =>
          new Promise<unknown>((resolve) => (grant = () => resolve(memory.claim(key, leaseMs)))),
      },
      memory,
    );
    const dedup = new NotificationDeduplicator(store, { storeTimeoutMs: 200, logger });
    let ran = false;
    const started = Date.now();
    const outcome = await dedup.run('k', () => (ran = true));
    // The 200 ms deadline, not the store (or the 2 s default); slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(outcome).toMatchObject({
      status: 'store-unavailable',
      error: { name: 'WechatPayStoreError', operation: 'claim', timedOut: true },
    });
    expect(ran).toBe(false);
    grant(); // the store comes back and grants the claim nobody waits for
    await sleep(20);
    expect((await memory.claim('k', 1000)).status).toBe('claimed');
  });

  it.each([
    ['a claim that throws', { claim: () => Promise.reject(new Error('ECONNREFUSED')) }],
    ['a claim with an unusable answer', { claim: () => Promise.resolve('OK') }],
  ])('answers store-unavailable for %s', async (_case, overrides) => {
    const { logger } = capture();
    const dedup = new NotificationDeduplicator(storeWith(overrides), { logger });
    expect(await dedup.run('k', () => 'x')).toMatchObject({
      status: 'store-unavailable',
      error: { operation: 'claim', timedOut: false },
    });
  });

  it('acknowledges a handler that ran even when complete does not answer in time', async () => {
    const { lines, logger } = capture();
    const dedup = new NotificationDeduplicator(storeWith({ complete: never }), {
      storeTimeoutMs: 200,
      logger,
    });
    const started = Date.now();
    expect(await dedup.run('k', () => 'paid')).toEqual({
      status: 'handled',
      result: 'paid',
      recorded: false,
    });
    // The 200 ms deadline, not the store (or the 2 s default); slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(lines).toContainEqual({
      level: 'error',
      message: expect.stringMatching(
        /could not be recorded .*complete did not answer within 200 ms/,
      ),
    });
  });

  it('answers handler-failed in time when release does not answer', async () => {
    const { logger } = capture();
    const dedup = new NotificationDeduplicator(storeWith({ release: never }), {
      storeTimeoutMs: 200,
      logger,
    });
    const failure = new Error('database unavailable');
    const started = Date.now();
    expect(
      await dedup.run('k', () => {
        throw failure;
      }),
    ).toEqual({ status: 'handler-failed', error: failure });
    // The 200 ms deadline, not the store (or the 2 s default); slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
