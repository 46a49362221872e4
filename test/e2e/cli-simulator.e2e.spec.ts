import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wechatPayOptionsFromEnv } from '../../lib/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { startNotifyApp } from '../support/notify-app.js';
import { type PackedPackage, packRepository } from '../support/packed-package.js';
import { orderNo } from '../support/wechatpay-app.js';

// The published package, installed into an app of its own outside the repository, runs
// `npx nestjs-wechatpay simulator`; an app configured only from what it printed pays and refunds.
const work = join(import.meta.dirname, '../artifacts/cli-package');
let temp = '';
let consumer = '';
let packed: PackedPackage;

beforeAll(() => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  packed = packRepository(work);
  temp = mkdtempSync(join(tmpdir(), 'nestjs-wechatpay-cli-'));
  consumer = join(temp, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }');
  // A development install: the package and the simulator's optional peer.
  execFileSync(
    'npm',
    [
      'install',
      packed.tarball,
      '@peculiar/x509',
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
    ],
    { cwd: consumer, stdio: 'ignore' },
  );
}, 240_000);
afterAll(() => {
  packed?.cleanUp();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** The simulator started by npx, and what it printed so far. */
class SimulatorProcess {
  out = '';
  err = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (text: string) => (this.out += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (this.err += text));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  async until(text: string, timeoutMs = 60_000): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; !this.out.includes(text);) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `no "${text}" from the simulator; stdout:\n${this.out}\nstderr:\n${this.err}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The `NAME=value` lines it printed. */
  variables(): Record<string, string> {
    return Object.fromEntries(
      [...this.out.matchAll(/^(WECHATPAY_[A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
  }
}

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('packs the CLI as an executable bin with a shebang', () => {
  const manifest = JSON.parse(
    readFileSync(join(consumer, 'node_modules/nestjs-wechatpay/package.json'), 'utf8'),
  ) as { bin: Record<string, string> };
  expect(manifest.bin).toEqual({ 'nestjs-wechatpay': './dist/cli/main.js' });
  const main = packed.files.find((f) => f.path === 'dist/cli/main.js');
  expect(main!.mode & 0o111).toBe(0o111);
  const installed = join(consumer, 'node_modules/nestjs-wechatpay/dist/cli/main.js');
  expect(readFileSync(installed, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  expect(statSync(installed).mode & 0o100).toBe(0o100);
  const help = execFileSync('npx', ['nestjs-wechatpay', '--help'], {
    cwd: consumer,
    encoding: 'utf8',
  });
  expect(help).toContain('Usage: nestjs-wechatpay <command> [options]');
});

it('npx nestjs-wechatpay simulator: an app configured only from its variables pays, is notified and refunds; SIGINT stops it with exit 0', async () => {
  const keysDir = join(temp, 'keys');
  const simulator = new SimulatorProcess(
    spawn(
      'npx',
      ['nestjs-wechatpay', 'simulator', '--keys-dir', keysDir, '--refund-after-ms', '200'],
      {
        cwd: consumer,
        stdio: 'pipe',
      },
    ),
  );
  let pid = 0;
  try {
    await simulator.until('stops the simulator.');
    const variables = simulator.variables();
    expect(Object.keys(variables).sort()).toEqual([
      'WECHATPAY_API_KEY',
      'WECHATPAY_API_V3_KEY',
      'WECHATPAY_APPID',
      'WECHATPAY_BACKUP_DOMAIN',
      'WECHATPAY_DOMAIN',
      'WECHATPAY_MCHID',
      'WECHATPAY_PRIVATE_KEY_PATH',
      'WECHATPAY_SERIAL_NO',
    ]);
    expect(variables.WECHATPAY_DOMAIN).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(variables.WECHATPAY_PRIVATE_KEY_PATH).toBe(join(keysDir, 'apiclient_key.pem'));
    expect(statSync(join(keysDir, 'apiclient_key.pem')).mode & 0o077).toBe(0);
    expect(readFileSync(join(keysDir, 'wechatpay.env'), 'utf8')).toContain(
      `WECHATPAY_MCHID=${variables.WECHATPAY_MCHID}\n`,
    );
    pid = Number(/kill -INT (\d+)/.exec(simulator.out)![1]);

    for (const adapter of ADAPTERS) {
      // Nothing but the printed variables: no simulator object, no key in the test's hands.
      const shop = await startNotifyApp(adapter, wechatPayOptionsFromEnv(variables));
      try {
        const outTradeNo = orderNo(`CLI${adapter.slice(0, 2).toUpperCase()}`);
        await shop.wechatPay.payments.prepayNative({
          description: 'standalone simulator',
          out_trade_no: outTradeNo,
          amount: { total: 1200 },
          notify_url: shop.notifyUrl,
        });
        simulator.child.stdin.write(`pay ${outTradeNo}\n`);
        await simulator.until(`# paid ${outTradeNo} SUCCESS`);
        const paid = await until(
          () => shop.ledger.paid.find((p) => p.out_trade_no === outTradeNo),
          'the payment notification',
        );
        expect(paid).toMatchObject({ trade_state: 'SUCCESS', amount: { total: 1200 } });

        const outRefundNo = `R${outTradeNo}`.slice(0, 32);
        const refund = await shop.wechatPay.refunds.create({
          out_trade_no: outTradeNo,
          out_refund_no: outRefundNo,
          amount: { refund: 500, total: 1200, currency: 'CNY' },
          notify_url: shop.refundNotifyUrl,
        });
        expect(refund.status).toBe('PROCESSING');
        const refunded = await until(
          () => shop.ledger.refunds.find((r) => r.out_refund_no === outRefundNo),
          'the refund notification',
        );
        expect(refunded).toMatchObject({ refund_status: 'SUCCESS', amount: { refund: 500 } });
        // State is kept while it runs: the order and the refund are still there to query.
        const query = await shop.wechatPay.refunds.query(outRefundNo);
        expect(query.status).toBe('SUCCESS');
      } finally {
        await shop.app.close();
      }
    }

    process.kill(pid, 'SIGINT');
    expect(await simulator.exited).toBe(0);
    expect(simulator.err).toContain('simulator stopped (SIGINT)');
    expect(existsSync(join(keysDir, 'apiclient_key.pem'))).toBe(true);
  } finally {
    if (simulator.child.exitCode === null) {
      // npx runs the CLI in a process of its own: stop both.
      if (pid) process.kill(pid, 'SIGKILL');
      simulator.child.kill('SIGKILL');
    }
  }
}, 120_000);
