import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWechatPayConfig, WechatPayClient } from '../../lib/index.js';
import { encryptResource } from '../../lib/core/crypto/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { simulatorEnv } from '../../sample-app/src/simulator/simulator-env.js';
import { runCliCaptured } from '../support/cli-io.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const work = join(import.meta.dirname, '../artifacts/cli');
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let simulator: WechatPaySimulator;
let client: WechatPayClient;
let env: Record<string, string>;

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  simulator = await new WechatPaySimulator({
    https: true,
    notifications: { autoDeliver: false },
  }).start();
  env = simulatorEnv(simulator);
  client = new WechatPayClient(
    resolveWechatPayConfig(simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL })),
  );
});
afterAll(async () => {
  client?.close();
  await simulator?.stop();
});

async function paidOrder(total: number): Promise<string> {
  const outTradeNo = orderNo('CLI');
  await client.payments.prepayNative({
    description: 'CLI',
    out_trade_no: outTradeNo,
    amount: { total },
  });
  simulator.pay(outTradeNo);
  return outTradeNo;
}

describe('nestjs-wechatpay (usage)', () => {
  it('--help lists every command, exit 0; no command is a usage error, exit 2', async () => {
    const help = await runCliCaptured(['--help'], {});
    expect(help.code).toBe(0);
    for (const name of ['certificates', 'verify-notification', 'bill', 'simulator']) {
      expect(help.out).toContain(`  ${name}`);
    }
    const none = await runCliCaptured([], {});
    expect(none).toMatchObject({ code: 2, out: '' });
    expect(none.err).toContain('error: no command given');
  });

  it.each(['certificates', 'verify-notification', 'bill', 'simulator'])(
    '%s --help prints its usage and options, exit 0, without touching WeChat Pay',
    async (name) => {
      const before = simulator.requests.length;
      const { code, out } = await runCliCaptured([name, '--help'], env);
      expect(code).toBe(0);
      expect(out).toContain(`Usage: nestjs-wechatpay ${name}`);
      expect(out).toContain('--json');
      expect(simulator.requests.length).toBe(before);
    },
  );

  it.each([
    [['refund'], 'unknown command "refund"'],
    [['bill', '--date', '2026-02-30'], '--date <yyyy-MM-dd> is required'],
    [['bill', '--date', today(), '--type', 'DAILY'], '--type must be one of ALL, SUCCESS, REFUND'],
    [['bill', '--date', today(), '--fund-flow', '--type', 'ALL'], '--type is for trade bills'],
    [['bill', '--date'], "Option '--date <value>' argument missing"],
    [['certificates', '--serial', 'X'], "Unknown option '--serial'"],
    [['certificates', 'extra'], "Unexpected argument 'extra'"],
    [
      ['verify-notification', '--body', 'missing.json'],
      '--body missing.json cannot be read: ENOENT',
    ],
    [['simulator', '--port', 'http'], '--port must be a port number'],
    [
      ['simulator', '--keys-dir', join(import.meta.dirname, 'cli.e2e.spec.ts', 'keys')],
      'cannot be written: ENOTDIR',
    ],
  ])('%j is a usage error: exit 2, what is wrong on stderr', async (argv, message) => {
    const before = simulator.requests.length;
    const { code, out, err } = await runCliCaptured(argv, env, { cwd: work });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(simulator.requests.length).toBe(before);
  });

  it('a configuration the library refuses fails with exit 1 and names the variables to fix', async () => {
    const { WECHATPAY_API_V3_KEY: _, ...rest } = env;
    const { code, out, err } = await runCliCaptured(['certificates', '--json'], {
      ...rest,
      WECHATPAY_API_V3_KEY: 'short',
    });
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({
      ok: false,
      error: {
        name: 'WechatPayConfigError',
        message: expect.stringContaining('WECHATPAY_API_V3_KEY'),
      },
    });
    expect(err).toContain('apiV3Key (WECHATPAY_API_V3_KEY)');
    expect(err).not.toContain(env.WECHATPAY_PRIVATE_KEY!.slice(40, 80));
  });
});

