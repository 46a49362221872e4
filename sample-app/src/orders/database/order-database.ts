import { openEmbeddedPostgres } from './embedded-postgres.js';
import { migrate } from './migrations.js';

/** The rows a statement answered, and how many rows it changed (UPDATE, INSERT, DELETE). */
export interface SqlResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** Runs one parameterized statement (`$1`, `$2`…). */
export interface SqlQueryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<Row>>;
}

/**
 * The orders' PostgreSQL: the embedded one (PGlite) or a server (node-postgres). Both speak the
 * same SQL, so the repository has one implementation.
 */
export interface OrderDatabase extends SqlQueryable {
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens the orders' database and brings its schema up to date: a PostgreSQL server when
 * `databaseUrl` is set (`postgres://user:password@host:5432/db`), else an embedded, in-memory
 * PostgreSQL (PGlite), so that the demo needs no set-up (its orders end with the process).
 */
export async function openOrderDatabase(databaseUrl?: string): Promise<OrderDatabase> {
  if (!databaseUrl) return openEmbeddedPostgres();
  const database = await openPostgresServer(databaseUrl);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function openPostgresServer(databaseUrl: string): Promise<OrderDatabase> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: databaseUrl });
  // An idle connection the server dropped must not crash the app: the next query reconnects.
  pool.on('error', () => {});
  const queryable = (target: Pick<InstanceType<typeof pg.Pool>, 'query'>): SqlQueryable => ({
    async query<Row>(sql: string, params: unknown[] = []) {
      const result = await target.query(sql, params);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
  });
  try {
    await pool.query('SELECT 1'); // fail at start-up, with the server's reason, not at the first order
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    ...queryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
