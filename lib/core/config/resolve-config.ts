import { type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { inspect } from 'node:util';
import { validateSync, type ValidationError } from 'class-validator';
import { toApiV3Key } from '../crypto/aes-gcm.js';
import { type KeyInput, toRsaPrivateKey, toRsaPublicKey } from '../crypto/keys.js';
import type { V2SignType } from '../crypto/v2-sign.js';
import { type WechatPayConfigProblem, WechatPayConfigError } from '../errors.js';
import { type ResolvedDomains, resolveDomains } from '../http/domains.js';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';
import { envSourceOf } from './env-source.js';
import type { WechatPayMode, WechatPayOptions } from './options.js';
import { WechatPayOptionsSchema } from './options.schema.js';

/** The client certificate for mutual TLS, checked at start-up. */
export type ClientTlsMaterial =
  { cert: Buffer | string; key: Buffer | string } | { pfx: Buffer; passphrase: string };

/** Secrets of a {@link WechatPayConfig}; kept in a private field so no log or JSON shows them. */
interface WechatPaySecrets {
  privateKey?: KeyObject;
  apiV3Key?: KeyObject;
  apiKey?: string;
  clientTls?: ClientTlsMaterial;
}

/** The public fields of a {@link WechatPayConfig}. */
export interface WechatPayConfigFields {
  name: string | undefined;
  mchid: string;
  appid: string | undefined;
  appids: readonly string[];
  serialNo: string | undefined;
  v2SignType: V2SignType;
  platformPublicKey: KeyObject | undefined;
  platformPublicKeyId: string | undefined;
  domains: ResolvedDomains;
  timeout: number;
  startupTimeout: number;
  mode: WechatPayMode;
  subMchid: string | undefined;
  subAppid: string | undefined;
  notifyUrl: string | undefined;
  refundNotifyUrl: string | undefined;
  idempotencyStore: IdempotencyStore;
  notificationLeaseMs: number;
  notificationDoneTtlMs: number;
  notificationHandlerTimeoutMs: number;
  notificationStoreTimeoutMs: number;
  sandbox: boolean;
  tlsCa: string | Buffer | undefined;
}

/**
 * A validated merchant configuration with its keys parsed once into `KeyObject`s.
 * `JSON.stringify`, `console.log` and `util.inspect` show no secret.
 */
export class WechatPayConfig implements WechatPayConfigFields {
  /** Registration name; `undefined` for the default merchant. */
  readonly name: string | undefined;
  readonly mchid: string;
  readonly appid: string | undefined;
  /** The merchant's other AppIDs, accepted besides `appid`. */
  readonly appids: readonly string[];
  readonly serialNo: string | undefined;
  readonly v2SignType: V2SignType;
  readonly platformPublicKey: KeyObject | undefined;
  readonly platformPublicKeyId: string | undefined;
  readonly domains: ResolvedDomains;
  readonly timeout: number;
  /** How long start-up waits for the platform certificates (ms); 0: no start-up check. */
  readonly startupTimeout: number;
  readonly mode: WechatPayMode;
  readonly subMchid: string | undefined;
  readonly subAppid: string | undefined;
  readonly notifyUrl: string | undefined;
  readonly refundNotifyUrl: string | undefined;
  readonly idempotencyStore: IdempotencyStore;
  readonly notificationLeaseMs: number;
  readonly notificationDoneTtlMs: number;
  readonly notificationHandlerTimeoutMs: number;
  readonly notificationStoreTimeoutMs: number;
  readonly sandbox: boolean;
  readonly tlsCa: string | Buffer | undefined;
  readonly #secrets: WechatPaySecrets;

  constructor(fields: WechatPayConfigFields, secrets: WechatPaySecrets) {
    this.name = fields.name;
    this.mchid = fields.mchid;
    this.appid = fields.appid;
    this.appids = fields.appids;
    this.serialNo = fields.serialNo;
    this.v2SignType = fields.v2SignType;
    this.platformPublicKey = fields.platformPublicKey;
    this.platformPublicKeyId = fields.platformPublicKeyId;
    this.domains = fields.domains;
    this.timeout = fields.timeout;
    this.startupTimeout = fields.startupTimeout;
    this.mode = fields.mode;
    this.subMchid = fields.subMchid;
    this.subAppid = fields.subAppid;
    this.notifyUrl = fields.notifyUrl;
    this.refundNotifyUrl = fields.refundNotifyUrl;
    this.idempotencyStore = fields.idempotencyStore;
    this.notificationLeaseMs = fields.notificationLeaseMs;
    this.notificationDoneTtlMs = fields.notificationDoneTtlMs;
    this.notificationHandlerTimeoutMs = fields.notificationHandlerTimeoutMs;
    this.notificationStoreTimeoutMs = fields.notificationStoreTimeoutMs;
    this.sandbox = fields.sandbox;
    this.tlsCa = fields.tlsCa;
    this.#secrets = secrets;
  }

  /** The merchant API private key; `undefined` when API v3 is not configured. */
  get privateKey(): KeyObject | undefined {
    return this.#secrets.privateKey;
  }

  /** The APIv3 key as a secret `KeyObject`. */
  get apiV3Key(): KeyObject | undefined {
    return this.#secrets.apiV3Key;
  }

  /** The API v2 key. */
  get apiKey(): string | undefined {
    return this.#secrets.apiKey;
  }

  /** The client certificate for `/secapi/*` and fund-flow bills, if configured. */
  get clientTls(): ClientTlsMaterial | undefined {
    return this.#secrets.clientTls;
  }

  /** API v3 credentials (private key, serial, APIv3 key) are all present. */
  get hasV3(): boolean {
    return this.#secrets.privateKey !== undefined;
  }

  /** The API v2 key is present. */
  get hasV2(): boolean {
    return this.#secrets.apiKey !== undefined;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      mchid: this.mchid,
      appid: this.appid,
      appids: this.appids,
      serialNo: this.serialNo,
      mode: this.mode,
      subMchid: this.subMchid,
      domains: this.domains,
      timeout: this.timeout,
      platformPublicKeyId: this.platformPublicKeyId,
      apiV3: this.hasV3,
      apiV2: this.hasV2,
      sandbox: this.sandbox,
      clientCertificate: this.#secrets.clientTls !== undefined,
    };
  }

  [inspect.custom](): string {
    return `WechatPayConfig ${inspect(this.toJSON())}`;
  }
}

