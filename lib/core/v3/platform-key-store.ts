import { instruments } from '../telemetry/instruments.js';
import { type KeyObject, X509Certificate } from 'node:crypto';
import { decryptResource, type EncryptedResource } from '../crypto/aes-gcm.js';
import { verifyV3Message } from '../crypto/rsa-sign.js';
import {
  WechatPayApiError,
  WechatPayConfigError,
  WechatPayDecryptError,
  WechatPayError,
  WechatPaySignatureError,
} from '../errors.js';
import type { TransportResponse } from '../http/transport.js';
import { assertFreshTimestamp, readSignedHeaders, signedMessage } from './signed-headers.js';

/** A platform certificate as `/v3/certificates` lists it. */
interface CertificateListEntry {
  serial_no: string;
  effective_time: string;
  expire_time: string;
  encrypt_certificate: EncryptedResource;
}

/** A verification key and the serial WeChat Pay names it by. */
export interface PlatformKey {
  serial: string;
  key: KeyObject;
}

/** A platform certificate as installed: its serial and validity. */
export interface PlatformCertificateInfo {
  serial: string;
  /** Start of validity (the certificate's notBefore). */
  validFrom: Date;
  /** End of validity (the certificate's notAfter). */
  validTo: Date;
}

interface StoredCertificate extends PlatformKey {
  notBefore: number;
  notAfter: number;
}

/** The state of a {@link PlatformKeyStore}, from {@link PlatformKeyStore.status}. */
export interface PlatformKeyStatus {
  /** Whether platform certificates are in use (and not known to be absent: a 404). */
  usesCertificates: boolean;
  /** The WeChat Pay public key id (`PUB_KEY_ID_…`) when one is configured. */
  publicKeyId: string | undefined;
  /** The platform certificates known now; validity in ms since the epoch. */
  certificates: { serial: string; notBefore: number; notAfter: number }[];
  /** How the last download of the certificate list ended (`at`: ms since the epoch). */
  lastRefresh: { at: number; ok: boolean } | undefined;
}

export interface PlatformKeyStoreOptions {
  /** Decrypts the certificate list. Required to use platform certificates. */
  apiV3Key?: KeyObject;
  /** The WeChat Pay public key and its `PUB_KEY_ID_…`, if configured. */
  publicKey?: PlatformKey;
  /**
   * Performs a signed `GET /v3/certificates` and returns the raw answer. Absent: platform
   * certificates are not used (public-key-only merchants).
   */
  fetchCertificates?: () => Promise<TransportResponse>;
  /**
   * Window of the download rate limit: at most two downloads start within it (the initial one
   * and one for a rotation), however many unknown serials arrive, so a flood of forged
   * messages cannot make us hammer WeChat Pay.
   * @default 60000
   */
  minRefreshIntervalMs?: number;
  /**
   * Age after which the list is refreshed in the background on next use, to pick up
   * certificates WeChat Pay publishes ahead of a rotation.
   * @default 43200000 (12 h)
   */
  refreshIntervalMs?: number;
  /** Told about a background refresh that failed. */
  onBackgroundError?: (error: unknown) => void;
  /** The registration name, for configuration errors. */
  merchant?: string;
  now?: () => number;
}

/**
 * The keys WeChat Pay signs with: platform certificates (downloaded, decrypted and verified
 * here, refreshed periodically and once on an unknown serial, rate-limited) and/or a WeChat Pay
 * public key. Lookups of known serials are synchronous map reads.
 */
export class PlatformKeyStore {
  private certificates = new Map<string, StoredCertificate>();
  /** Start times of recent downloads, for the rate limit. */
  private recentAttempts: number[] = [];
  private lastSuccess = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;
  private lastRefresh: PlatformKeyStatus['lastRefresh'];
  /** Set when `/v3/certificates` answered 404: this merchant has no platform certificates. */
  private unavailable: WechatPayConfigError | undefined;
  private readonly now: () => number;
  private readonly minRefreshIntervalMs: number;
  private readonly refreshIntervalMs: number;

  constructor(private readonly options: PlatformKeyStoreOptions) {
    this.now = options.now ?? Date.now;
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 60_000;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 12 * 60 * 60 * 1000;
  }

  /** Whether platform certificates are in use (and not known to be absent). */
  get usesCertificates(): boolean {
    return this.options.fetchCertificates !== undefined && !this.unavailable;
  }

  /**
   * Whether nothing can be verified until certificates are downloaded: they are the only
   * verification source configured, and none is installed yet.
   */
  get awaitsCertificates(): boolean {
    return this.usesCertificates && !this.options.publicKey && this.certificates.size === 0;
  }

  /** The serials currently known: certificate serials and the public key id. */
  get knownSerials(): string[] {
    const serials = [...this.certificates.keys()];
    if (this.options.publicKey) serials.push(this.options.publicKey.serial);
    return serials;
  }

