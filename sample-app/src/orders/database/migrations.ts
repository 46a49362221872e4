import type { OrderDatabase } from './order-database.js';

/**
 * The orders schema, one step per entry, applied in order at start-up and recorded in
 * `schema_migrations`: never edit a step that has shipped, add the next one.
 */
export const MIGRATIONS: readonly { id: string; statements: readonly string[] }[] = [
  {
    id: '001_orders',
    statements: [
      `CREATE TABLE orders (
        -- out_trade_no. COLLATE "C": code-point order, the order reconciliation reads them in.
        id             text COLLATE "C" PRIMARY KEY,
        product_id     text NOT NULL,
        product        text NOT NULL,
        total          integer NOT NULL CHECK (total > 0), -- fen
        status         text NOT NULL CHECK (status IN
                         ('CREATED', 'PAID', 'REFUNDING', 'REFUNDED', 'REFUND_ABNORMAL', 'CLOSED')),
        api            text NOT NULL CHECK (api IN ('v3', 'v2')),
        merchant       text,
        code_url       text,
        transaction_id text,
        refund_no      text,
        refund_nos     text[] NOT NULL DEFAULT '{}',
        anomalies      text[] NOT NULL DEFAULT '{}',
        history        text[] NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        -- When WeChat Pay took the money (the transaction's success time, else when we learnt it).
        paid_at        timestamptz
      )`,
      'CREATE INDEX orders_paid_at ON orders (paid_at)',
      // Every refund requested, for reconciliation: the bill lists a refund on the day it was made.
      `CREATE TABLE order_refunds (
        out_refund_no text PRIMARY KEY,
        order_id      text COLLATE "C" NOT NULL REFERENCES orders (id),
        amount        integer NOT NULL CHECK (amount > 0), -- fen
        created_at    timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX order_refunds_order_id ON order_refunds (order_id)',
      'CREATE INDEX order_refunds_created_at ON order_refunds (created_at)',
    ],
  },
  {
    id: '002_recovery_tasks',
    statements: [
      // The library's missed-notification recovery schedule (SqlRecoveryStore): one row per
      // watched order, so a restart resumes it. The task is the library's JSON, kept whole.
      `CREATE TABLE recovery_tasks (
        id         text COLLATE "C" PRIMARY KEY, -- <mchid>[:<sub_mchid>]:<version>:<out_trade_no>
        task       jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
];

/** Any constant, the same in every instance: one instance migrates while the others wait. */
const MIGRATION_LOCK = 7_462_031;

/** Applies the steps this database has not had yet, in one transaction (each statement on its own: PGlite runs one per query). */
export async function migrate(database: OrderDatabase): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.id));
    for (const step of MIGRATIONS) {
      if (applied.has(step.id)) continue;
      for (const statement of step.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [step.id]);
    }
  });
}
