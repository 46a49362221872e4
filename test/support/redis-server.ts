import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Options of {@link RedisServer}. */
export interface RedisServerOptions {
  /**
   * Persist every write to an append-only file (`--appendonly yes`, fsync every second) in a
   * private data directory, so the data survives {@link RedisServer.kill} and
   * {@link RedisServer.restart}. Without it the server keeps nothing across a restart.
   * @default false
   */
  appendOnly?: boolean;
}

/** A throw-away redis-server on 127.0.0.1, without persistence unless asked for. */
export class RedisServer {
  private process?: ChildProcess;
  private dir?: string;
  port = 0;

  constructor(private readonly options: RedisServerOptions = {}) {}

  async start(): Promise<this> {
    if (this.options.appendOnly) this.dir = mkdtempSync(join(tmpdir(), 'redis-aof-'));
    // The free port is released before redis-server binds it: another process (four test files
    // run at once) may take it in between, and redis-server then exits. Try another one.
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      try {
        await this.spawn();
        return this;
      } catch (error) {
        if (!(error instanceof RedisExitedError) || attempt === 3) throw error;
      }
    }
  }

  /** Kills the server abruptly (SIGKILL), as a crash would: nothing is flushed on the way out. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Starts the server again on the same port and data directory, after {@link kill} or {@link stop}. */
  async restart(): Promise<void> {
    await this.spawn();
  }

  client(options: RedisOptions = {}): Redis {
    return new Redis(this.port, '127.0.0.1', { maxRetriesPerRequest: 1, ...options });
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private async spawn(): Promise<void> {
    const persistence = this.dir
      ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', this.dir]
      : ['--appendonly', 'no'];
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence],
      { stdio: 'ignore' },
    );
    const child = this.process;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new RedisExitedError(`redis-server exited at start (port ${this.port} in use?)`);
      }
      const client = this.client({ lazyConnect: true, retryStrategy: () => null });
      client.on('error', () => undefined); // refused until the server is up
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        client.disconnect();
        if (Date.now() > deadline) throw new Error('redis-server did not start (is it installed?)');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

/** redis-server stopped before it answered (typically: its port was taken meanwhile). */
class RedisExitedError extends Error {}
