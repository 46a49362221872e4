import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import {
  resolveWechatPayConfig,
  WechatPayClient,
  wechatPayOptionsFromEnv,
} from '../../lib/index.js';
import { runCliCaptured } from '../support/cli-io.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

/** The JSON lines written so far. */
const events = (out: string) =>
  out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Polls `read`; the deadline allows a loaded machine to generate the simulator's keys. */
async function until(read: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; !read();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('simulator --json: a started line, console commands answered line by line, stopped on the signal; the temporary keys folder removed', async () => {
  const stdin = new PassThrough();
  let stop!: (signal: string) => void;
  let out = '';
  const running = runCliCaptured(
    ['simulator', '--json', '--refund-after-ms', 'never'],
    {},
    {
      stdin,
      stop: new Promise((resolve) => (stop = resolve)),
      onOut: (text) => (out += text),
    },
  );
  await until(() => out.includes('"started"'), 'the started line');
  const [started] = events(out) as [
    {
      event: string;
      pid: number;
      env: Record<string, string>;
      keysDir: string;
      https: { url: string };
    },
  ];
  expect(started).toMatchObject({ event: 'started', pid: process.pid });
  expect(started.https.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(existsSync(started.env.WECHATPAY_PRIVATE_KEY_PATH!)).toBe(true);

  const client = new WechatPayClient(resolveWechatPayConfig(wechatPayOptionsFromEnv(started.env)));
  try {
    const outTradeNo = orderNo('CLIJSON');
    await client.payments.prepayNative({
      description: 'json',
      out_trade_no: outTradeNo,
      amount: { total: 10 },
      notify_url: NO_RECEIVER_NOTIFY_URL,
    });
    stdin.write(`pay ${outTradeNo}\n`);
    await until(() => events(out).length === 2, 'the paid line');
    expect(events(out)[1]).toEqual({
      event: 'paid',
      out_trade_no: outTradeNo,
      trade_state: 'SUCCESS',
    });
    const outRefundNo = `R${outTradeNo}`;
    await client.refunds.create({
      out_trade_no: outTradeNo,
      out_refund_no: outRefundNo,
      amount: { refund: 10, total: 10, currency: 'CNY' },
      notify_url: NO_RECEIVER_NOTIFY_URL,
    });
    // --refund-after-ms never: the refund waits for the console.
    expect((await client.refunds.query(outRefundNo)).status).toBe('PROCESSING');
    stdin.write(`refund ${outRefundNo} ABNORMAL\n`);
    await until(() => events(out).length === 3, 'the refund line');
    expect(events(out)[2]).toEqual({
      event: 'refund',
      out_refund_no: outRefundNo,
      status: 'ABNORMAL',
    });
    expect((await client.refunds.query(outRefundNo)).status).toBe('ABNORMAL');
  } finally {
    client.close();
  }
  stop('SIGTERM');
  const { code, err } = await running;
  expect(code).toBe(0);
  expect(events(out).at(-1)).toEqual({ event: 'stopped', signal: 'SIGTERM' });
  expect(err).toBe('');
  expect(existsSync(started.keysDir)).toBe(false);
});

it('simulator: an unknown console command is answered on stderr and the simulator keeps running', async () => {
  const stdin = new PassThrough();
  let stop!: (signal: string) => void;
  let out = '';
  let errSoFar = '';
  const running = runCliCaptured(
    ['simulator'],
    {},
    {
      stdin,
      stop: new Promise((resolve) => (stop = resolve)),
      onOut: (text) => (out += text),
      onErr: (text) => (errSoFar += text),
    },
  );
  await until(() => out.includes('stops the simulator.'), 'the banner');
  stdin.write('pay NOSUCHORDER\nfly away\n');
  await until(() => errSoFar.includes('fly away'), 'the answer to the second command');
  stop('SIGINT');
  const { err } = await running;
  expect(err).toContain('error: simulator: no order NOSUCHORDER');
  expect(err).toContain('error: unknown command "fly away"');
  expect(err).toContain('simulator stopped (SIGINT)');
});

it('simulator --port on a port in use fails with exit 1 and says so', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as { port: number };
  try {
    const { code, err } = await runCliCaptured(['simulator', '--port', String(port)], {});
    expect(code).toBe(1);
    expect(err).toContain('is in use');
  } finally {
    taken.close();
  }
});
