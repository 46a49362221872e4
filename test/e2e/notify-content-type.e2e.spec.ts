import type { IncomingMessage } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { type AdapterName, ADAPTERS, CapturingLogger } from '../support/nest-app.js';
import { type NotifyApp, startNotifyApp } from '../support/notify-app.js';

let simulator: WechatPaySimulator | undefined;
let shop: NotifyApp | undefined;
let logger: CapturingLogger;

async function setup(
  adapter: AdapterName,
  appSetup: Parameters<typeof startNotifyApp>[2] = {},
): Promise<NotifyApp> {
  simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
  logger = new CapturingLogger();
  shop = await startNotifyApp(adapter, simulator.moduleOptions(), { logger, ...appSetup });
  return shop;
}

afterEach(async () => {
  await shop?.app.close();
  await simulator?.stop();
  shop = undefined;
  simulator = undefined;
});

const post = (url: string, contentType: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });

const notifyLines = () => logger.entries.filter((e) => /notification|raw/i.test(e.line));

/** Reads the body the way a body parser would, so nothing is left for the raw-body hook. */
function expressBodyReader(app: INestApplication): void {
  app.use(
    (
      req: IncomingMessage & { _body?: boolean; body?: unknown },
      _res: unknown,
      next: () => void,
    ) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        req.body = Buffer.concat(chunks).toString('utf8');
        req._body = true;
        next();
      });
    },
  );
}

/** An XML parser of the app's own, which useWechatPayRawBody leaves in place. */
function fastifyXmlParser(app: INestApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as {
    addContentTypeParser(
      type: string,
      options: { parseAs: 'string' },
      parser: (req: unknown, body: string, done: (error: null, body: string) => void) => void,
    ): void;
  };
  fastify.addContentTypeParser('text/xml', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
}

describe.each(ADAPTERS)('notify routes and Content-Type, on %s', (adapter) => {
  it.each(['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded'])(
    'a v3 route answers 415 naming application/json to %s, and logs no error',
    async (contentType) => {
      const { notifyUrl, ledger } = await setup(adapter);
      const response = await post(notifyUrl, contentType, 'id=x');
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({
        code: 'FAIL',
        message: expect.stringContaining('application/json'),
      });
      expect(ledger.calls).toBe(0);
      expect(logger.at('error', 'fatal')).toEqual([]);
      expect(logger.text).not.toContain('useWechatPayRawBody');
    },
  );

  it.each(['application/json', 'text/plain'])(
    'a v2 route answers 415 naming text/xml to %s, in the v2 FAIL format, and logs no error',
    async (contentType) => {
      const { v2NotifyUrl, ledger } = await setup(adapter);
      const response = await post(v2NotifyUrl, contentType, '{}');
      expect(response.status).toBe(415);
      const body = await response.text();
      expect(body).toMatch(/<return_code>FAIL<\/return_code>/);
      expect(body).toContain('text/xml');
      expect(ledger.calls).toBe(0);
      expect(logger.at('error', 'fatal')).toEqual([]);
      expect(notifyLines().every((e) => e.level === 'warn')).toBe(true);
    },
  );

  it('without useWechatPayRawBody, a JSON notification still gets the loud error that names the fix', async () => {
    const { notifyUrl } = await setup(adapter, { rawBody: false });
    const response = await post(notifyUrl, 'application/json', '{"id":"x"}');
    expect(response.status).toBe(500);
    expect((await response.json()) as { message: string }).toMatchObject({
      message: expect.stringContaining('useWechatPayRawBody(app)'),
    });
    expect(logger.at('error').join('\n')).toContain('useWechatPayRawBody(app)');
  });

  it('with useWechatPayRawBody called but a parser of the app reading the body first, the error says so', async () => {
    const { notifyUrl, v2NotifyUrl } = await setup(adapter, {
      beforeRawBody: adapter === 'express' ? expressBodyReader : fastifyXmlParser,
    });
    const response =
      adapter === 'express'
        ? await post(notifyUrl, 'application/json', '{"id":"x"}')
        : await post(v2NotifyUrl, 'text/xml', '<xml></xml>');
    expect(response.status).toBe(500);
    const message =
      adapter === 'express'
        ? ((await response.json()) as { message: string }).message
        : await response.text();
    expect(message).toMatch(/useWechatPayRawBody\(app\) is installed/);
    expect(message).toMatch(/another body parser/);
    expect(logger.at('error').join('\n')).toMatch(/another body parser/);
  });
});
