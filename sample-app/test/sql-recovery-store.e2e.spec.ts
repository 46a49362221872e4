import { EmbeddedRecoveryScheduler, type RecoveryTask } from 'nestjs-wechatpay';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OrderDatabase, openOrderDatabase } from '../src/orders/database/order-database.js';
import { SqlRecoveryStore } from '../src/recovery/sql-recovery-store.js';
import { type PostgresServer, startPostgresServer } from './postgres-server.js';

// The RecoveryStore contract (lib/core/recovery/recovery-store.ts) on the sample app's database:
// what the library's embedded scheduler relies on to resume every schedule after a restart.

let server: PostgresServer | undefined;
const opened: OrderDatabase[] = [];
afterAll(async () => {
  for (const database of opened) await database.close();
  await server?.stop();
});

async function serverUrl(): Promise<string> {
  server ??= await startPostgresServer();
  return server.url;
}

async function open(url?: string): Promise<OrderDatabase> {
  const database = await openOrderDatabase(url);
  opened.push(database);
  return database;
}

const backends = [
  { backend: 'embedded PostgreSQL (PGlite)', open: () => open() },
  { backend: 'a PostgreSQL server (DATABASE_URL)', open: async () => open(await serverUrl()) },
];

/** A task as the library writes it, every optional field set. */
function task(outTradeNo: string, overrides: Partial<RecoveryTask> = {}): RecoveryTask {
  return {
    id: `1900000109:1900000110:v3:${outTradeNo}`,
    version: 'v3',
    mchid: '1900000109',
    subMchid: '1900000110',
    outTradeNo,
    createdAt: 1_780_000_000_123,
    expiresAt: 1_780_007_200_123,
    attempt: 3,
    dueAt: 1_780_000_060_456,
    closing: false,
    failures: 1,
    lastState: 'NOTPAY',
    step: 4,
    ...overrides,
  };
}

describe.each(backends)('SqlRecoveryStore on $backend', ({ open }) => {
  let database: OrderDatabase;
  let store: SqlRecoveryStore;
  beforeAll(async () => {
    database = await open();
  });
  beforeEach(async () => {
    await database.query('TRUNCATE recovery_tasks');
    store = new SqlRecoveryStore(database);
  });

  it('keeps a task exactly as saved, and another store over the same database (a restarted app) lists it', async () => {
    const saved = task('RS-EXACT');
    const minimal: RecoveryTask = {
      id: '1900000109:v2:RS-MINIMAL',
      version: 'v2',
      mchid: '1900000109',
      outTradeNo: 'RS-MINIMAL',
      createdAt: 1_780_000_000_000,
      expiresAt: 1_780_000_072_000,
      attempt: 0,
      dueAt: 1_780_000_000_150,
    };
    await store.save(saved);
    await store.save(minimal);
    expect(await new SqlRecoveryStore(database).list()).toStrictEqual([saved, minimal]); // by id
  });

  it('replaces a task saved again under its id (one row, the newest step)', async () => {
    await store.save(task('RS-REPLACE'));
    const next = task('RS-REPLACE', { attempt: 4, step: 5, closing: true, lastState: 'CLOSED' });
    await store.save(next);
    expect(await store.list()).toStrictEqual([next]);
  });

  it('forgets only the task removed; removing an unknown task does nothing', async () => {
    await store.save(task('RS-KEEP'));
    await store.save(task('RS-DROP'));
    await store.remove(task('RS-DROP').id);
    await store.remove('1900000109:v3:RS-NEVER-SAVED');
    expect(await store.list()).toStrictEqual([task('RS-KEEP')]);
  });

  it("lists every merchant's tasks (the registrations share the table)", async () => {
    const other = task('RS-OTHER', { id: '1900000111:v3:RS-OTHER', mchid: '1900000111' });
    delete other.subMchid;
    await store.save(task('RS-MAIN'));
    await store.save(other);
    expect((await store.list()).map((kept) => kept.mchid).sort()).toEqual([
      '1900000109',
      '1900000111',
    ]);
  });

  it("the library's scheduler resumes a saved task from it, forgets it when done, and reports it healthy", async () => {
    const due = task('RS-RESUME', { dueAt: Date.now() - 1000 });
    await store.save(due);
    const stepped: RecoveryTask[] = [];
    const scheduler = new EmbeddedRecoveryScheduler({ store: new SqlRecoveryStore(database) });
    try {
      await scheduler.start((resumed) => {
        stepped.push(resumed);
        return Promise.resolve(undefined); // its recovery ended
      });
      await until(async () => stepped.length === 1 && (await store.list()).length === 0);
      expect(stepped).toStrictEqual([due]);
      // The health probe removes an id no task can have (it holds U+0000).
      expect(await scheduler.health(5000)).toMatchObject({ healthy: true });
    } finally {
      await scheduler.stop();
    }
  });
});

describe('SqlRecoveryStore on a PostgreSQL server', () => {
  it('keeps the tasks when the database is closed and opened again (a restart of the process)', async () => {
    const url = await serverUrl();
    const first = await openOrderDatabase(url);
    try {
      await first.query('TRUNCATE recovery_tasks');
      await new SqlRecoveryStore(first).save(task('RS-REOPEN'));
    } finally {
      await first.close();
    }
    const reopened = await open(url);
    expect(await new SqlRecoveryStore(reopened).list()).toStrictEqual([task('RS-REOPEN')]);
  });
});

/** Waits for `condition`, polling, for 10 s at most. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met within 10 s');
}
