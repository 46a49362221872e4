import type { RecoveryStore, RecoveryTask } from 'nestjs-wechatpay';
import type { SqlQueryable } from '../orders/database/order-database.js';

/**
 * The library's missed-notification recovery schedule in the orders' database (table
 * `recovery_tasks`), so that a restart of the app resumes every watched order, as the orders
 * themselves survive it. One row per order, replaced after each step and deleted when its
 * recovery ended. The registrations (merchants) share the table: each resumes only its own
 * merchant's tasks. Like `RedisRecoveryStore`, it serves the embedded scheduler of one app
 * instance: several instances would each query every order (the payment handler still runs
 * once), so several use BullMQ instead.
 */
export class SqlRecoveryStore implements RecoveryStore {
  constructor(private readonly database: SqlQueryable) {}

  async save(task: RecoveryTask): Promise<void> {
    // ::text::jsonb: both drivers send the parameter as text, so the JSON is never encoded twice.
    await this.database.query(
      `INSERT INTO recovery_tasks (id, task) VALUES ($1, $2::text::jsonb)
       ON CONFLICT (id) DO UPDATE SET task = EXCLUDED.task, updated_at = now()`,
      [task.id, JSON.stringify(task)],
    );
  }

  async remove(id: string): Promise<void> {
    if (id.includes('\u0000')) {
      // PostgreSQL text cannot hold U+0000, so no task has this id (the scheduler's health probe
      // uses one); the table is still read, so that the probe checks the database.
      await this.database.query('SELECT 1 FROM recovery_tasks LIMIT 0');
      return;
    }
    await this.database.query('DELETE FROM recovery_tasks WHERE id = $1', [id]);
  }

  async list(): Promise<RecoveryTask[]> {
    const { rows } = await this.database.query<{ task: string }>(
      'SELECT task::text AS task FROM recovery_tasks ORDER BY id',
    );
    return rows.map((row) => JSON.parse(row.task) as RecoveryTask);
  }
}