  /**
   * The platform certificates the last download installed (verified and decrypted), the one that
   * became valid last first; empty before a download and for public-key-only merchants.
   */
  get installedCertificates(): PlatformCertificateInfo[] {
    return [...this.certificates.values()]
      .sort((a, b) => b.notBefore - a.notBefore)
      .map(({ serial, notBefore, notAfter }) => ({
        serial,
        validFrom: new Date(notBefore),
        validTo: new Date(notAfter),
      }));
  }

  /** The key for a serial if it is already known; never downloads. */
  peek(serial: string): KeyObject | undefined {
    const { publicKey } = this.options;
    if (publicKey && serial === publicKey.serial) return publicKey.key;
    return this.certificates.get(serial)?.key;
  }

  /**
   * The key for a known serial, synchronously, starting a background refresh when the list is
   * older than `refreshIntervalMs`. `undefined` for an unknown serial: then use {@link keyFor}.
   */
  lookup(serial: string): KeyObject | undefined {
    const { publicKey } = this.options;
    if (publicKey && serial === publicKey.serial) return publicKey.key;
    const certificate = this.certificates.get(serial)?.key;
    if (certificate) this.refreshInBackgroundIfOld();
    return certificate;
  }

  /**
   * The key for a serial, downloading the certificate list when the serial is unknown
   * (rate-limited, see `minRefreshIntervalMs`). `undefined` when the serial stays unknown.
   */
  async keyFor(serial: string): Promise<KeyObject | undefined> {
    const known = this.lookup(serial);
    if (known) return known;
    if (!this.usesCertificates || serial.startsWith('PUB_KEY_ID_')) return undefined;
    if (this.inflight) await this.inflight.catch(() => undefined);
    else if (this.mayDownload()) await this.refresh();
    return this.peek(serial);
  }

  /**
   * The key to encrypt sensitive fields with, and the serial to send as `Wechatpay-Serial`:
   * the WeChat Pay public key when configured, else the newest valid platform certificate.
   */
  async encryptionKey(): Promise<PlatformKey> {
    if (this.options.publicKey) return this.options.publicKey;
    if (this.unavailable) throw this.unavailable;
    if (this.certificates.size === 0 && this.usesCertificates) await this.refresh();
    const newest = this.newestCertificate();
    if (!newest) {
      throw new WechatPayError(
        'no WeChat Pay key to encrypt with: the merchant has no platform certificate; configure platformPublicKey and platformPublicKeyId',
      );
    }
    return newest;
  }

  /** The serial to announce in `Wechatpay-Serial` without any download. */
  preferredSerial(): string | undefined {
    return this.options.publicKey?.serial ?? this.newestCertificate()?.serial;
  }

