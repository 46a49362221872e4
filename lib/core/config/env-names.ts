import type { WechatPayOptions } from './options.js';

/** Options that can be set from the environment (all but the store object). */
export type WechatPayEnvOption = Exclude<keyof WechatPayOptions, 'idempotencyStore' | 'pfx'>;

/** The environment variable each option is read from by `wechatPayOptionsFromEnv`. */
export const WECHATPAY_ENV: Readonly<Record<WechatPayEnvOption, string>> = {
  mchid: 'WECHATPAY_MCHID',
  appid: 'WECHATPAY_APPID',
  appids: 'WECHATPAY_APPIDS',
  serialNo: 'WECHATPAY_SERIAL_NO',
  privateKey: 'WECHATPAY_PRIVATE_KEY',
  privateKeyPath: 'WECHATPAY_PRIVATE_KEY_PATH',
  apiV3Key: 'WECHATPAY_API_V3_KEY',
  apiKey: 'WECHATPAY_API_KEY',
  v2SignType: 'WECHATPAY_V2_SIGN_TYPE',
  platformPublicKey: 'WECHATPAY_PUBLIC_KEY',
  platformPublicKeyPath: 'WECHATPAY_PUBLIC_KEY_PATH',
  platformPublicKeyId: 'WECHATPAY_PUBLIC_KEY_ID',
  domain: 'WECHATPAY_DOMAIN',
  backupDomain: 'WECHATPAY_BACKUP_DOMAIN',
  timeout: 'WECHATPAY_TIMEOUT',
  startupTimeout: 'WECHATPAY_STARTUP_TIMEOUT',
  mode: 'WECHATPAY_MODE',
  subMchid: 'WECHATPAY_SUB_MCHID',
  subAppid: 'WECHATPAY_SUB_APPID',
  notifyUrl: 'WECHATPAY_NOTIFY_URL',
  refundNotifyUrl: 'WECHATPAY_REFUND_NOTIFY_URL',
  notificationLeaseMs: 'WECHATPAY_NOTIFICATION_LEASE_MS',
  notificationDoneTtlMs: 'WECHATPAY_NOTIFICATION_DONE_TTL_MS',
  notificationHandlerTimeoutMs: 'WECHATPAY_NOTIFICATION_HANDLER_TIMEOUT_MS',
  notificationStoreTimeoutMs: 'WECHATPAY_NOTIFICATION_STORE_TIMEOUT_MS',
  clientCert: 'WECHATPAY_CLIENT_CERT',
  clientCertPath: 'WECHATPAY_CLIENT_CERT_PATH',
  clientKey: 'WECHATPAY_CLIENT_KEY',
  clientKeyPath: 'WECHATPAY_CLIENT_KEY_PATH',
  pfxPath: 'WECHATPAY_PFX_PATH',
  pfxPassphrase: 'WECHATPAY_PFX_PASSPHRASE',
  sandbox: 'WECHATPAY_SANDBOX',
  tlsCa: 'WECHATPAY_TLS_CA',
};
