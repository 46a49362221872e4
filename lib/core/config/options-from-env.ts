import { WECHATPAY_ENV, type WechatPayEnvOption } from './env-names.js';
import { ENV_SOURCE, EnvSource } from './env-source.js';
import type { WechatPayOptions } from './options.js';

/**
 * Reads {@link WechatPayOptions} from environment variables (see {@link WECHATPAY_ENV}).
 * Unset and empty variables are left out. PEM values may use `\n` escapes, as most secret stores
 * keep them on one line. `WECHATPAY_BACKUP_DOMAIN=false` turns failover off. Lists
 * (`WECHATPAY_APPIDS`) are comma-separated.
 *
 * @param env where to read from (default `process.env`)
 * @param prefix replaces the leading `WECHATPAY_` of every name, so several merchants can live in
 *   one environment (default `'WECHATPAY_'`)
 * @example
 * WechatPayModule.forRoot(wechatPayOptionsFromEnv());
 * WechatPayModule.forRoot({ name: 'hk', ...wechatPayOptionsFromEnv(process.env, 'WECHATPAY_HK_') });
 */
export function wechatPayOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  prefix = 'WECHATPAY_',
): WechatPayOptions {
  const variable = (field: WechatPayEnvOption) =>
    WECHATPAY_ENV[field].replace(/^WECHATPAY_/, prefix);
  const read = (field: WechatPayEnvOption): string | undefined => {
    const value = env[variable(field)]?.trim();
    return value ? value : undefined;
  };
  const pem = (field: WechatPayEnvOption) => read(field)?.replace(/\\n/g, '\n');
  const integer = (field: WechatPayEnvOption) => {
    const value = read(field);
    return value === undefined ? undefined : Number(value);
  };
  const list = (field: WechatPayEnvOption) =>
    read(field)
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const backupDomain = read('backupDomain');

  const options: WechatPayOptions = {
    mchid: read('mchid') as string,
    appid: read('appid'),
    appids: list('appids'),
    serialNo: read('serialNo'),
    privateKey: pem('privateKey'),
    privateKeyPath: read('privateKeyPath'),
    apiV3Key: read('apiV3Key'),
    apiKey: read('apiKey'),
    v2SignType: read('v2SignType') as WechatPayOptions['v2SignType'],
    platformPublicKey: pem('platformPublicKey'),
    platformPublicKeyPath: read('platformPublicKeyPath'),
    platformPublicKeyId: read('platformPublicKeyId'),
    domain: read('domain'),
    backupDomain: backupDomain === 'false' ? false : backupDomain,
    timeout: integer('timeout'),
    startupTimeout: integer('startupTimeout'),
    mode: read('mode') as WechatPayOptions['mode'],
    subMchid: read('subMchid'),
    subAppid: read('subAppid'),
    notifyUrl: read('notifyUrl'),
    refundNotifyUrl: read('refundNotifyUrl'),
    notificationLeaseMs: integer('notificationLeaseMs'),
    notificationDoneTtlMs: integer('notificationDoneTtlMs'),
    notificationHandlerTimeoutMs: integer('notificationHandlerTimeoutMs'),
    notificationStoreTimeoutMs: integer('notificationStoreTimeoutMs'),
    clientCert: pem('clientCert'),
    clientCertPath: read('clientCertPath'),
    clientKey: pem('clientKey'),
    clientKeyPath: read('clientKeyPath'),
    pfxPath: read('pfxPath'),
    pfxPassphrase: read('pfxPassphrase'),
    sandbox: read('sandbox') === undefined ? undefined : read('sandbox') === 'true',
    tlsCa: pem('tlsCa'),
  };
  const defined = Object.entries(options).filter(([, value]) => value !== undefined);
  const names = (Object.keys(WECHATPAY_ENV) as WechatPayEnvOption[]).map(
    (field) => [field, variable(field)] as const,
  );
  return {
    ...Object.fromEntries(defined),
    [ENV_SOURCE]: new EnvSource(new Map(names), new Map(defined)),
  } as unknown as WechatPayOptions;
}
