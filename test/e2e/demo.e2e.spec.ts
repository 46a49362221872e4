import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

it("npm run demo (the README's first command) walks through v3, v2, every channel and a second merchant, and exits 0", () => {
  // The sample app imports the package by its name, so it runs on the build, as a user's app would.
  const output = execFileSync('npm', ['run', '--silent', 'demo'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
  for (const heading of ['API v3', 'API v2', 'Other payment channels', 'A second merchant']) {
    expect(output).toContain(`══════════ ${heading}`);
  }
  // Pay and refund, notified and acknowledged: v3, v2 (XML answers) and the second merchant.
  for (const path of ['/wechatpay', '/wechatpay/v2', '/wechatpay/giftcards']) {
    expect(output).toMatch(new RegExp(`TRANSACTION\\.SUCCESS to ${path}/notify ← 200 `));
    expect(output).toMatch(new RegExp(`REFUND\\.SUCCESS to ${path}/refund-notify ← 200 `));
  }
  expect(output.match(/history +CREATED → PAID → REFUNDING → REFUNDED/g)).toHaveLength(3);
  expect(output).toContain('POST /secapi/pay/refund ← 200');
  for (const api of ['v3', 'v2']) {
    for (const channel of ['jsapi', 'app', 'h5']) expect(output).toContain(`▶ ${api} ${channel}:`);
  }
  expect(output.match(/order +CLOSED/g)).toHaveLength(2);
  // The marketplace order: the shop's share split and finished, the rest released.
  expect(output).toMatch(/split +shop \d+ gets 8960 fen · split FINISHED/);
  expect(output).toMatch(/released +shop \d+ gets 8960 fen · split – · still frozen 0 fen/);
  // The till: paid at once, after a password, reversed, failed; in v3 and in v2.
  expect(output).toContain('══════════ Code payments at the till');
  const till = [...output.matchAll(/till +(.+ → the order is \w+)/g)].map((m) => m[1]);
  expect(till).toEqual(
    ['PARAM_ERROR', 'AUTH_CODE_INVALID'].flatMap((badCode) => [
      'paid → the order is PAID',
      'paid → the order is PAID',
      'reversed → the order is CLOSED',
      `failed (${badCode}) → the order is CLOSED`,
    ]),
  );
  // A lost notification: the scheduled query found the payment and ran the handler, once.
  expect(output).toContain('══════════ A lost notification recovered, and the day reconciled');
  expect(output).toMatch(
    /queries +GET \/v3\/pay\/transactions\/out-trade-no\/\w+\?mchid=\d+ ← 200/,
  );
  expect(output).toMatch(/notified +0 TRANSACTION notification\(s\) answered/);
  expect(output).toMatch(/recovered +CREATED → PAID \(transaction \d+\)/);
  // The day's bill against the orders table: clean, then the injected fen off found.
  expect(output).toMatch(/reconciliation of \d{4}-\d{2}-\d{2} \(API v3\): no differences/);
  expect(output).toMatch(/reconciliation of \d{4}-\d{2}-\d{2} \(API v3\): 1 difference\n/);
  expect(output).toMatch(
    /amount mismatches: 1\n +- \w+: 18\.00 yuan here, 17\.99 yuan at WeChat Pay/,
  );
  expect(output).toContain('Demo finished');
}, 200_000);

it('npm run demo -- --serve keeps running and prints the checkout page’s URL', async () => {
  // Runs after the test above, which built the sample app.
  const child = spawn(process.execPath, ['sample-app/dist/demo.js', '--serve'], {
    cwd: root,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Checkout page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
    });
    const page = await fetch(url);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Scan and pay (simulator)');
    const config = (await (await fetch(`${url}checkout/config`)).json()) as { simulator: boolean };
    expect(config.simulator).toBe(true);
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill();
  }
}, 120_000);

it('npm run demo -- --serve on a busy port says which port is taken and how to choose another, and exits 1 without a stack', async () => {
  // Runs after the first test, which built the sample app.
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const { port } = busy.address() as AddressInfo;
  try {
    const child = spawn(process.execPath, ['sample-app/dist/demo.js', '--serve'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(output).toMatch(/PORT=\d+ npm run demo -- --serve/);
    expect(output).not.toMatch(/^\s+at /m);
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
}, 120_000);
