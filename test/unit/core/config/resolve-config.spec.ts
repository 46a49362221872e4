import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  MemoryIdempotencyStore,
  resolveWechatPayConfig,
  type WechatPayConfigError,
  type WechatPayOptions,
  wechatPayOptionsFromEnv,
} from '../../../../lib/index.js';
import { createTestMerchant } from '../../../../lib/testing/index.js';

const merchant = createTestMerchant();
const dir = mkdtempSync(join(tmpdir(), 'wechatpay-config-'));

function problemsOf(options: WechatPayOptions): WechatPayConfigError {
  try {
    resolveWechatPayConfig(options);
  } catch (error) {
    expect(error).toMatchObject({ name: 'WechatPayConfigError' });
    return error as WechatPayConfigError;
  }
  throw new Error('expected a WechatPayConfigError');
}

describe('resolveWechatPayConfig', () => {
  it('parses keys into KeyObjects and fills defaults', () => {
    const config = resolveWechatPayConfig(merchant.options);
    expect(config.privateKey).toBeInstanceOf(KeyObject);
    expect(config.apiV3Key).toBeInstanceOf(KeyObject);
    expect(config.apiV3Key?.symmetricKeySize).toBe(32);
    expect(config).toMatchObject({
      mchid: merchant.mchid,
      mode: 'merchant',
      timeout: 10_000,
      v2SignType: 'MD5',
      domains: {
        primary: 'https://api.mch.weixin.qq.com',
        backup: 'https://api2.mch.weixin.qq.com',
      },
      hasV3: true,
      hasV2: true,
    });
  });

  it('reads key files once, from privateKeyPath and platformPublicKeyPath', () => {
    const keyPath = join(dir, 'apiclient_key.pem');
    const pubPath = join(dir, 'pub_key.pem');
    writeFileSync(keyPath, merchant.privateKeyPem);
    writeFileSync(pubPath, merchant.publicKey.export({ type: 'spki', format: 'pem' }));
    const { privateKey: _omit, ...rest } = merchant.options;
    const config = resolveWechatPayConfig({
      ...rest,
      privateKeyPath: keyPath,
      platformPublicKeyPath: pubPath,
      platformPublicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
    });
    expect(config.privateKey?.asymmetricKeyType).toBe('rsa');
    expect(config.platformPublicKey?.type).toBe('public');
  });

  it.each([
    ['HK', 'https://apihk.mch.weixin.qq.com', undefined],
    ['US', 'https://apius.mch.weixin.qq.com', undefined],
    ['CHINA2', 'https://api2.mch.weixin.qq.com', 'https://api.mch.weixin.qq.com'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010', undefined],
  ])('resolves domain %s', (domain, primary, backup) => {
    expect(resolveWechatPayConfig({ ...merchant.options, domain }).domains).toEqual(
      backup ? { primary, backup } : { primary },
    );
  });

  it('takes an explicit backup domain, and false turns failover off', () => {
    expect(
      resolveWechatPayConfig({ ...merchant.options, domain: 'HK', backupDomain: 'US' }).domains,
    ).toEqual({
      primary: 'https://apihk.mch.weixin.qq.com',
      backup: 'https://apius.mch.weixin.qq.com',
    });
    expect(resolveWechatPayConfig({ ...merchant.options, backupDomain: false }).domains).toEqual({
      primary: 'https://api.mch.weixin.qq.com',
    });
  });

  it('keeps the declared AppIDs, appid apart', () => {
    const config = resolveWechatPayConfig({ ...merchant.options, appids: ['wx1111111111111111'] });
    expect(config).toMatchObject({ appid: merchant.appid, appids: ['wx1111111111111111'] });
    expect(resolveWechatPayConfig(merchant.options).appids).toEqual([]);
  });

  it('accepts a v2-only merchant', () => {
    const config = resolveWechatPayConfig({ mchid: '1900000109', apiKey: merchant.apiKey });
    expect(config.hasV3).toBe(false);
    expect(config.hasV2).toBe(true);
  });

  it.each<[string, Partial<WechatPayOptions> & Record<string, unknown>, string, RegExp]>([
    ['a missing mchid', { mchid: undefined }, 'mchid', /merchant number/],
    ['a mchid with letters', { mchid: 'abc' }, 'mchid', /digits only/],
    ['a 31-byte APIv3 key', { apiV3Key: 'a'.repeat(31) }, 'apiV3Key', /exactly 32 bytes/],
    ['a 33-byte APIv3 key', { apiV3Key: 'a'.repeat(33) }, 'apiV3Key', /exactly 32 bytes/],
    ['a 16-byte v2 key', { apiKey: 'a'.repeat(16) }, 'apiKey', /exactly 32 bytes/],
    ['an unknown domain', { domain: 'MARS' }, 'domain', /CHINA, CHINA2, HK, US/],
    ['a domain URL with a path', { domain: 'https://example.com/v3' }, 'domain', /without a path/],
    ['a timeout of 5 ms', { timeout: 5 }, 'timeout', /at least 100/],
    ['an unknown mode', { mode: 'isv' as 'partner' }, 'mode', /'merchant' or 'partner'/],
    ['a misspelt option', { apiv3Key: 'x' }, 'apiv3Key', /not an option/],
    ['a sub-merchant in merchant mode', { subMchid: '1900000111' }, 'subMchid', /partner-mode/],
    [
      'a public key id without a key',
      { platformPublicKeyId: 'PUB_KEY_ID_01' },
      'platformPublicKey',
      /pub_key.pem/,
    ],
    [
      'a malformed public key id',
      { platformPublicKeyId: 'KEY_1', platformPublicKey: merchant.publicKey },
      'platformPublicKeyId',
      /PUB_KEY_ID_/,
    ],
    ['a serial that is not hex', { serialNo: 'XYZ' }, 'serialNo', /openssl x509/],
    [
      'appids that are not a list',
      { appids: 'wx1,wx2' as unknown as string[] },
      'appids',
      /list of AppIDs/,
    ],
    ['appids with an empty entry', { appids: ['wx1', ''] }, 'appids', /without spaces or commas/],
  ])('rejects %s, naming the field and the fix', (_case, change, field, fix) => {
    const error = problemsOf({ ...merchant.options, ...change });
    const problem = error.problems.find((p) => p.field === field);
    expect(problem?.message).toMatch(fix);
    expect(error.message).toContain(field);
  });

  it('checks the whole IdempotencyStore contract at start-up, naming each missing method', () => {
    const noop = () => Promise.resolve(true);
    const withoutExtend = { claim: noop, complete: noop, release: noop };
    const error = problemsOf({ ...merchant.options, idempotencyStore: withoutExtend as never });
    expect(error.problems).toEqual([
      { field: 'idempotencyStore', message: expect.stringMatching(/missing extend\b/) },
    ]);
    const claimOnly = { claim: noop, extend: 'yes' };
    const message = problemsOf({ ...merchant.options, idempotencyStore: claimOnly as never })
      .problems[0]?.message;
    expect(message).toMatch(/missing extend, complete, release\b/);
    expect(
      problemsOf({ ...merchant.options, idempotencyStore: 'redis' as never }).problems[0]?.message,
    ).toMatch(/claim, extend, complete and release/);
    const store = new MemoryIdempotencyStore();
    expect(
      resolveWechatPayConfig({ ...merchant.options, idempotencyStore: store }).idempotencyStore,
    ).toBe(store);
  });

  it('bounds the notification handler time and each store call, with defaults', () => {
    const config = resolveWechatPayConfig(merchant.options);
    expect(config.notificationHandlerTimeoutMs).toBe(300_000);
    expect(config.notificationStoreTimeoutMs).toBe(2000);
    const set = resolveWechatPayConfig({
      ...merchant.options,
      notificationHandlerTimeoutMs: 5000,
      notificationStoreTimeoutMs: 500,
    });
    expect(set).toMatchObject({
      notificationHandlerTimeoutMs: 5000,
      notificationStoreTimeoutMs: 500,
    });
    const error = problemsOf({
      ...merchant.options,
      notificationHandlerTimeoutMs: 86_400_000,
      notificationStoreTimeoutMs: 60_000,
    });
    expect(error.problems).toEqual([
      expect.objectContaining({
        field: 'notificationHandlerTimeoutMs',
        message: expect.stringMatching(/at most 1 hour/),
      }),
      expect.objectContaining({
        field: 'notificationStoreTimeoutMs',
        message: expect.stringMatching(/at most 5000 ms/),
      }),
    ]);
  });

  it('rejects an unreadable private key file with the path and the error code', () => {
    const { privateKey: _omit, ...rest } = merchant.options;
    const error = problemsOf({ ...rest, privateKeyPath: join(dir, 'missing.pem') });
    expect(error.problems).toContainEqual(
      expect.objectContaining({
        field: 'privateKeyPath',
        message: expect.stringMatching(/cannot read .*missing\.pem.*ENOENT/),
      }),
    );
  });

  it('rejects a private key that is not PEM, and one that is not RSA', () => {
    const notPem = problemsOf({
      ...merchant.options,
      privateKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
    });
    expect(notPem.problems[0]).toMatchObject({
      field: 'privateKey',
      message: expect.stringMatching(/apiclient_key\.pem/),
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const notRsa = problemsOf({
      ...merchant.options,
      privateKey: ec.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    expect(notRsa.problems[0]?.message).toMatch(/expected an RSA private key, got an EC key/);
  });

  it.each([
    ['an EC', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' })],
    ['an Ed25519', () => generateKeyPairSync('ed25519')],
    ['a DSA', () => generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 })],
  ])('names %s key with the right article, private or public', (article, pair) => {
    const { privateKey, publicKey } = pair();
    const error = problemsOf({
      ...merchant.options,
      privateKey,
      platformPublicKey: publicKey,
      platformPublicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
    });
    expect(error.problems).toEqual([
      expect.objectContaining({
        field: 'privateKey',
        message: expect.stringContaining(`expected an RSA private key, got ${article} key`),
      }),
      expect.objectContaining({
        field: 'platformPublicKey',
        message: expect.stringContaining(`expected an RSA public key, got ${article} key`),
      }),
    ]);
  });

  it('asks for the missing parts of an incomplete API v3 setup', () => {
    const error = problemsOf({ mchid: '1900000109', apiV3Key: merchant.apiV3Key });
    expect(error.fields).toEqual(expect.arrayContaining(['privateKey', 'serialNo']));
  });

  it('asks for credentials when there are none', () => {
    expect(problemsOf({ mchid: '1900000109' }).problems[0]?.message).toMatch(/no API credentials/);
  });

  it('lists every problem at once, naming each option and no environment variable it did not come from', () => {
    const error = problemsOf({
      mchid: '',
      apiV3Key: 'short',
      serialNo: merchant.serialNo,
      privateKey: merchant.privateKey,
      domain: 'MARS',
    });
    expect(error.fields).toEqual(expect.arrayContaining(['mchid', 'apiV3Key', 'domain']));
    expect(error.message).toContain('  - apiV3Key: must be exactly 32 bytes');
    expect(error.message).not.toContain('WECHATPAY_');
    expect(error.problems.every((problem) => problem.env === undefined)).toBe(true);
  });

  describe('options read by wechatPayOptionsFromEnv', () => {
    const pemEnv = (pem: string) => pem.trim().replace(/\n/g, '\\n');
    const env = {
      WECHATPAY_HK_MCHID: merchant.mchid,
      WECHATPAY_HK_SERIAL_NO: merchant.serialNo,
      WECHATPAY_HK_PRIVATE_KEY: pemEnv(merchant.privateKeyPem),
      WECHATPAY_HK_API_V3_KEY: 'short',
    };

    it('name the variable a bad value came from, under its prefix', () => {
      const error = problemsOf({ ...wechatPayOptionsFromEnv(env, 'WECHATPAY_HK_') });
      expect(error.problems).toEqual([
        expect.objectContaining({ field: 'apiV3Key', env: 'WECHATPAY_HK_API_V3_KEY' }),
      ]);
      expect(error.message).toContain('  - apiV3Key (WECHATPAY_HK_API_V3_KEY): must be exactly');
    });

    it('name the variable of a number that does not parse', () => {
      const error = problemsOf(
        wechatPayOptionsFromEnv(
          { ...env, WECHATPAY_HK_API_V3_KEY: merchant.apiV3Key, WECHATPAY_HK_TIMEOUT: '10s' },
          'WECHATPAY_HK_',
        ),
      );
      expect(error.problems).toEqual([
        expect.objectContaining({ field: 'timeout', env: 'WECHATPAY_HK_TIMEOUT' }),
      ]);
    });

    it('name the variable that would supply a missing value', () => {
      const { WECHATPAY_HK_MCHID: _omit, ...rest } = env;
      const error = problemsOf(
        wechatPayOptionsFromEnv(
          { ...rest, WECHATPAY_HK_API_V3_KEY: merchant.apiV3Key },
          'WECHATPAY_HK_',
        ),
      );
      expect(error.problems).toEqual([
        expect.objectContaining({ field: 'mchid', env: 'WECHATPAY_HK_MCHID' }),
      ]);
    });

    it('name no variable for a value the code set over the environment', () => {
      const options = {
        ...wechatPayOptionsFromEnv(
          { ...env, WECHATPAY_HK_API_V3_KEY: merchant.apiV3Key },
          'WECHATPAY_HK_',
        ),
        apiV3Key: 'set-in-code',
      };
      const error = problemsOf(options);
      expect(error.fields).toEqual(['apiV3Key']);
      expect(error.problems[0]?.env).toBeUndefined();
      expect(error.message).not.toContain('WECHATPAY_');
    });
  });

  it('never echoes a secret in an error', () => {
    const badKey = 'S3cr3t-but-31-bytes-long-abcdef';
    const badPem = '-----BEGIN PRIVATE KEY-----\nTOPSECRETMATERIAL\n-----END PRIVATE KEY-----\n';
    const error = problemsOf({
      ...merchant.options,
      apiV3Key: badKey,
      apiKey: `${merchant.apiKey}x`,
      privateKey: badPem,
    });
    const everything = `${error.message} ${JSON.stringify(error.problems)} ${inspect(error)}`;
    for (const secret of [badKey, 'TOPSECRETMATERIAL', merchant.apiKey]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('shows no secret when the config is logged or serialised', () => {
    const config = resolveWechatPayConfig(merchant.options);
    const shown = `${JSON.stringify(config)} ${inspect(config, { depth: 10, showHidden: true })} ${String(Object.keys(config))}`;
    expect(shown).toContain(merchant.mchid);
    for (const secret of [merchant.apiKey, merchant.apiV3Key, 'PRIVATE KEY']) {
      expect(shown).not.toContain(secret);
    }
  });
});