/**
 * Validates options and parses their keys once.
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

  const problems = [...schemaProblems(options), ...combinationProblems(options)];
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
      name,
      mchid: options.mchid,
      appid: options.appid,
      appids: Object.freeze([...(options.appids ?? [])]),
      serialNo: options.serialNo?.toUpperCase(),
      v2SignType: options.v2SignType ?? 'MD5',
      platformPublicKey,
      platformPublicKeyId: options.platformPublicKeyId,
      domains: resolveDomains(options.domain ?? 'CHINA', options.backupDomain),
      timeout: options.timeout ?? 10_000,
      startupTimeout: options.startupTimeout ?? 5_000,
      mode: options.mode ?? 'merchant',
      subMchid: options.subMchid,
      subAppid: options.subAppid,
      notifyUrl: options.notifyUrl,
      refundNotifyUrl: options.refundNotifyUrl ?? options.notifyUrl,
      idempotencyStore: options.idempotencyStore ?? new MemoryIdempotencyStore(),
      notificationLeaseMs: options.notificationLeaseMs ?? 60_000,
      notificationDoneTtlMs: options.notificationDoneTtlMs ?? 48 * 3_600_000,
      notificationHandlerTimeoutMs: options.notificationHandlerTimeoutMs ?? 300_000,
      notificationStoreTimeoutMs: options.notificationStoreTimeoutMs ?? 2000,
      sandbox: options.sandbox ?? false,
      tlsCa: options.tlsCa,
    },
    {
      clientTls,
      privateKey,
      apiV3Key: options.apiV3Key === undefined ? undefined : toApiV3Key(options.apiV3Key),
      apiKey: options.apiKey,
    },
  );
}

function schemaProblems(options: WechatPayOptions): WechatPayConfigProblem[] {
  const schema = Object.assign(new WechatPayOptionsSchema(), options);
  const errors = validateSync(schema, {
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  });
  return errors.map(toProblem);
}

function toProblem(error: ValidationError): WechatPayConfigProblem {
  const messages = Object.values(error.constraints ?? {});
  const unknown = messages.some((m) => m.endsWith('should not exist'));
  return {
    field: error.property,
    message: unknown
      ? 'is not an option of WechatPayModule; check its spelling against WechatPayOptions'
      : messages.join('; '),
  };
}

function combinationProblems(options: WechatPayOptions): WechatPayConfigProblem[] {
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

  if ((options.mode ?? 'merchant') === 'merchant') {
    for (const field of ['subMchid', 'subAppid'] as const) {
      if (options[field] !== undefined) {
        problems.push({ field, message: "is a partner-mode field: set mode: 'partner' to use it" });
      }
    }
  }
  return problems;
}

function loadKey(
  options: WechatPayOptions,
  field: 'privateKey' | 'platformPublicKey',
  pathField: 'privateKeyPath' | 'platformPublicKeyPath',
  parse: (key: KeyInput) => KeyObject,
  problems: WechatPayConfigProblem[],
): KeyObject | undefined {
  const path = options[pathField];
  const input: KeyInput | undefined =
    path === undefined ? options[field] : readOptionFile(options, pathField, problems);
  if (input === undefined) return undefined;
  try {
    return parse(input);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : 'unreadable key';
    const source = path === undefined ? field : pathField;
    const expected =
      field === 'privateKey'
        ? 'the RSA merchant API private key (apiclient_key.pem, "-----BEGIN PRIVATE KEY-----")'
        : 'the RSA WeChat Pay public key (pub_key.pem, "-----BEGIN PUBLIC KEY-----")';
    problems.push({ field: source, message: `${reason}; expected ${expected}` });
    return undefined;
  }
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

/**
 * Reads the client certificate (PEM pair or PKCS#12) and checks it by building a TLS context,
 * so an unreadable file, a wrong passphrase or a PKCS#12 that OpenSSL 3 refuses stops start-up
 * rather than the first refund.
 */
