import type { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { migrate, MIGRATIONS } from './migrations.js';
import type { OrderDatabase, SqlQueryable } from './order-database.js';

/**
 * An embedded, in-memory PostgreSQL (PGlite) with the orders schema. Its initdb takes seconds
 * (many on a busy machine), so the first start saves the empty, migrated data directory in the
 * temporary directory and later starts (the demo again, each test file) load that copy. The
 * file's name changes with the PGlite build and the migrations, so a stale copy is never used.
 */
export async function openEmbeddedPostgres(): Promise<OrderDatabase> {
  // Loaded on demand: a deployment with DATABASE_URL never loads the WebAssembly build.
  const { PGlite } = await import('@electric-sql/pglite');
  const snapshot = await snapshotFile();
  let saved = await readFile(snapshot).catch(() => undefined);
  const db = saved
    ? // A copy that cannot be loaded (damaged on disk) is replaced.
      await PGlite.create({ loadDataDir: new Blob([saved]) }).catch(() => {
        saved = undefined;
        return PGlite.create();
      })
    : await PGlite.create();
  const database = wrap(db);
  try {
    await migrate(database); // nothing to do when loaded from the copy
    if (!saved) await save(db, snapshot);
  } catch (error) {
    await db.close();
    throw error;
  }
  return database;
}

function wrap(db: PGlite): OrderDatabase {
  const queryable = (target: Pick<PGlite, 'query'>): SqlQueryable => ({
    async query<Row>(sql: string, params: unknown[] = []) {
      const result = await target.query<Row>(sql, params);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
  });
  return {
    ...queryable(db),
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    close: () => db.close(),
  };
}

async function snapshotFile(): Promise<string> {
  const require = createRequire(import.meta.url);
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const key = createHash('sha256')
    .update(await readFile(manifest))
    .update(JSON.stringify(MIGRATIONS))
    .digest('hex')
    .slice(0, 16);
  return join(tmpdir(), 'nestjs-wechatpay-sample-app', `orders-pglite-${key}.tar`);
}

/** Best effort: without a copy the next start is just slower. */
async function save(db: PGlite, file: string): Promise<void> {
  try {
    const tarball = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
    await mkdir(dirname(file), { recursive: true });
    // Written aside, then renamed: a start running at the same time never reads half a file.
    const partial = `${file}.${process.pid}.${Date.now()}`;
    await writeFile(partial, tarball);
    await rename(partial, file);
  } catch {
    // a read-only temporary directory: start from scratch next time
  }
}
