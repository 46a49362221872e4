import { parseEnv } from 'node:util';
import { WECHATPAY_ENV } from '../core/config/env-names.js';
import { wechatPayOptionsFromEnv } from '../core/config/options-from-env.js';
import { resolveWechatPayConfig } from '../core/config/resolve-config.js';
import { WechatPayClient } from '../core/wechatpay-client.js';
import type { CliIo } from './cli-io.js';
import { type CliOptions, type CliValues, stringValue } from './command.js';
import { readNamedFile } from './commands/notification-files.js';

/** The options of every command that acts as the merchant. */
export const MERCHANT_CLI_OPTIONS: CliOptions = {
  'env-file': { type: 'string' },
  'env-prefix': { type: 'string' },
};

/** `--help` text of {@link MERCHANT_CLI_OPTIONS}. */
export const MERCHANT_CLI_HELP = `The merchant is configured by the WECHATPAY_* variables that wechatPayOptionsFromEnv() reads
(the same as the app's: ${WECHATPAY_ENV.mchid}, ${WECHATPAY_ENV.serialNo}, ${WECHATPAY_ENV.privateKeyPath},
${WECHATPAY_ENV.apiV3Key}, …).
  --env-file <file>     read the variables from this .env file too (it wins over the environment)
  --env-prefix <prefix> read <prefix>MCHID… instead of ${WECHATPAY_ENV.mchid}… (default WECHATPAY_)`;

/**
 * A client for the merchant the environment (and `--env-file`) configures.
 * @throws CliUsageError when the env file cannot be read
 * @throws WechatPayConfigError naming the variables to fix
 */
export function merchantClient(values: CliValues, io: CliIo): WechatPayClient {
  const envFile = stringValue(values, 'env-file');
  const envText =
    envFile === undefined ? '' : readNamedFile(io.cwd, 'env-file', envFile).toString('utf8');
  const fromFile = parseEnv(envText) as Record<string, string>;
  const prefix = stringValue(values, 'env-prefix') ?? 'WECHATPAY_';
  const options = wechatPayOptionsFromEnv({ ...io.env, ...fromFile }, prefix);
  return new WechatPayClient(resolveWechatPayConfig(options), {
    warn: (message) => io.err(`warning: ${message}\n`),
    error: (message) => io.err(`error: ${message}\n`),
  });
}