describe('nestjs-wechatpay certificates', () => {
  it('prints the serial and validity of every platform certificate the simulator lists', async () => {
    const rotated = await simulator.rotatePlatformCertificate();
    const { code, out } = await runCliCaptured(['certificates', '--json'], env);
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      mchid: string;
      certificates: {
        serial: string;
        validFrom: string;
        validTo: string;
        status: string;
        daysLeft: number;
      }[];
    };
    expect(report.mchid).toBe(simulator.merchant.mchid);
    expect(report.certificates.map((c) => c.serial)).toContain(rotated);
    expect(report.certificates).toHaveLength(2);
    for (const certificate of report.certificates) {
      expect(certificate.status).toBe('valid');
      expect(Date.parse(certificate.validTo)).toBeGreaterThan(Date.now());
      expect(certificate.daysLeft).toBeGreaterThan(300);
    }
    const text = await runCliCaptured(['certificates'], env);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`Merchant ${simulator.merchant.mchid}: 2 platform certificate(s)`);
    expect(text.out).toContain(rotated);
  });

  it('fails with exit 1 when the APIv3 key does not decrypt the list, and says which key', async () => {
    const { code, err } = await runCliCaptured(['certificates'], {
      ...env,
      WECHATPAY_API_V3_KEY: 'A'.repeat(32),
    });
    expect(code).toBe(1);
    expect(err).toContain('apiV3Key');
    expect(err).toContain('could not be decrypted');
    expect(err).not.toContain('A'.repeat(32));
  });

  it('reads the merchant from --env-file under --env-prefix', async () => {
    const file = join(work, 'hk.env');
    writeFileSync(
      file,
      Object.entries(env)
        .map(([name, value]) => `${name.replace(/^WECHATPAY_/, 'WECHATPAY_HK_')}="${value}"\n`)
        .join(''),
    );
    const { code, out } = await runCliCaptured(
      ['certificates', '--env-file', file, '--env-prefix', 'WECHATPAY_HK_', '--json'],
      {},
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ mchid: simulator.merchant.mchid });
  });
});

describe('nestjs-wechatpay verify-notification', () => {
  function capture(name: string, notification: { headers: Record<string, string>; body: string }) {
    const headers = join(work, `${name}.headers.json`);
    const body = join(work, `${name}.body.json`);
    writeFileSync(headers, JSON.stringify(notification.headers));
    writeFileSync(body, notification.body);
    return ['--headers', headers, '--body', body];
  }

  it('a genuine notification verifies: exit 0, the envelope printed, the payload only when asked', async () => {
    const outTradeNo = await paidOrder(88);
    const files = capture('good', simulator.signedTransactionNotification(outTradeNo));
    const { code, out } = await runCliCaptured(['verify-notification', ...files, '--json'], env);
    expect(code).toBe(0);
    const report = JSON.parse(out) as Record<string, unknown>;
    expect(report).toMatchObject({
      ok: true,
      version: 'v3',
      envelope: { event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource' },
    });
    expect(report).not.toHaveProperty('payload');
    expect(out).not.toContain(outTradeNo);
    const shown = await runCliCaptured(
      ['verify-notification', ...files, '--show-payload', '--json'],
      env,
    );
    expect(JSON.parse(shown.out)).toMatchObject({
      payload: { out_trade_no: outTradeNo, amount: { total: 88 } },
    });
  });

  it('reads "Name: value" header lines as a proxy dumps them', async () => {
    const outTradeNo = await paidOrder(1);
    const { headers, body } = simulator.signedTransactionNotification(outTradeNo);
    const headerFile = join(work, 'dump.headers.txt');
    writeFileSync(
      headerFile,
      `POST /wechatpay/notify HTTP/1.1\r\n${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n')}\r\n`,
    );
    writeFileSync(join(work, 'dump.body.json'), body);
    const { code, out } = await runCliCaptured(
      ['verify-notification', '--headers', headerFile, '--body', join(work, 'dump.body.json')],
      env,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^OK: TRANSACTION\.SUCCESS notification \S+ verified and decrypted\./);
  });

  it.each([
    ['a tampered body', { tamperBody: true }, 'signature'],
    ['a forged signature', { tamperSignature: true }, 'signature'],
    ['a stale timestamp', { timestampOffsetSeconds: -3600 }, 'window'],
    ['an unknown serial', { serial: 'ABCDEF0123456789' }, 'serial'],
    ['a missing header', { omitHeader: 'Wechatpay-Nonce' }, 'headers'],
  ] as const)('%s fails: exit 1, the failed check named', async (name, tamper, check) => {
    const outTradeNo = await paidOrder(2);
    const files = capture(
      name.replace(/\W+/g, '-'),
      simulator.signedTransactionNotification(outTradeNo, tamper),
    );
    const { code, out } = await runCliCaptured(['verify-notification', ...files, '--json'], env);
    expect(code).toBe(1);
    const report = JSON.parse(out) as { ok: boolean; check: string; reason: string };
    expect(report).toMatchObject({ ok: false, check });
    expect(report.reason.length).toBeGreaterThan(20);
    const text = await runCliCaptured(['verify-notification', ...files], env);
    expect(text.code).toBe(1);
    expect(text.out).toContain(`FAILED (${check}): `);
  });

  it('a signed notification sealed with another APIv3 key fails at decryption', async () => {
    const outTradeNo = await paidOrder(3);
    const genuine = JSON.parse(simulator.signedTransactionNotification(outTradeNo).body) as {
      resource: { associated_data: string };
    };
    const resealed = JSON.stringify({
      ...genuine,
      resource: {
        ...encryptResource(JSON.stringify({ out_trade_no: outTradeNo }), 'B'.repeat(32), {
          associatedData: genuine.resource.associated_data,
        }),
        original_type: 'transaction',
      },
    });
    const files = capture(
      'resealed',
      simulator.signedTransactionNotification(outTradeNo, { body: resealed }),
    );
    const { code, out } = await runCliCaptured(['verify-notification', ...files, '--json'], env);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, check: 'decryption' });
  });

  it('with the wrong APIv3 key, the serial cannot be checked and the reason names the key', async () => {
    const outTradeNo = await paidOrder(4);
    const files = capture('wrong-key', simulator.signedTransactionNotification(outTradeNo));
    const { code, out } = await runCliCaptured(['verify-notification', ...files, '--json'], {
      ...env,
      WECHATPAY_API_V3_KEY: 'B'.repeat(32),
    });
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({
      ok: false,
      check: 'serial',
      reason: expect.stringContaining('apiV3Key'),
    });
  });
});

