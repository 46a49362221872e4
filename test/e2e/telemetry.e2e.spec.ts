import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MemoryIdempotencyStore,
  receiveNotification,
  resolveWechatPayConfig,
  WechatPayApiError,
  WechatPayClient,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS, CapturingLogger } from '../support/nest-app.js';
import { type NotifyApp, paidOrder, startNotifyApp } from '../support/notify-app.js';
import { InMemoryOtel, type Point } from '../support/otel.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const otel = new InMemoryOtel();
let simulator: WechatPaySimulator;
/** What must never be exported: filled by the tests as they meet order numbers and payers. */
const forbidden = new Set<string>();

beforeAll(async () => {
  otel.register();
  simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
  const options = simulator.moduleOptions();
  for (const secret of [options.apiV3Key, options.apiKey]) if (secret) forbidden.add(secret);
  const pem = simulator.merchant.privateKeyPem;
  // Lines of the private key's base64 body.
  for (const line of pem.split('\n').slice(1, -2)) if (line.length > 20) forbidden.add(line);
});
afterAll(async () => {
  await simulator.stop();
  await otel.shutdown();
});
beforeEach(() => otel.spans.reset());

const clientSpans = () => otel.finished().filter((s) => s.kind === SpanKind.CLIENT);
const notificationSpans = () => otel.finished().filter((s) => s.name === 'wechatpay.notification');
const pointsOf = (points: Point[], name: string, attributes: Record<string, unknown>) =>
  points.filter(
    (p) => p.name === name && Object.entries(attributes).every(([k, v]) => p.attributes[k] === v),
  );
const total = (points: Point[]) => points.reduce((sum, p) => sum + p.value, 0);

