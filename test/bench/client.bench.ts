import { createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveWechatPayConfig, WechatPayClient } from 'nestjs-wechatpay';
import { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { ratio, report } from './measure.js';

// Nothing listens on port 9: notifications, if any, go nowhere.
const NO_RECEIVER_NOTIFY_URL = 'http://127.0.0.1:9/wechatpay/notify';

// The client end to end: a signed request and a verified answer, against a local server that
// answers with pre-signed bodies, so that the client's own cost is what is compared. The
// baseline is a bare node:http + node:crypto client doing the same signing and verification.

const PREPAY_PATH = '/v3/pay/transactions/native';
const ANSWERS: Record<string, string> = {
  prepay: JSON.stringify({ code_url: 'weixin://wxpay/bizpayurl?pr=NwY5Mz9&groupid=00' }),
  query: JSON.stringify({
    appid: 'wxd678efh567hg6787',
    mchid: '1230000109',
    out_trade_no: 'BENCH0000000001',
    transaction_id: '1217752501201407033233368018',
    trade_type: 'NATIVE',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'CMC',
    success_time: '2018-06-08T10:34:56+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
  }),
};

let simulator: WechatPaySimulator;
let server: Server;
let client: WechatPayClient;
let base: { host: string; port: number };
let bare: BareClient;
/** Answers signed now and then, not per request: the server's cost is not what is measured. */
const signed: Record<string, { at: number; headers: Record<string, string> }> = {};

function signedAnswer(kind: string): Record<string, string> {
  const now = Date.now();
  const cached = signed[kind];
  if (cached && now - cached.at < 30_000) return cached.headers;
  const headers = simulator.signMessage(ANSWERS[kind]!);
  signed[kind] = { at: now, headers };
  return headers;
}

beforeAll(async () => {
  simulator = await new WechatPaySimulator({ backup: false, verification: 'publicKey' }).start();
  server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      const kind = req.method === 'POST' ? 'prepay' : 'query';
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Request-ID': 'bench',
        ...signedAnswer(kind),
      });
      res.end(ANSWERS[kind]);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  base = { host: '127.0.0.1', port };
  const options = {
    ...simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
    domain: `http://127.0.0.1:${port}`,
    backupDomain: false as const,
  };
  client = new WechatPayClient(resolveWechatPayConfig(options));
  bare = new BareClient({
    mchid: options.mchid,
    serialNo: options.serialNo!,
    privateKey: simulator.merchant.privateKey,
    platformKey: createPublicKey(options.platformPublicKey as string),
    platformKeyId: options.platformPublicKeyId!,
  });
});
afterAll(async () => {
  client.close();
  bare.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await simulator.stop();
});

let sequence = 0;
const outTradeNo = () => `BENCH${String(++sequence).padStart(10, '0')}`;

const calls = {
  prepay: {
    ours: () =>
      client.payments.prepayNative({
        description: 'Bench order',
        out_trade_no: outTradeNo(),
        amount: { total: 100 },
      }),
    // The body the library sends for the same order.
    baseline: () =>
      bare.call('POST', PREPAY_PATH, {
        appid: simulator.merchant.appid,
        mchid: simulator.merchant.mchid,
        description: 'Bench order',
        out_trade_no: outTradeNo(),
        notify_url: NO_RECEIVER_NOTIFY_URL,
        amount: { total: 100 },
      }),
  },
  query: {
    ours: () => client.payments.queryByOutTradeNo('BENCH0000000001'),
    baseline: () =>
      bare.call(
        'GET',
        `/v3/pay/transactions/out-trade-no/BENCH0000000001?mchid=${simulator.merchant.mchid}`,
      ),
  },
};

/** `total` calls over `concurrency` lanes, each lane one call after the other. */
async function block(call: () => Promise<unknown>, concurrency: number, total: number) {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < total / concurrency; i++) await call();
    }),
  );
}

const results: string[] = [];
for (const kind of ['query', 'prepay'] as const) {
  for (const concurrency of [1, 16]) {
    it(`${kind} at concurrency ${concurrency}: ≥ 0.8 of a bare node:http + node:crypto client`, async () => {
      const { ours, baseline } = calls[kind];
      // Both answer the same, verified: a broken bench must not look fast.
      expect(await ours()).toMatchObject(JSON.parse(ANSWERS[kind]!) as object);
      expect(await baseline()).toEqual(JSON.parse(ANSWERS[kind]!));
      const total = concurrency === 1 ? 8 : 64;
      const value = await ratio({
        iterations: 1,
        pairs: 40,
        baseline: () => block(baseline, concurrency, total),
        ours: () => block(ours, concurrency, total),
      });
      report(`client-${kind}-c${concurrency}`, { ratio: value });
      results.push(`${kind}-c${concurrency}=${value.toFixed(3)}`);
      expect(value).toBeGreaterThanOrEqual(0.8);
    });
  }
}

/** What a careful hand-written client does: sign, send, read, verify, parse. */
class BareClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64, scheduling: 'lifo' });

  constructor(
    private readonly merchant: {
      mchid: string;
      serialNo: string;
      privateKey: KeyObject;
      platformKey: KeyObject;
      platformKeyId: string;
    },
  ) {}

  call(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<unknown> {
    const { mchid, serialNo, privateKey } = this.merchant;
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    const signature = sign(
      'sha256',
      Buffer.from(`${method}\n${path}\n${timestamp}\n${nonce}\n${body}\n`),
      privateKey,
    ).toString('base64');
    const headers: Record<string, string> = {
      Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${mchid}",nonce_str="${nonce}",timestamp="${timestamp}",serial_no="${serialNo}",signature="${signature}"`,
      Accept: 'application/json',
    };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const req = request({ ...base, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve(this.verified(res.statusCode ?? 0, res.headers, Buffer.concat(chunks)));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      req.on('error', reject);
      req.end(body || undefined);
    });
  }

  private verified(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): unknown {
    if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
    const timestamp = headers['wechatpay-timestamp'] as string;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) >= 300) throw new Error('stale');
    if (headers['wechatpay-serial'] !== this.merchant.platformKeyId) throw new Error('serial');
    const message = Buffer.concat([
      Buffer.from(`${timestamp}\n${headers['wechatpay-nonce'] as string}\n`),
      body,
      Buffer.from('\n'),
    ]);
    const signature = Buffer.from(headers['wechatpay-signature'] as string, 'base64');
    if (!verify('sha256', message, this.merchant.platformKey, signature)) {
      throw new Error('signature');
    }
    return JSON.parse(body.toString('utf8'));
  }

  close(): void {
    this.agent.destroy();
  }
}

afterAll(() => {
  report('client-summary', { ratios: results.join(',') });
});
