import { createServer as createHttpServer, request } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveWechatPayConfig,
  WechatPayApiError,
  WechatPayClient,
  WechatPayError,
  WechatPayNetworkError,
  type WechatPayOptions,
  WechatPaySignatureError,
  WechatPayValidationError,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { orderNo } from '../support/wechatpay-app.js';

// What a payment integration decides after a failed call, as the library reports it for real
// failures of a real (simulated) WeChat Pay: replace the order, retry the same one, or query it.
let simulator: WechatPaySimulator;
let client: WechatPayClient;
const clients: WechatPayClient[] = [];

function clientFor(options: WechatPayOptions): WechatPayClient {
  const created = new WechatPayClient(resolveWechatPayConfig(options));
  clients.push(created);
  return created;
}

beforeAll(async () => {
  simulator = await new WechatPaySimulator().start();
  client = clientFor(
    simulator.moduleOptions({ notifyUrl: 'https://shop.example.com/wechatpay/notify' }),
  );
  await client.init();
});
afterEach(() => {
  simulator.tamperNextResponse({});
});
afterAll(async () => {
  for (const created of clients) created.close();
  await simulator.stop();
});

const prepay = () =>
  client.payments.prepayNative({
    description: 'Retry decision',
    out_trade_no: orderNo(),
    amount: { total: 1 },
  });
const unifiedOrder = () =>
  client.v2.payments.unifiedOrder({
    body: 'Retry decision',
    out_trade_no: orderNo(),
    total_fee: 1,
    spbill_create_ip: '127.0.0.1',
    trade_type: 'NATIVE',
  });

// Writes WeChat Pay does not deduplicate: a second copy of a payment code is refused in a way
// that hides the first one's outcome, so an unclear answer means "query first".
const micropay = () =>
  client.v2.payments.micropay({
    body: 'Retry decision',
    out_trade_no: orderNo(),
    total_fee: 1,
    spbill_create_ip: '127.0.0.1',
    auth_code: '134567890123456789',
  });
const codepay = () =>
  client.codePayments.pay({
    description: 'Retry decision',
    out_trade_no: orderNo(),
    amount: { total: 1 },
    payer: { auth_code: '134567890123456789' },
    scene_info: { device_ip: '127.0.0.1' },
  });

async function failure(call: () => Promise<unknown>): Promise<WechatPayError> {
  const error = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WechatPayError);
  return error as WechatPayError;
}
const decision = ({ mayHaveTakenEffect, retrySafe }: WechatPayError) => ({
  mayHaveTakenEffect,
  retrySafe,
});