describe.each(ADAPTERS)('OpenTelemetry on %s', (adapter) => {
  let shop: NotifyApp;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    shop = await startNotifyApp(
      adapter,
      simulator.moduleOptions({
        idempotencyStore: new MemoryIdempotencyStore(),
        notifyUrl: NO_RECEIVER_NOTIFY_URL,
      }),
      { logger },
    );
  });
  afterAll(() => shop.app.close());

  it('a prepay: one CLIENT span named by the path template, with the HTTP conventions and the Request-ID, and its duration', async () => {
    const before = await otel.points();
    const outTradeNo = orderNo('OTEL');
    forbidden.add(outTradeNo);
    await shop.wechatPay.payments.prepayNative({
      description: 'otel',
      out_trade_no: outTradeNo,
      amount: { total: 1 },
    });
    const spans = clientSpans().filter((s) => s.name === 'POST /v3/pay/transactions/native');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.template': '/v3/pay/transactions/native',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
      'wechatpay.api_version': 'v3',
      'wechatpay.domain': 'primary',
      'wechatpay.failover.attempt': 1,
      'wechatpay.request_id': expect.stringMatching(/.+/),
    });
    expect(spans[0]!.status.code).toBe(SpanStatusCode.UNSET);
    const after = await otel.points();
    const selector = {
      'wechatpay.operation': 'POST /v3/pay/transactions/native',
      'wechatpay.outcome': 'success',
    };
    expect(
      total(pointsOf(after, 'wechatpay.client.duration', selector)) -
        total(pointsOf(before, 'wechatpay.client.duration', selector)),
    ).toBe(1);
  });

  it('a query by order number: the template, never the number; an API error carries its code', async () => {
    const outTradeNo = orderNo('NOPE');
    forbidden.add(outTradeNo);
    const error = await shop.wechatPay.payments
      .queryByOutTradeNo(outTradeNo)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayApiError);
    const [span] = clientSpans();
    expect(span!.name).toBe('GET /v3/pay/transactions/out-trade-no/{out_trade_no}');
    expect(span!.attributes).toMatchObject({
      'url.template': '/v3/pay/transactions/out-trade-no/{out_trade_no}',
      'http.response.status_code': 404,
      'error.type': '404',
      'wechatpay.code': 'ORDER_NOT_EXIST',
    });
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    const points = await otel.points();
    expect(
      pointsOf(points, 'wechatpay.client.duration', {
        'wechatpay.operation': 'GET /v3/pay/transactions/out-trade-no/{out_trade_no}',
        'wechatpay.outcome': 'api_error',
        'wechatpay.code': 'ORDER_NOT_EXIST',
      }),
    ).not.toHaveLength(0);
  });

  it('a failover: the span names the backup domain and the attempt, with an event for the failed one', async () => {
    simulator.injectFault({ type: 'reset' });
    const outTradeNo = orderNo('FAIL');
    forbidden.add(outTradeNo);
    await shop.wechatPay.payments.prepayNative({
      description: 'failover',
      out_trade_no: outTradeNo,
      amount: { total: 1 },
    });
    const [span] = clientSpans();
    expect(span!.attributes).toMatchObject({
      'wechatpay.domain': 'backup',
      'wechatpay.failover.attempt': 2,
      'http.response.status_code': 200,
    });
    expect(span!.events.map((e) => [e.name, e.attributes])).toEqual([
      [
        'wechatpay.failover',
        {
          'server.address': '127.0.0.1',
          'wechatpay.failover.attempt': 1,
          'error.type': 'ECONNRESET',
        },
      ],
    ]);
  });

  it('an API v2 call: a span per call too, named by its path', async () => {
    const outTradeNo = orderNo('V2OT');
    forbidden.add(outTradeNo);
    await shop.wechatPay.v2.payments.unifiedOrder({
      body: 'v2',
      out_trade_no: outTradeNo,
      total_fee: 5,
      spbill_create_ip: '127.0.0.1',
      trade_type: 'NATIVE',
    });
    const [span] = clientSpans();
    expect(span!.name).toBe('POST /pay/unifiedorder');
    expect(span!.attributes).toMatchObject({
      'wechatpay.api_version': 'v2',
      'http.response.status_code': 200,
    });
  });

  it('a verified notification, then its duplicate: handled once, each delivery its own span and count', async () => {
    const before = await otel.points();
    const outTradeNo = await paidOrder(shop, simulator, 'OTN');
    forbidden.add(outTradeNo);
    otel.spans.reset();
    const [first] = await simulator.deliverTransaction(outTradeNo, { url: shop.notifyUrl });
    const [second] = await simulator.deliverTransaction(outTradeNo, { url: shop.notifyUrl });
    expect([first!.status, second!.status]).toEqual([200, 200]);
    const paid = shop.ledger.paid.at(-1)!;
    forbidden.add(paid.transaction_id);
    const openid = paid.payer?.openid;
    expect(openid).toMatch(/.{8}/);
    if (openid) forbidden.add(openid);
    const spans = notificationSpans();
    expect(spans.map((s) => s.attributes)).toEqual([
      expect.objectContaining({
        'wechatpay.event_type': 'TRANSACTION.SUCCESS',
        'wechatpay.notification.verified': true,
        'wechatpay.notification.duplicate': false,
        'wechatpay.notification.outcome': 'handled',
        'wechatpay.notification.handler.outcome': 'success',
        'http.response.status_code': 200,
      }),
      expect.objectContaining({
        'wechatpay.event_type': 'TRANSACTION.SUCCESS',
        'wechatpay.notification.verified': true,
        'wechatpay.notification.duplicate': true,
        'wechatpay.notification.outcome': 'duplicate',
      }),
    ]);
    expect(spans[1]!.attributes).not.toHaveProperty('wechatpay.notification.handler.outcome');
    const after = await otel.points();
    const count = (points: Point[], outcome: string) =>
      total(
        pointsOf(points, 'wechatpay.notifications', {
          'wechatpay.notification.outcome': outcome,
          'wechatpay.event_type': 'TRANSACTION.SUCCESS',
        }),
      );
    expect(count(after, 'handled') - count(before, 'handled')).toBe(1);
    expect(count(after, 'duplicate') - count(before, 'duplicate')).toBe(1);
    const handled = (points: Point[]) =>
      total(
        pointsOf(points, 'wechatpay.notification.handler.duration', {
          'wechatpay.notification.handler.outcome': 'success',
        }),
      );
    expect(handled(after) - handled(before)).toBe(1);
  });

  it('a refused notification (bad signature): unverified, why, no handler, logged as a warning only', async () => {
    const outTradeNo = await paidOrder(shop, simulator, 'OTR');
    forbidden.add(outTradeNo);
    otel.spans.reset();
    logger.entries.length = 0;
    const before = shop.ledger.calls;
    const [refused] = await simulator.deliverTransaction(outTradeNo, {
      url: shop.notifyUrl,
      tamperSignature: true,
    });
    expect(refused!.status).toBe(401);
    expect(shop.ledger.calls).toBe(before);
    const [span] = notificationSpans();
    expect(span!.attributes).toMatchObject({
      'wechatpay.notification.verified': false,
      'wechatpay.notification.refusal': 'signature',
      'wechatpay.notification.outcome': 'signature',
      'http.response.status_code': 401,
    });
    expect(span!.attributes).not.toHaveProperty('wechatpay.event_type');
    expect(
      logger.entries
        .filter((e) => e.level !== 'debug' && e.level !== 'verbose')
        .map((e) => e.level),
    ).toEqual(['warn']);
    const points = await otel.points();
    expect(
      pointsOf(points, 'wechatpay.notifications', {
        'wechatpay.notification.outcome': 'signature',
        'wechatpay.notification.verified': false,
      }),
    ).not.toHaveLength(0);
  });

  it('a handler that throws: outcome handler_failed, an error span, the failure timed', async () => {
    const outTradeNo = await paidOrder(shop, simulator, 'OTF');
    forbidden.add(outTradeNo);
    otel.spans.reset();
    shop.ledger.failNext = 1;
    const [failed] = await simulator.deliverTransaction(outTradeNo, { url: shop.notifyUrl });
    expect(failed!.status).toBe(500);
    const [span] = notificationSpans();
    expect(span!.attributes).toMatchObject({
      'wechatpay.notification.verified': true,
      'wechatpay.notification.outcome': 'handler_failed',
      'wechatpay.notification.handler.outcome': 'failure',
    });
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    const points = await otel.points();
    expect(
      pointsOf(points, 'wechatpay.notification.handler.duration', {
        'wechatpay.notification.handler.outcome': 'failure',
      }),
    ).not.toHaveLength(0);
  });
});

