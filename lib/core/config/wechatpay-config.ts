import type { KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import type { ResolvedDomains } from '../http/domains.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';
import type { RecoveryScheduler } from '../recovery/recovery-scheduler.js';
import type { RecoveryStore } from '../recovery/recovery-store.js';
import type { ReconciliationScheduler } from '../reconciliation/reconciliation-scheduler.js';
import type { WechatPayConfigCopies } from './option-defaults.js';

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

/**
 * The public fields of a {@link WechatPayConfig}: the options it holds as given (declared
 * `copy: true`, documented there) and those resolution derives.
 */
export interface WechatPayConfigFields extends WechatPayConfigCopies {
  /** Registration name; `undefined` for the default merchant. */
  readonly name: string | undefined;
  /** The merchant's other AppIDs, accepted besides `appid`. */
  readonly appids: readonly string[];
  /** The merchant API certificate serial, upper-case. */
  readonly serialNo: string | undefined;
  /** The WeChat Pay public key, parsed. */
  readonly platformPublicKey: KeyObject | undefined;
  /** Base URLs of `domain` and `backupDomain`. */
  readonly domains: ResolvedDomains;
  /** Default `notify_url` of refunds (`notifyUrl` unless set). */
  readonly refundNotifyUrl: string | undefined;
  /** Default `notify_url` of transfers (`notifyUrl` unless set). */
  readonly transferNotifyUrl: string | undefined;
  /** Where handled notifications are remembered. */
  readonly idempotencyStore: IdempotencyStore;
  /** Where the embedded recovery scheduler keeps watched orders. */
  readonly recoveryStore: RecoveryStore;
  /** Where recovery steps run instead of in-process timers (e.g. BullMQ). */
  readonly recoveryScheduler: RecoveryScheduler | undefined;
  /** Where the daily reconciliation job runs instead of in-process timers (e.g. BullMQ). */
  readonly reconciliationScheduler: ReconciliationScheduler | undefined;
}

// A class whose instances carry the given fields, typed: the fields are declared once, above.
const ConfigFields = class {
  constructor(fields: WechatPayConfigFields) {
    Object.assign(this, fields);
  }
} as new (fields: WechatPayConfigFields) => WechatPayConfigFields;

/**
 * A validated merchant configuration with its keys parsed once into `KeyObject`s.
 * `JSON.stringify`, `console.log` and `util.inspect` show no secret.
 */
export class WechatPayConfig extends ConfigFields {
  readonly #secrets: WechatPaySecrets;

  constructor(fields: WechatPayConfigFields, secrets: WechatPaySecrets) {
    super(fields);
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

  /** What a log may show: identity, routing and which credentials are present, no secret. */
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
