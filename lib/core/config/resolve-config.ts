import { toApiV3Key } from '../crypto/aes-gcm.js';
import { toRsaPrivateKey, toRsaPublicKey } from '../crypto/keys.js';
import { type WechatPayConfigProblem, WechatPayConfigError } from '../errors.js';
import { resolveDomains } from '../http/domains.js';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { MemoryRecoveryStore } from '../recovery/recovery-store.js';
import { envSourceOf } from './env-source.js';
import { loadClientTls, loadKey } from './key-material.js';
import {
  configCopies,
  type WechatPayOptionsWithDefaults,
  withDefaults,
} from './option-defaults.js';
import type { WechatPayOptions } from './options.js';
import { optionProblems } from './validate-options.js';
import { WechatPayConfig } from './wechatpay-config.js';

export {
  type ClientTlsMaterial,
  WechatPayConfig,
  type WechatPayConfigFields,
} from './wechatpay-config.js';

/**
 * Validates options and parses their keys once. Each option is checked against its declaration
 * (see `declarations/`); the rules that relate options to each other are here.
 *
 * @param name the registration name, used in error messages
 * @throws WechatPayConfigError listing every problem, each with its field and fix
 */
export function resolveWechatPayConfig(options: WechatPayOptions, name?: string): WechatPayConfig {
  const fail = (problems: WechatPayConfigProblem[]) =>
    new WechatPayConfigError(
      problems.map((problem) => withEnvName(problem, options)),
      { merchant: name },
    );
  if (typeof options !== 'object' || options === null) {
    throw fail([{ field: 'options', message: 'must be an object with at least mchid' }]);
  }

  const resolved = withDefaults(options);
  const problems = [...optionProblems(options), ...combinationProblems(resolved)];
  if (problems.length) throw fail(problems);

  const privateKey = loadKey(options, 'privateKey', 'privateKeyPath', toRsaPrivateKey, problems);
  const platformPublicKey = loadKey(
    options,
    'platformPublicKey',
    'platformPublicKeyPath',
    toRsaPublicKey,
    problems,
  );
  const clientTls = loadClientTls(options, privateKey, problems);
  if (problems.length) throw fail(problems);

  return new WechatPayConfig(
    {
      ...configCopies(resolved),
      name,
      appids: Object.freeze([...resolved.appids]),
      serialNo: options.serialNo?.toUpperCase(),
      platformPublicKey,
      domains: resolveDomains(resolved.domain, options.backupDomain),
      refundNotifyUrl: options.refundNotifyUrl ?? options.notifyUrl,
      transferNotifyUrl: options.transferNotifyUrl ?? options.notifyUrl,
      idempotencyStore: options.idempotencyStore ?? new MemoryIdempotencyStore(),
      recoveryStore: options.recoveryStore ?? new MemoryRecoveryStore(),
      recoveryScheduler: options.recoveryScheduler,
      reconciliationScheduler: options.reconciliationScheduler,
    },
    {
      clientTls,
      privateKey,
      apiV3Key: options.apiV3Key === undefined ? undefined : toApiV3Key(options.apiV3Key),
      apiKey: options.apiKey,
    },
  );
}

function combinationProblems(options: WechatPayOptionsWithDefaults): WechatPayConfigProblem[] {
  const problems: WechatPayConfigProblem[] = [];
  const both = (a: keyof WechatPayOptions, b: keyof WechatPayOptions) => {
    if (options[a] !== undefined && options[b] !== undefined) {
      problems.push({ field: a, message: `give either ${a} or ${b}, not both` });
    }
  };
  both('privateKey', 'privateKeyPath');
  both('platformPublicKey', 'platformPublicKeyPath');
  both('clientCert', 'clientCertPath');
  both('clientKey', 'clientKeyPath');
  both('pfx', 'pfxPath');
  if (
    (options.pfx ?? options.pfxPath) !== undefined &&
    (options.clientCert ?? options.clientCertPath) !== undefined
  ) {
    problems.push({
      field: 'pfx',
      message:
        'give the client certificate either as PKCS#12 (pfx) or as PEM (clientCert), not both',
    });
  }

  const v3Fields = {
    privateKey: options.privateKey ?? options.privateKeyPath,
    serialNo: options.serialNo,
    apiV3Key: options.apiV3Key,
  };
  const v3Given = Object.values(v3Fields).some((v) => v !== undefined);
  if (v3Given) {
    for (const [field, value] of Object.entries(v3Fields)) {
      if (value === undefined) {
        problems.push({
          field,
          message: `is required for API v3, which needs privateKey (or privateKeyPath), serialNo and apiV3Key together`,
        });
      }
    }
  } else if (options.apiKey === undefined) {
    problems.push({
      field: 'apiV3Key',
      message:
        'no API credentials: give privateKey (or privateKeyPath), serialNo and apiV3Key for API v3, or apiKey for API v2',
    });
  }

  const hasPublicKey =
    options.platformPublicKey !== undefined || options.platformPublicKeyPath !== undefined;
  if (hasPublicKey && options.platformPublicKeyId === undefined) {
    problems.push({
      field: 'platformPublicKeyId',
      message: 'is required with a WeChat Pay public key: the PUB_KEY_ID_… shown next to it',
    });
  }
  if (!hasPublicKey && options.platformPublicKeyId !== undefined) {
    problems.push({
      field: 'platformPublicKey',
      message: 'is required with platformPublicKeyId: the WeChat Pay public key (pub_key.pem)',
    });
  }

  const recoveryQueue = bullQueueOf(options.recoveryScheduler);
  const reconciliationQueue = bullQueueOf(options.reconciliationScheduler);
  if (recoveryQueue && recoveryQueue === reconciliationQueue) {
    problems.push({
      field: 'reconciliationScheduler',
      message: `uses the recovery scheduler's BullMQ queue (${recoveryQueue}): give it a queue of its own, or each worker takes the other's jobs and fails them`,
    });
  }

  if (options.mode === 'merchant') {
    for (const field of ['subMchid', 'subAppid'] as const) {
      if (options[field] !== undefined) {
        problems.push({ field, message: "is a partner-mode field: set mode: 'partner' to use it" });
      }
    }
  }
  return problems;
}

/**
 * Adds the environment variable a problem's value came from, when the options were read from
 * the environment and the code did not replace that value: an error about options written in
 * code names the option alone.
 */
function withEnvName(problem: WechatPayConfigProblem, options: unknown): WechatPayConfigProblem {
  if (typeof options !== 'object' || options === null) return problem;
  const value = (options as Record<string, unknown>)[problem.field];
  const env = envSourceOf(options)?.variableFor(problem.field, value);
  return env ? { ...problem, env } : problem;
}

/** `<prefix>:<name>` of the BullMQ queue a scheduler works on, if it has one. */
function bullQueueOf(scheduler: unknown): string | undefined {
  const queue = (scheduler as { queue?: { name?: unknown; opts?: { prefix?: unknown } } })?.queue;
  if (typeof queue?.name !== 'string') return undefined;
  return `${typeof queue.opts?.prefix === 'string' ? queue.opts.prefix : 'bull'}:${queue.name}`;
}
