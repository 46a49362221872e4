import type { RecoveryTask } from './recovery.types.js';

/**
 * Where the schedule of watched orders is kept, so a restart resumes it: each order's task is
 * saved after every step and removed when its recovery ended. `MemoryRecoveryStore` (the
 * default) forgets on restart; `FileRecoveryStore` and `RedisRecoveryStore` do not.
 */
export interface RecoveryStore {
  /** Saves (or replaces) a task by its `id`. */
  save(task: RecoveryTask): Promise<void> | void;
  /** Forgets a task; nothing happens when it is unknown. */
  remove(id: string): Promise<void> | void;
  /** Every task kept, of every merchant. */
  list(): Promise<RecoveryTask[]> | RecoveryTask[];
}

/**
 * Tasks in this process's memory: a restart loses the schedule (orders placed before it are
 * then never queried by recovery). Use `FileRecoveryStore` or `RedisRecoveryStore` in production.
 */
export class MemoryRecoveryStore implements RecoveryStore {
  private readonly tasks = new Map<string, RecoveryTask>();

  save(task: RecoveryTask): void {
    this.tasks.set(task.id, { ...task });
  }

  remove(id: string): void {
    this.tasks.delete(id);
  }

  list(): RecoveryTask[] {
    return [...this.tasks.values()].map((task) => ({ ...task }));
  }
}