  /** Downloads the certificate list now (coalesced with any download under way). */
  refresh(): Promise<void> {
    this.inflight ??= this.download()
      .then(
        () => this.recordRefresh(undefined),
        (error: unknown) => {
          this.recordRefresh(error);
          throw error;
        },
      )
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  /**
   * What a health check reports: the keys known and until when they are valid, and how the
   * last download of the certificate list ended. Serials and dates only, never a key.
   */
  status(): PlatformKeyStatus {
    return {
      usesCertificates: this.usesCertificates,
      publicKeyId: this.options.publicKey?.serial,
      certificates: [...this.certificates.values()].map(({ serial, notBefore, notAfter }) => ({
        serial,
        notBefore,
        notAfter,
      })),
      lastRefresh: this.lastRefresh,
    };
  }

  private recordRefresh(error: unknown): void {
    this.lastRefresh = { at: this.now(), ok: error === undefined };
    instruments()?.keyRefreshes.add(1, {
      'wechatpay.outcome': error === undefined ? 'success' : 'failure',
      ...(error !== undefined && {
        'error.type': error instanceof Error ? error.constructor.name : '_OTHER',
      }),
    });
  }

  private refreshInBackgroundIfOld(): void {
    if (!this.usesCertificates || this.inflight) return;
    const now = this.now();
    if (now - this.lastSuccess < this.refreshIntervalMs || !this.mayDownload()) return;
    this.refresh().catch((error: unknown) => this.options.onBackgroundError?.(error));
  }

  private mayDownload(): boolean {
    const since = this.now() - this.minRefreshIntervalMs;
    this.recentAttempts = this.recentAttempts.filter((at) => at > since);
    return this.recentAttempts.length < 2;
  }

  private newestCertificate(): StoredCertificate | undefined {
    const now = this.now();
    let newest: StoredCertificate | undefined;
    for (const cert of this.certificates.values()) {
      if (
        cert.notBefore <= now &&
        now < cert.notAfter &&
        (!newest || cert.notBefore >= newest.notBefore)
      ) {
        newest = cert;
      }
    }
    return newest;
  }

  private async download(): Promise<void> {
    const { fetchCertificates, apiV3Key } = this.options;
    if (!fetchCertificates || !apiV3Key) return;
    this.recentAttempts.push(this.now());
    const response = await fetchCertificates();
    if (response.status === 404) {
      this.unavailable = new WechatPayConfigError(
        [
          {
            field: 'platformPublicKey',
            message:
              'GET /v3/certificates answered 404: this merchant verifies with a WeChat Pay public key (微信支付公钥) instead of platform certificates. Download it from the merchant platform and set platformPublicKey and platformPublicKeyId.',
          },
        ],
        { merchant: this.options.merchant },
      );
      if (this.options.publicKey) return;
      throw this.unavailable;
    }
    if (response.status !== 200) {
      // Never had a certificate and no public key: the likeliest cause is a merchant that only
      // has a public key, whatever status WeChat Pay refuses the download with.
      const neverDownloaded = this.lastSuccess === Number.NEGATIVE_INFINITY;
      throw apiErrorOf(
        response,
        true,
        neverDownloaded && !this.options.publicKey
          ? 'No platform certificate could be downloaded. If this merchant has a WeChat Pay public key (微信支付公钥) instead, as new merchants do, set platformPublicKey (or platformPublicKeyPath) and platformPublicKeyId.'
          : undefined,
      );
    }

    const list = parseList(response.body);
    const certificates = new Map<string, StoredCertificate>();
    for (const entry of list) {
      const pem = this.decryptCertificate(entry, apiV3Key);
      const certificate = new X509Certificate(pem);
      const serial = certificate.serialNumber.toUpperCase();
      if (serial !== entry.serial_no.toUpperCase()) {
        throw new WechatPaySignatureError(
          `the certificate list names serial ${entry.serial_no} for a certificate whose serial is ${serial}`,
        );
      }
      certificates.set(serial, {
        serial,
        key: certificate.publicKey,
        notBefore: Date.parse(certificate.validFrom),
        notAfter: Date.parse(certificate.validTo),
      });
    }
    this.verifyListResponse(response, certificates);
    this.certificates = certificates;
    this.lastSuccess = this.now();
  }

  /**
   * The list is encrypted with the merchant's APIv3 key and comes over TLS from WeChat Pay: a
   * failure to decrypt it means the configured key is not that one.
   */
  private decryptCertificate(entry: CertificateListEntry, apiV3Key: KeyObject): string {
    try {
      return decryptResource(entry.encrypt_certificate, apiV3Key);
    } catch (cause) {
      if (!(cause instanceof WechatPayDecryptError)) throw cause;
      throw new WechatPayConfigError(
        [
          {
            field: 'apiV3Key',
            message:
              'the platform certificate list from GET /v3/certificates could not be decrypted with it: it is not the APIv3 key (APIv3密钥) set in the merchant platform under 账户中心 → API安全. Copy that key, or set a new one there.',
          },
        ],
        { cause, merchant: this.options.merchant },
      );
    }
  }

  /** The list answer is signed by one of the certificates it carries, or by the public key. */
  private verifyListResponse(
    response: TransportResponse,
    certificates: Map<string, StoredCertificate>,
  ): void {
    const what = 'the /v3/certificates answer';
    const signed = readSignedHeaders(response.headers, what);
    assertFreshTimestamp(signed.timestamp, what, this.now());
    const { publicKey } = this.options;
    const key =
      certificates.get(signed.serial)?.key ??
      (publicKey && publicKey.serial === signed.serial ? publicKey.key : undefined);
    const message = signedMessage(signed.timestamp, signed.nonce, response.body);
    if (!key || !verifyV3Message(message, signed.signature, key)) {
      throw new WechatPaySignatureError(
        `${what} does not verify (serial ${signed.serial}); the certificates were not installed`,
      );
    }
  }
}

function parseList(body: Buffer): CertificateListEntry[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { data?: CertificateListEntry[] };
    if (Array.isArray(parsed.data)) return parsed.data;
  } catch {
    // fall through
  }
  throw new WechatPayError('the /v3/certificates answer is not a certificate list');
}

/**
 * Maps a non-2xx v3 answer to a {@link WechatPayApiError}.
 * @param idempotent whether WeChat Pay deduplicates the request (decides `retrySafe` of an
 *   answer that leaves the outcome unknown)
 * @param hint what probably fixes it, appended to the message
 */
export function apiErrorOf(
  response: TransportResponse,
  idempotent: boolean,
  hint?: string,
): WechatPayApiError {
  let parsed: { code?: string; message?: string; detail?: unknown } = {};
  try {
    parsed = JSON.parse(response.body.toString('utf8')) as typeof parsed;
  } catch {
    // Not JSON (a proxy's error page, say): report the status alone.
  }
  return new WechatPayApiError({
    status: response.status,
    code: parsed.code ?? `HTTP_${response.status}`,
    message: parsed.message ?? 'no error body',
    detail: parsed.detail,
    requestId: response.headers['request-id'],
    hint,
    idempotent,
  });
}
