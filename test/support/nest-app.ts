import type { INestApplication, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export type AdapterName = 'express' | 'fastify';
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

/** Collects everything Nest logs, so tests can assert that no secret reaches a log line. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  /** The same lines with their level. */
  readonly entries: { level: string; line: string }[] = [];
  private add =
    (level: string) =>
    (...parts: unknown[]) => {
      const line = parts
        .map((p) => (p instanceof Error ? `${p.message}\n${p.stack}` : String(p)))
        .join(' ');
      this.lines.push(line);
      this.entries.push({ level, line });
    };
  log = this.add('log');
  error = this.add('error');
  warn = this.add('warn');
  debug = this.add('debug');
  verbose = this.add('verbose');
  fatal = this.add('fatal');
  /** The lines logged at these levels. */
  at(...levels: string[]): string[] {
    return this.entries.filter((e) => levels.includes(e.level)).map((e) => e.line);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/** Creates and starts a real Nest application on 127.0.0.1 with a free port. */
export async function startApp(
  module: Type<unknown>,
  adapter: AdapterName,
  logger: LoggerService | false = false,
  /** Runs before the app listens, e.g. `useWechatPayRawBody`. */
  setup?: (app: INestApplication) => void,
): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(
    module,
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger, abortOnError: false },
  );
  setup?.(app);
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as import('node:http').Server).address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}
