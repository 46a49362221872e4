import { afterEach, describe, expect, it, vi } from 'vitest';
import type { INestApplication } from '@nestjs/common';
import {
  WechatPayConfigError,
  WechatPayService,
  WechatPaySignatureError,
  type WechatPayOptions,
} from '../../lib/index.js';
import { WechatPaySimulator, type WechatPaySimulatorOptions } from '../../lib/testing/index.js';
import { bootWechatPay, NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

let simulator: WechatPaySimulator;
let app: INestApplication | undefined;
let wechatPay: WechatPayService;

async function boot(
  options: WechatPaySimulatorOptions = {},
  module: (s: WechatPaySimulator) => WechatPayOptions = (s) =>
    s.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
) {
  simulator = await new WechatPaySimulator(options).start();
  ({ app, wechatPay } = await bootWechatPay(module(simulator)));
}

afterEach(async () => {
  await app?.close();
  app = undefined;
  await simulator.stop();
});

const placeOrder = () =>
  wechatPay.payments.prepayNative({
    description: 'Verify me',
    out_trade_no: orderNo(),
    amount: { total: 100 },
  });
const certificateDownloads = () =>
  simulator.requests.filter((r) => r.path === '/v3/certificates').length;

describe('answers that do not verify are rejected and return no data', () => {
  // The simulator signs in one second and the client checks in the same or, on a loaded
  // machine, the next: a skew of 301 s may read 302 s (or 300 s, still refused, when ahead).
  it.each([
    ['an altered body', { body: true }, /does not verify/],
    ['an altered signature', { signature: true }, /does not verify/],
    [
      'a timestamp 301 s old',
      { timestampOffsetSeconds: -301 },
      /30[12] s away from local time \(limit 300 s\)/,
    ],
    ['a timestamp 301 s ahead', { timestampOffsetSeconds: 301 }, /30[01] s away/],
  ])('%s → WechatPaySignatureError', async (_name, tamper, message) => {
    await boot();
    await placeOrder(); // loads the certificates
    simulator.tamperNextResponse(tamper);
    const outcome = await placeOrder().then(
      (data) => ({ data }),
      (error: unknown) => ({ error }),
    );
    expect(outcome).not.toHaveProperty('data');
    expect((outcome as { error: unknown }).error).toBeInstanceOf(WechatPaySignatureError);
    expect((outcome as { error: Error }).error.message).toMatch(message);
  });

  it('accepts a timestamp 299 s old', async () => {
    await boot();
    simulator.tamperNextResponse({ timestampOffsetSeconds: -299 });
    // The clock stands still (the simulator runs in this process): signed and checked in one
    // second, as a loaded machine could otherwise make it 300 s old by the check.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await expect(placeOrder()).resolves.toHaveProperty('code_url');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refreshes the certificate list once for an unknown serial, then rejects; the refresh is rate-limited', async () => {
    await boot();
    await placeOrder();
    expect(certificateDownloads()).toBe(1);
    for (let i = 0; i < 5; i++) {
      simulator.tamperNextResponse({ serial: '7F00000000000000000000000000000000000000' });
      await expect(placeOrder()).rejects.toThrow(/unknown serial 7F0+/);
    }
    expect(certificateDownloads()).toBe(2);
  });
});

describe('verification sources', () => {
  it('keeps working when the platform certificate rotates mid-run', async () => {
    await boot();
    await placeOrder();
    const oldSerial = simulator.platformSerial;
    const newSerial = await simulator.rotatePlatformCertificate();
    expect(newSerial).not.toBe(oldSerial);
    await expect(placeOrder()).resolves.toHaveProperty('code_url');
    expect(certificateDownloads()).toBe(2);
    expect(wechatPay.platformKeys.knownSerials).toEqual(
      expect.arrayContaining([oldSerial, newSerial]),
    );
    expect((await wechatPay.encryptSensitive('x')).serial).toBe(newSerial);
  });

  it('keeps working when the old certificate is withdrawn at the rotation', async () => {
    await boot();
    await placeOrder();
    const newSerial = await simulator.rotatePlatformCertificate({ keepOld: false });
    await expect(placeOrder()).resolves.toHaveProperty('code_url');
    expect(wechatPay.platformKeys.knownSerials).toEqual([newSerial]);
  });

  it('public-key mode: verifies with the WeChat Pay public key and never downloads certificates', async () => {
    await boot({ verification: 'publicKey' });
    await expect(placeOrder()).resolves.toHaveProperty('code_url');
    const { serial } = await wechatPay.encryptSensitive('李四');
    expect(serial).toBe(simulator.publicKeyId);
    expect(
      simulator.decryptSensitive((await wechatPay.encryptSensitive('李四')).ciphertext, serial),
    ).toBe('李四');
    // Give a (wrong) background refresh the time to show up before asserting there is none.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(certificateDownloads()).toBe(0);
  });

  it('public-key mode without the key configured: tells the user to configure it', async () => {
    await boot({ verification: 'publicKey' }, (s) => {
      // The error at first use is tested here; start-up stopping on it in startup-check.e2e.
      const {
        platformPublicKey: _k,
        platformPublicKeyId: _i,
        ...options
      } = s.moduleOptions({
        startupTimeout: 0,
        notifyUrl: NO_RECEIVER_NOTIFY_URL,
      });
      return options;
    });
    await expect(placeOrder()).rejects.toThrow(/Set platformPublicKey and platformPublicKeyId/);
    await expect(wechatPay.encryptSensitive('x')).rejects.toBeInstanceOf(WechatPayConfigError);
    await expect(wechatPay.encryptSensitive('x')).rejects.toThrow(/answered 404/);
  });

  it('mixed mode (migration): works while WeChat Pay switches from the certificate to the public key', async () => {
    await boot({ verification: 'both' });
    await expect(placeOrder()).resolves.toHaveProperty('code_url');
    simulator.signWith('publicKey');
    await expect(placeOrder()).resolves.toHaveProperty('code_url');
    simulator.signWith('certificate');
    await expect(placeOrder()).resolves.toHaveProperty('code_url');
  });
});
