import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
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

/** A throw-away redis-server on 127.0.0.1, no persistence. */
export class RedisServer {
  private process?: ChildProcess;
  port = 0;

  async start(): Promise<this> {
    this.port = await freePort();
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      const client = this.client({ lazyConnect: true, retryStrategy: () => null });
      client.on('error', () => undefined); // refused until the server is up
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return this;
      } catch {
        client.disconnect();
        if (Date.now() > deadline) throw new Error('redis-server did not start (is it installed?)');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  client(options: RedisOptions = {}): Redis {
    return new Redis(this.port, '127.0.0.1', { maxRetriesPerRequest: 1, ...options });
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