function loadClientTls(
  options: WechatPayOptions,
  privateKey: KeyObject | undefined,
  problems: WechatPayConfigProblem[],
): ClientTlsMaterial | undefined {
  const read = (field: 'clientCertPath' | 'clientKeyPath' | 'pfxPath') =>
    readOptionFile(options, field, problems);
  const pfx = options.pfx ?? read('pfxPath');
  if (pfx) {
    const material = { pfx, passphrase: options.pfxPassphrase ?? options.mchid };
    try {
      createSecureContext(material);
      return material;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : '';
      const field = options.pfxPath !== undefined ? 'pfxPath' : 'pfx';
      problems.push({
        field,
        message: /mac verify|password/i.test(reason)
          ? 'the PKCS#12 passphrase is wrong (WeChat Pay sets it to the mchid; set pfxPassphrase otherwise)'
          : /unsupported|legacy|RC2/i.test(reason)
            ? 'OpenSSL 3 cannot read this PKCS#12 (old RC2-40 encryption). Re-export it: openssl pkcs12 -legacy -in apiclient_cert.p12 -nodes -out tmp.pem && openssl pkcs12 -export -in tmp.pem -out apiclient_cert_new.p12; or use the PEM files (clientCertPath)'
            : 'is not a readable PKCS#12 file (apiclient_cert.p12)',
      });
      return undefined;
    }
  }
  const cert = options.clientCert ?? read('clientCertPath');
  if (!cert) return undefined;
  const key =
    options.clientKey ??
    read('clientKeyPath') ??
    privateKey?.export({ type: 'pkcs8', format: 'pem' });
  if (!key) {
    problems.push({
      field: 'clientKey',
      message:
        'the client certificate needs its key: set privateKey (apiclient_key.pem) or clientKey',
    });
    return undefined;
  }
  try {
    createSecureContext({ cert, key });
    return { cert, key };
  } catch {
    problems.push({
      field: options.clientCertPath !== undefined ? 'clientCertPath' : 'clientCert',
      message:
        'is not a PEM certificate matching the key (apiclient_cert.pem with apiclient_key.pem)',
    });
    return undefined;
  }
}

type PathOption =
  'privateKeyPath' | 'platformPublicKeyPath' | 'clientCertPath' | 'clientKeyPath' | 'pfxPath';

/** Reads the file a `…Path` option names, once, at start-up; a failure becomes a problem. */
function readOptionFile(
  options: WechatPayOptions,
  field: PathOption,
  problems: WechatPayConfigProblem[],
): Buffer | undefined {
  const path = options[field];
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    problems.push({
      field,
      message: `cannot read "${path}" (${code}): check the path and its permissions`,
    });
    return undefined;
  }
}
