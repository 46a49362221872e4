import { Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import {
  resolveWechatPayConfig,
  WechatPayApiError,
  WechatPayClient,
  WechatPayConfigError,
  WechatPayModule,
  type WechatPayOptions,
  WechatPayService,
} from '../../lib/index.js';
import {
  createTestMerchant,
  WechatPaySimulator,
  type WechatPaySimulatorOptions,
} from '../../lib/testing/index.js';
import { ADAPTERS, type AdapterName, CapturingLogger, startApp } from '../support/nest-app.js';
import { orderNo } from '../support/wechatpay-app.js';

const notifyUrl = 'https://shop.example.com/wechatpay/notify';
/** An APIv3 key of the right length that is not the one the simulator encrypts with. */
const wrongApiV3Key = createTestMerchant().apiV3Key;

let simulator: WechatPaySimulator | undefined;
let app: INestApplication | undefined;
let client: WechatPayClient | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  client?.close();
  client = undefined;
  await simulator?.stop();
  simulator = undefined;
});

async function startSimulator(options: WechatPaySimulatorOptions = {}) {
  simulator = await new WechatPaySimulator(options).start();
  return simulator;
}

/** Starts a Nest app with one registration; resolves with the logger and the time it took. */
async function start(options: WechatPayOptions, adapter: AdapterName = 'express') {
  @Module({ imports: [WechatPayModule.forRoot(options)] })
  class AppModule {}
  const logger = new CapturingLogger();
  const started = performance.now();
  const outcome = await startApp(AppModule, adapter, logger).then(
    (result) => {
      app = result.app;
      return { error: undefined };
    },
    (error: unknown) => ({ error }),
  );
  return { ...outcome, logger, ms: performance.now() - started };
}

const certificateDownloads = () =>
  simulator!.requests.filter((r) => r.path === '/v3/certificates').length;

