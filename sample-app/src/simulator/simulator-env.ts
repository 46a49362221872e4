import type { TestMerchant, WechatPaySimulator } from 'nestjs-wechatpay/testing';

/**
 * The WECHATPAY_* variables that point the app at a simulator merchant: the same variables a
 * production deployment sets, so the app runs unchanged against either.
 * @param prefix `WECHATPAY_` for the default merchant, `WECHATPAY_GIFTCARDS_` for the named one
 */
export function simulatorEnv(
  simulator: WechatPaySimulator,
  merchant: TestMerchant = simulator.merchant,
  prefix = 'WECHATPAY_',
): Record<string, string> {
  // .env files hold a PEM on one line with \n escapes.
  const pem = (text: string) => text.replace(/\n/g, '\\n');
  const env: Record<string, string> = {
    MCHID: merchant.mchid,
    APPID: merchant.appid,
    SERIAL_NO: merchant.serialNo,
    PRIVATE_KEY: pem(merchant.privateKeyPem),
    API_V3_KEY: merchant.apiV3Key,
    API_KEY: merchant.apiKey,
    DOMAIN: simulator.httpsUrl,
    BACKUP_DOMAIN: 'false',
    TLS_CA: pem(simulator.caPem),
    CLIENT_CERT: pem(simulator.clientCertificatePem(merchant)),
  };
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [prefix + name, value]));
}

/**
 * Missed-notification recovery on (WECHATPAY_RECOVERY) for the default merchant, with the
 * library's schedule a hundred times faster (15 s → 150 ms; expiry 2 h → 72 s), as the till
 * runs against the simulator.
 */
export function simulatorRecoveryEnv(): Record<string, string> {
  return {
    WECHATPAY_RECOVERY: 'true',
    WECHATPAY_RECOVERY_SCHEDULE: '150,300,600,1200,3000,6000',
    WECHATPAY_RECOVERY_INTERVAL_MS: '6000',
    WECHATPAY_RECOVERY_DEFAULT_EXPIRY_MS: '72000',
  };
}

/**
 * Replaces every WECHATPAY_* variable of this process with `values`, so that nothing left in the
 * shell (a real merchant's key path, say) mixes with the simulator's merchant.
 */
export function replaceWechatPayEnv(values: Record<string, string>): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('WECHATPAY_')) delete process.env[name];
  }
  Object.assign(process.env, values);
}