describe('OpenTelemetry with receiveNotification on plain node:http', () => {
  let server: Server;
  let client: WechatPayClient;
  let url = '';
  beforeAll(async () => {
    client = new WechatPayClient(
      resolveWechatPayConfig(simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL })),
    );
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void receiveNotification(
          client,
          { headers: req.headers, rawBody: Buffer.concat(chunks) },
          () => undefined,
          { logger: { warn: () => undefined, error: () => undefined } },
        ).then((answer) => res.writeHead(answer.status, answer.headers).end(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  });
  afterAll(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('a verified delivery, its duplicate and a refused one get the same spans as under Nest', async () => {
    const outTradeNo = orderNo('HTTP');
    forbidden.add(outTradeNo);
    await client.payments.prepayNative({
      description: 'node:http',
      out_trade_no: outTradeNo,
      amount: { total: 1 },
      notify_url: url,
    });
    simulator.pay(outTradeNo);
    otel.spans.reset();
    const statuses = [
      ...(await simulator.deliverTransaction(outTradeNo, { url })),
      ...(await simulator.deliverTransaction(outTradeNo, { url })),
      ...(await simulator.deliverTransaction(outTradeNo, { url, tamperBody: true })),
    ].map((d) => d.status);
    expect(statuses).toEqual([200, 200, 401]);
    expect(notificationSpans().map((s) => s.attributes['wechatpay.notification.outcome'])).toEqual([
      'handled',
      'duplicate',
      'signature',
    ]);
  });
});

describe('what OpenTelemetry is given', () => {
  it('holds no key, order number, transaction id, openid or decrypted field, in any span or metric', async () => {
    const everything = await otel.everything();
    // The tests above ran: there is something to search.
    expect(everything).toContain('wechatpay.notification');
    expect(everything).toContain('wechatpay.client.duration');
    expect(everything).toContain('/v3/pay/transactions/out-trade-no/{out_trade_no}');
    expect(forbidden.size).toBeGreaterThan(10);
    for (const value of forbidden) expect(everything).not.toContain(value);
    for (const field of ['openid', 'out_trade_no":', 'payer', 'amount', 'PRIVATE KEY']) {
      expect(everything).not.toContain(field);
    }
  });
});