describe('failed calls carry whether they may have taken effect and may be sent again', () => {
  it('an invalid request was never sent', async () => {
    const error = await failure(() =>
      client.payments.prepayNative({
        description: '',
        out_trade_no: orderNo(),
        amount: { total: 0 },
      }),
    );
    expect(error).toBeInstanceOf(WechatPayValidationError);
    expect(decision(error)).toEqual({ mayHaveTakenEffect: false, retrySafe: false });
  });

  it.each([
    [500, 'SYSTEM_ERROR', true],
    [429, 'FREQUENCY_LIMITED', true],
    [400, 'PARAM_ERROR', false],
    [403, 'ORDERPAID', false],
  ])('v3 answer %i %s: unknown outcome = %s', async (status, code, unknown) => {
    simulator.injectFault({ type: 'status', status, code });
    const error = await failure(prepay);
    expect(error).toBeInstanceOf(WechatPayApiError);
    expect(decision(error)).toEqual({ mayHaveTakenEffect: unknown, retrySafe: unknown });
  });

  it.each([
    ['SYSTEMERROR', true],
    ['BIZERR_NEED_RETRY', true],
    ['ORDERPAID', false],
  ])('v2 answer err_code %s: unknown outcome = %s', async (code, unknown) => {
    simulator.injectFault({ type: 'v2Error', code });
    const error = await failure(unifiedOrder);
    expect(error).toBeInstanceOf(WechatPayApiError);
    expect(decision(error)).toEqual({ mayHaveTakenEffect: unknown, retrySafe: unknown });
  });

  it.each([
    {
      what: 'v3 code payment',
      answer: '500 SYSTEM_ERROR',
      call: codepay,
      fault: { type: 'status', status: 500, code: 'SYSTEM_ERROR' },
    },
    {
      what: 'v3 code payment',
      answer: '429 FREQUENCY_LIMITED',
      call: codepay,
      fault: { type: 'status', status: 429, code: 'FREQUENCY_LIMITED' },
    },
    { what: 'v2 micropay', answer: '502', call: micropay, fault: { type: 'status', status: 502 } },
    {
      what: 'v2 micropay',
      answer: 'SYSTEMERROR',
      call: micropay,
      fault: { type: 'v2Error', code: 'SYSTEMERROR' },
    },
    {
      what: 'v2 micropay',
      answer: 'BANKERROR',
      call: micropay,
      fault: { type: 'v2Error', code: 'BANKERROR' },
    },
  ] as const)(
    'a write WeChat Pay does not deduplicate ($what) answered $answer: may have taken effect, query before sending again',
    async ({ call, fault }) => {
      simulator.injectFault(fault);
      const error = await failure(call);
      expect(error).toBeInstanceOf(WechatPayApiError);
      expect(decision(error)).toEqual({ mayHaveTakenEffect: true, retrySafe: false });
    },
  );

  it.each([
    {
      what: 'v3 code payment',
      answer: '400 PARAM_ERROR',
      call: codepay,
      fault: { type: 'status', status: 400, code: 'PARAM_ERROR' },
    },
    {
      what: 'v2 micropay',
      answer: 'AUTH_CODE_INVALID',
      call: micropay,
      fault: { type: 'v2Error', code: 'AUTH_CODE_INVALID' },
    },
  ] as const)(
    'a refusal of a write WeChat Pay does not deduplicate ($what, $answer): nothing happened',
    async ({ call, fault }) => {
      simulator.injectFault(fault);
      const error = await failure(call);
      expect(error).toBeInstanceOf(WechatPayApiError);
      expect(decision(error)).toEqual({ mayHaveTakenEffect: false, retrySafe: false });
    },
  );

  it('v2 unifiedorder (deduplicated by out_trade_no) answered HTTP 502: send the same request again', async () => {
    simulator.injectFault({ type: 'status', status: 502 });
    const error = await failure(unifiedOrder);
    expect(error).toBeInstanceOf(WechatPayApiError);
    expect(error).toMatchObject({ code: 'HTTP_502' });
    expect(decision(error)).toEqual({ mayHaveTakenEffect: true, retrySafe: true });
  });

  it('a v3 answer whose signature does not verify: unknown outcome, send the same request', async () => {
    simulator.tamperNextResponse({ signature: true });
    const error = await failure(prepay);
    expect(error).toBeInstanceOf(WechatPaySignatureError);
    expect(decision(error)).toEqual({ mayHaveTakenEffect: true, retrySafe: true });
  });

  it.each([
    { what: 'v3 code payment', call: codepay, tamper: { signature: true } },
    { what: 'v3 code payment', call: codepay, tamper: { body: true } },
    { what: 'v2 micropay', call: micropay, tamper: { body: true } },
  ] as const)(
    'an answer to a write WeChat Pay does not deduplicate ($what) that does not verify: query first',
    async ({ call, tamper }) => {
      simulator.tamperNextResponse(tamper);
      const error = await failure(call);
      expect(error).toBeInstanceOf(WechatPaySignatureError);
      expect(decision(error)).toEqual({ mayHaveTakenEffect: true, retrySafe: false });
    },
  );

  it('a connection reset on both domains: may have arrived; an order is keyed, so safe to resend', async () => {
    simulator.injectFault({ type: 'reset' }, { listener: 'any', count: 2 });
    const error = await failure(prepay);
    expect(error).toBeInstanceOf(WechatPayNetworkError);
    expect(decision(error)).toEqual({ mayHaveTakenEffect: true, retrySafe: true });
  });

  it('a refused connection: nothing left, nothing happened, safe to send again', async () => {
    const port = await closedPort();
    const refused = clientFor({
      ...simulator.moduleOptions({ notifyUrl: 'https://shop.example.com/wechatpay/notify' }),
      domain: `http://127.0.0.1:${port}`,
      backupDomain: false,
    });
    const error = await failure(() =>
      refused.payments.prepayNative({
        description: 'x',
        out_trade_no: orderNo(),
        amount: { total: 1 },
      }),
    );
    expect(error).toBeInstanceOf(WechatPayNetworkError);
    expect(decision(error)).toEqual({ mayHaveTakenEffect: false, retrySafe: true });
  });

  it('an answer whose key cannot be fetched (the certificate download broke): still unknown outcome', async () => {
    // A fresh client knows no certificate: verifying the order's answer needs a download, which
    // this proxy in front of the simulator breaks off. The order itself was placed.
    const proxy = await startProxy(simulator.url, (path) => path.startsWith('/v3/certificates'));
    try {
      const fresh = clientFor({
        ...simulator.moduleOptions({ notifyUrl: 'https://shop.example.com/wechatpay/notify' }),
        domain: proxy.url,
        backupDomain: false,
      });
      const outTradeNo = orderNo();
      const error = await failure(() =>
        fresh.payments.prepayNative({
          description: 'x',
          out_trade_no: outTradeNo,
          amount: { total: 1 },
        }),
      );
      expect(error).toBeInstanceOf(WechatPaySignatureError);
      expect(error.cause).toBeInstanceOf(WechatPayNetworkError);
      expect(decision(error)).toEqual({ mayHaveTakenEffect: true, retrySafe: true });
      expect((await client.payments.queryByOutTradeNo(outTradeNo)).trade_state).toBe('NOTPAY');
    } finally {
      await proxy.close();
    }
  });
});

/** A byte-exact HTTP proxy to `target` that resets the connection of requests `breaks` picks. */
async function startProxy(target: string, breaks: (path: string) => boolean) {
  const server = createHttpServer((req, res) => {
    if (breaks(req.url ?? '')) {
      req.socket.destroy();
      return;
    }
    const upstream = request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
