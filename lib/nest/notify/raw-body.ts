import type { INestApplication } from '@nestjs/common';
import { WechatPayError } from '../../core/errors.js';
import { markRawBodyInstalled } from './raw-body-installed.js';

/** Options of {@link useWechatPayRawBody}. */
export interface WechatPayRawBodyOptions {
  /**
   * Largest JSON or XML body accepted, in bytes or as text such as `'100kb'`. It applies to
   * every JSON request of the app, since there is one JSON parser. WeChat Pay's notifications
   * are a few kilobytes; larger bodies get 413 before any handler runs.
   * @default '100kb'
   */
  limit?: number | string;
}

const XML_TYPES = ['text/xml', 'application/xml'];
const configured = new WeakSet<INestApplication>();

/**
 * Keeps the exact bytes of JSON and XML request bodies as `req.rawBody`, on express and on
 * fastify, so WeChat Pay signatures can be verified. Call it once in main.ts, before
 * `app.listen()`; the app may be created with or without `rawBody: true`.
 *
 * Also registers an XML parser (API v2 callbacks), so fastify does not answer 415 for
 * `text/xml` and `application/xml`. A parser already registered for those types is left alone.
 * @example
 * const app = await NestFactory.create(AppModule);
 * useWechatPayRawBody(app);
 * await app.listen(3000);
 */
export function useWechatPayRawBody(
  app: INestApplication,
  options: WechatPayRawBodyOptions = {},
): void {
  if (configured.has(app)) return;
  if ((app as unknown as { isInitialized?: boolean }).isInitialized) {
    throw new WechatPayError(
      'useWechatPayRawBody(app) must run before app.init() / app.listen(): body parsers are fixed once the app is initialised',
    );
  }
  const limit = toBytes(options.limit ?? '100kb');
  const adapter = app.getHttpAdapter() as unknown as RawBodyAdapter;
  const type = adapter.getType();
  if (type === 'express') {
    adapter.useBodyParser('json', true, { limit });
    adapter.useBodyParser('text', true, { type: XML_TYPES, limit });
  } else if (type === 'fastify') {
    const fastify = adapter.getInstance() as { hasContentTypeParser(type: string): boolean };
    adapter.useBodyParser('application/json', true, { bodyLimit: limit });
    for (const xmlType of XML_TYPES) {
      // Registering a second parser for a type throws on fastify: respect one the app has.
      // Nest takes a parser's result from the promise it returns.
      if (!fastify.hasContentTypeParser(xmlType)) {
        adapter.useBodyParser(xmlType, true, { bodyLimit: limit }, (_req: unknown, body: Buffer) =>
          Promise.resolve(body.toString('utf8')),
        );
      }
    }
  } else {
    throw new WechatPayError(
      `useWechatPayRawBody supports the express and fastify adapters, not "${type}"`,
    );
  }
  configured.add(app);
  markRawBodyInstalled(adapter);
}

interface RawBodyAdapter {
  getType(): string;
  getInstance(): unknown;
  useBodyParser(
    type: string | string[],
    rawBody: boolean,
    options: object,
    parser?: unknown,
  ): unknown;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2 };

function toBytes(limit: number | string): number {
  if (typeof limit === 'number') return limit;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(limit.trim());
  if (!match) throw new WechatPayError(`limit "${limit}" is not a size such as 100kb or 1mb`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
}
