import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WechatPaySimulator } from '../../testing/simulator.js';

/** What the standalone simulator tells the apps that use it. */
export interface SimulatorConfiguration {
  /** The `WECHATPAY_*` variables of its merchant, API v3 and v2 over plain HTTP. */
  env: Record<string, string>;
  /** Where the key files and `wechatpay.env` were written. */
  keysDir: string;
  /** The HTTPS listener, for API v2 `/secapi/*` calls that need the client certificate. */
  https: { url: string; caPath: string; clientCertPath: string };
}

/**
 * Writes the merchant's key files, the simulator's CA and `wechatpay.env` to `dir`, and returns
 * the variables that point an app at the simulator. Paths, not PEM text, so that an app in any
 * language can read them; the private key is readable by its owner only, like a real one.
 */
export function writeSimulatorFiles(
  simulator: WechatPaySimulator,
  dir: string,
): SimulatorConfiguration {
  mkdirSync(dir, { recursive: true });
  const { merchant } = simulator;
  const file = (name: string, text: string, mode = 0o644) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode });
    // writeFileSync applies the mode only to a new file.
    chmodSync(path, mode);
    return path;
  };
  const privateKeyPath = file('apiclient_key.pem', merchant.privateKeyPem, 0o600);
  const clientCertPath = file('apiclient_cert.pem', simulator.clientCertificatePem(merchant));
  const caPath = file('ca.pem', simulator.caPem);
  const env: Record<string, string> = {
    WECHATPAY_MCHID: merchant.mchid,
    WECHATPAY_APPID: merchant.appid,
    WECHATPAY_SERIAL_NO: merchant.serialNo,
    WECHATPAY_PRIVATE_KEY_PATH: privateKeyPath,
    WECHATPAY_API_V3_KEY: merchant.apiV3Key,
    WECHATPAY_API_KEY: merchant.apiKey,
    WECHATPAY_DOMAIN: simulator.url,
    WECHATPAY_BACKUP_DOMAIN: simulator.backupUrl,
  };
  file(
    'wechatpay.env',
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}\n`)
      .join(''),
  );
  return { env, keysDir: dir, https: { url: simulator.httpsUrl, caPath, clientCertPath } };
}