describe('nestjs-wechatpay bill', () => {
  it("downloads, checks and parses today's trade bill; rows and summary; exit 0", async () => {
    const first = await paidOrder(1999);
    const second = await paidOrder(1);
    const { code, out, err } = await runCliCaptured(
      ['bill', '--date', today(), '--rows', '--json'],
      env,
    );
    expect(code).toBe(0);
    expect(err).toBe('');
    const report = JSON.parse(out) as {
      kind: string;
      type: string;
      bytes: number;
      rowCount: number;
      summary: { count: number; settlement_total: number };
      rows: Record<string, unknown>[];
    };
    expect(report).toMatchObject({ kind: 'trade', type: 'ALL' });
    expect(report.rowCount).toBe(report.summary.count);
    expect(report.rows).toHaveLength(report.rowCount);
    expect(report.bytes).toBeGreaterThan(200);
    const mine = report.rows.filter((row) => [first, second].includes(row.out_trade_no as string));
    expect(mine.map((row) => row.settlement_total).sort()).toEqual([1, 1999]);
    // The payer's openid is a payer identifier: never printed.
    expect(report.rows.every((row) => !('openid' in row))).toBe(true);
    expect(typeof mine[0]!.trade_time).toBe('string');
  });

  it('shows bytes and rows as it goes on a terminal only', async () => {
    await paidOrder(5);
    const tty = await runCliCaptured(['bill', '--date', today()], env, { isTTY: true });
    expect(tty.code).toBe(0);
    expect(tty.err).toMatch(/\rdownloading the bill: \d+ bytes, \d+ rows/);
    expect(tty.out).toMatch(/trade bill \(ALL\): \d+ rows, \d+ bytes, SHA1 hash checked/);
    const piped = await runCliCaptured(['bill', '--date', today()], env, { isTTY: false });
    expect(piped.err).toBe('');
  });

  it('reads the fund-flow bill with --fund-flow', async () => {
    await paidOrder(300);
    const { code, out } = await runCliCaptured(
      ['bill', '--date', today(), '--fund-flow', '--json'],
      env,
    );
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      kind: string;
      account: string;
      rowCount: number;
      summary: { count: number };
    };
    expect(report).toMatchObject({ kind: 'fund-flow', account: 'BASIC' });
    expect(report.rowCount).toBe(report.summary.count);
    expect(report.rowCount).toBeGreaterThan(0);
  });
});