describe.each(ADAPTERS)('start-up on %s', (adapter) => {
  it('a wrong APIv3 key stops start-up with a config error naming apiV3Key, before any order', async () => {
    const s = await startSimulator();
    const { error, logger } = await start(
      s.moduleOptions({ apiV3Key: wrongApiV3Key, notifyUrl }),
      adapter,
    );
    expect(error).toBeInstanceOf(WechatPayConfigError);
    expect((error as WechatPayConfigError).fields).toEqual(['apiV3Key']);
    expect((error as Error).message).toMatch(/could not be decrypted/);
    expect(s.requests.map((r) => r.path)).toEqual(['/v3/certificates']);
    const everything = `${(error as Error).message}\n${logger.text}`;
    expect(everything).not.toContain(wrongApiV3Key);
    expect(everything).not.toContain(s.merchant.apiV3Key);
  });

  it('WeChat Pay unreachable: start-up goes on at once with a warning', async () => {
    const s = await startSimulator();
    // A long startupTimeout: waiting for it instead of going on at once would show, while a
    // loaded machine's slow Nest boot (seconds) does not.
    const options = s.moduleOptions({ notifyUrl, startupTimeout: 30_000 });
    await s.stop();
    simulator = undefined;
    const { error, logger, ms } = await start(options, adapter);
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(10_000);
    expect(logger.text).toMatch(
      /platform certificates could not be fetched at start-up; they will be fetched when first needed\. GET \/v3\/certificates got no answer \(.*ECONNREFUSED/,
    );
  });
});

describe('start-up check', () => {
  it('downloads the platform certificates at start-up, so the first order does not', async () => {
    const s = await startSimulator();
    const { error, logger } = await start(s.moduleOptions({ notifyUrl }));
    expect(error).toBeUndefined();
    expect(certificateDownloads()).toBe(1);
    const wechatPay = app!.get(WechatPayService);
    await wechatPay.payments.prepayNative({
      description: 'First order',
      out_trade_no: orderNo(),
      amount: { total: 1 },
      notify_url: notifyUrl,
    });
    expect(certificateDownloads()).toBe(1);
    expect(logger.text).not.toMatch(/certificates could not be fetched/);
  });

  it('a connection failure at start-up is retried when the certificates are first needed', async () => {
    const s = await startSimulator();
    s.injectFault({ type: 'reset' }, { count: 2, listener: 'any' });
    const { error, logger } = await start(s.moduleOptions({ notifyUrl }));
    expect(error).toBeUndefined();
    expect(logger.text).toMatch(/could not be fetched at start-up/);
    await expect(
      app!.get(WechatPayService).payments.prepayNative({
        description: 'After a failed start-up download',
        out_trade_no: orderNo(),
        amount: { total: 1 },
        notify_url: notifyUrl,
      }),
    ).resolves.toHaveProperty('code_url');
  });

  it('waits at most startupTimeout, then lets the download finish in the background', async () => {
    const s = await startSimulator();
    // The download takes 6 s (within the 10 s request timeout); start-up must not wait for it,
    // with room for a loaded machine's slow Nest boot.
    s.injectFault({ type: 'delay', ms: 6000 });
    const { error, logger, ms } = await start(s.moduleOptions({ notifyUrl, startupTimeout: 300 }));
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(4500);
    expect(logger.text).toMatch(/not fetched within 300 ms/);
    const wechatPay = app!.get(WechatPayService);
    await expect(
      wechatPay.payments.prepayNative({
        description: 'While the start-up download finishes',
        out_trade_no: orderNo(),
        amount: { total: 1 },
        notify_url: notifyUrl,
      }),
    ).resolves.toHaveProperty('code_url');
    expect(certificateDownloads()).toBe(1);
  });

  it('startupTimeout 0 skips the check', async () => {
    const s = await startSimulator();
    const { error } = await start(
      s.moduleOptions({ apiV3Key: wrongApiV3Key, notifyUrl, startupTimeout: 0 }),
    );
    expect(error).toBeUndefined();
    expect(s.requests).toHaveLength(0);
  });

  it('public-key mode: nothing is fetched at start-up', async () => {
    const s = await startSimulator({ verification: 'publicKey' });
    const { error } = await start(s.moduleOptions({ apiV3Key: wrongApiV3Key, notifyUrl }));
    expect(error).toBeUndefined();
    expect(s.requests).toHaveLength(0);
  });

  it('a merchant without platform certificates and no public key configured cannot start', async () => {
    const s = await startSimulator({ verification: 'publicKey' });
    const {
      platformPublicKey: _key,
      platformPublicKeyId: _id,
      ...options
    } = s.moduleOptions({ notifyUrl });
    const { error } = await start(options);
    expect(error).toBeInstanceOf(WechatPayConfigError);
    expect((error as WechatPayConfigError).fields).toEqual(['platformPublicKey']);
    expect((error as Error).message).toMatch(/answered 404/);
  });
});

describe('WechatPayClient.init() without Nest', () => {
  it('rejects a wrong APIv3 key, and only warns when WeChat Pay is unreachable', async () => {
    const s = await startSimulator();
    const warnings: string[] = [];
    client = new WechatPayClient(
      resolveWechatPayConfig(s.moduleOptions({ apiV3Key: wrongApiV3Key })),
      { warn: (message) => warnings.push(message) },
    );
    const error = await client.init().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayConfigError);
    expect((error as WechatPayConfigError).fields).toEqual(['apiV3Key']);
    client.close();

    const options = s.moduleOptions();
    await s.stop();
    simulator = undefined;
    client = new WechatPayClient(resolveWechatPayConfig(options), {
      warn: (message) => warnings.push(message),
    });
    await expect(client.init()).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/could not be fetched at start-up/)]);
  });
});

describe('a refused first certificate download', () => {
  it('names the public-key options as the likely fix', async () => {
    const s = await startSimulator();
    s.injectFault({ type: 'status', status: 403, code: 'NO_AUTH', message: '商户无权限' });
    client = new WechatPayClient(resolveWechatPayConfig(s.moduleOptions()));
    const error = await client.encryptSensitive('张三').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayApiError);
    expect(error).toMatchObject({ status: 403, code: 'NO_AUTH' });
    expect((error as Error).message).toMatch(
      /platformPublicKey \(or platformPublicKeyPath\) and platformPublicKeyId/,
    );
  });
});
