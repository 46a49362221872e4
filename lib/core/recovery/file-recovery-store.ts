import { readFile, rename, writeFile } from 'node:fs/promises';
import type { RecoveryTask } from './recovery.types.js';
import type { RecoveryStore } from './recovery-store.js';

/**
 * Tasks in one JSON file, rewritten atomically (a temporary file renamed over it) after each
 * change, so a restart of a single instance resumes every schedule. Only one process may use a
 * file; several instances share `RedisRecoveryStore` or BullMQ instead.
 * @example
 * WechatPayModule.forRoot({ ...options, recovery: true, recoveryStore: new FileRecoveryStore('/var/lib/shop/recovery.json') });
 */
export class FileRecoveryStore implements RecoveryStore {
  private tasks: Map<string, RecoveryTask> | undefined;
  /** Writes one after the other, so an older snapshot never lands after a newer one. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    /** The JSON file; created on the first save. */
    readonly path: string,
  ) {}

  async save(task: RecoveryTask): Promise<void> {
    (await this.load()).set(task.id, { ...task });
    await this.flush();
  }

  async remove(id: string): Promise<void> {
    if ((await this.load()).delete(id)) await this.flush();
  }

  async list(): Promise<RecoveryTask[]> {
    return [...(await this.load()).values()].map((task) => ({ ...task }));
  }

  private async load(): Promise<Map<string, RecoveryTask>> {
    if (this.tasks) return this.tasks;
    let text: string | undefined;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const tasks = text ? (JSON.parse(text) as RecoveryTask[]) : [];
    this.tasks ??= new Map(tasks.map((task) => [task.id, task]));
    return this.tasks;
  }

  private flush(): Promise<void> {
    const snapshot = JSON.stringify([...(this.tasks ?? new Map()).values()]);
    const temporary = `${this.path}.${process.pid}.tmp`;
    const write = this.writing.then(async () => {
      await writeFile(temporary, snapshot, 'utf8');
      await rename(temporary, this.path);
    });
    this.writing = write.catch(() => undefined);
    return write;
  }
}
