import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WECHATPAY_ENV, wechatPayOptionsFromEnv } from '../../../../lib/index.js';

/** The options themselves, without the record of where they came from. */
const plain = (options: object) => Object.fromEntries(Object.entries(options));

describe('wechatPayOptionsFromEnv', () => {
  it('reads every documented variable', () => {
    const env = {
      WECHATPAY_MCHID: '1900000109',
      WECHATPAY_APPID: 'wxd678efh567hg6787',
      WECHATPAY_APPIDS: 'wx1111111111111111, wx2222222222222222,',
      WECHATPAY_SERIAL_NO: 'ABCDEF',
      WECHATPAY_PRIVATE_KEY_PATH: '/run/secrets/apiclient_key.pem',
      WECHATPAY_API_V3_KEY: 'k'.repeat(32),
      WECHATPAY_API_KEY: 'v'.repeat(32),
      WECHATPAY_PUBLIC_KEY_PATH: '/run/secrets/pub_key.pem',
      WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_1',
      WECHATPAY_DOMAIN: 'HK',
      WECHATPAY_BACKUP_DOMAIN: 'false',
      WECHATPAY_TIMEOUT: '5000',
      WECHATPAY_MODE: 'partner',
      WECHATPAY_SUB_MCHID: '1900000111',
      WECHATPAY_SUB_APPID: 'wx1',
      WECHATPAY_NOTIFY_URL: 'https://shop.example.com/notify',
      WECHATPAY_V2_SIGN_TYPE: 'HMAC-SHA256',
    };
    expect(plain(wechatPayOptionsFromEnv(env))).toEqual({
      mchid: '1900000109',
      appid: 'wxd678efh567hg6787',
      appids: ['wx1111111111111111', 'wx2222222222222222'],
      serialNo: 'ABCDEF',
      privateKeyPath: '/run/secrets/apiclient_key.pem',
      apiV3Key: 'k'.repeat(32),
      apiKey: 'v'.repeat(32),
      platformPublicKeyPath: '/run/secrets/pub_key.pem',
      platformPublicKeyId: 'PUB_KEY_ID_1',
      domain: 'HK',
      backupDomain: false,
      timeout: 5000,
      mode: 'partner',
      subMchid: '1900000111',
      subAppid: 'wx1',
      notifyUrl: 'https://shop.example.com/notify',
      v2SignType: 'HMAC-SHA256',
    });
  });

  it('reads the notification handler and store timeouts as numbers', () => {
    expect(
      wechatPayOptionsFromEnv({
        WECHATPAY_NOTIFICATION_HANDLER_TIMEOUT_MS: '120000',
        WECHATPAY_NOTIFICATION_STORE_TIMEOUT_MS: '1500',
      }),
    ).toMatchObject({ notificationHandlerTimeoutMs: 120_000, notificationStoreTimeoutMs: 1500 });
  });

  it('leaves out unset and empty variables', () => {
    expect(plain(wechatPayOptionsFromEnv({ WECHATPAY_MCHID: '1', WECHATPAY_APPID: '  ' }))).toEqual(
      {
        mchid: '1',
      },
    );
  });

  it('turns \\n escapes of one-line PEM values into newlines', () => {
    const options = wechatPayOptionsFromEnv({
      WECHATPAY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nAAA\\n-----END PRIVATE KEY-----',
    });
    expect(options.privateKey).toBe('-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----');
  });

  it('reads another merchant under another prefix', () => {
    expect(
      plain(
        wechatPayOptionsFromEnv({ WECHATPAY_HK_MCHID: '2', WECHATPAY_MCHID: '1' }, 'WECHATPAY_HK_'),
      ),
    ).toEqual({ mchid: '2' });
  });

  it('records where the values came from without repeating them in a log line or JSON', () => {
    const apiKey = 'k'.repeat(32);
    const options = wechatPayOptionsFromEnv({ WECHATPAY_MCHID: '1', WECHATPAY_API_KEY: apiKey });
    expect(inspect(options, { depth: 10, showHidden: true }).split(apiKey)).toHaveLength(2);
    expect(JSON.parse(JSON.stringify(options))).toEqual({ mchid: '1', apiKey });
  });

  it('documents a variable for every option', () => {
    for (const name of Object.values(WECHATPAY_ENV)) expect(name).toMatch(/^WECHATPAY_[A-Z0-9_]+$/);
    expect(new Set(Object.values(WECHATPAY_ENV)).size).toBe(Object.keys(WECHATPAY_ENV).length);
  });
});
