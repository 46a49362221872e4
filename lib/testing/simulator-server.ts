import type { KeyObject } from 'node:crypto';
import type { WechatPayOptions } from '../core/config/options.js';
import { DASHBOARD_PATH } from './dashboard/dashboard.js';
import type { SimulatorFault, SimulatorListener } from './faults.js';
import type { SimulatorRequestRecord, WechatPaySimulatorOptions } from './simulator-options.js';
import { SimulatorParts } from './simulator-parts.js';
import type { ResponseTamper } from './tampering.js';
import { createTestMerchant, type TestMerchant } from './test-merchant.js';

/**
 * The half of `WechatPaySimulator` that is the server: starting and stopping it, its URLs and
 * keys, the merchants that may call it, module options that reach it, and faults on the wire.
 * The test hooks that act for payers, users and WeChat Pay are in `WechatPaySimulator`.
 */
export abstract class SimulatorServer {
  /** The default merchant. */
  readonly merchant: TestMerchant;
  /** Every request received, in order. */
  readonly requests: SimulatorRequestRecord[];

  /** The simulator's parts, for the test hooks. */
  protected readonly parts: SimulatorParts;

  constructor(options: WechatPaySimulatorOptions) {
    this.merchant = options.merchant ?? createTestMerchant();
    this.parts = new SimulatorParts(options, this.merchant);
    this.requests = this.parts.requests;
  }

  /**
   * Starts the listeners on 127.0.0.1, on free ports unless `ports` fixes them.
   * @throws the listen error (e.g. `EADDRINUSE`) when a fixed port is taken
   */
  async start(): Promise<this> {
    await this.parts.start();
    return this;
  }

  /** Stops the listeners and drops every connection. */
  async stop(): Promise<void> {
    await this.parts.stop();
  }

  /** Base URL of the primary listener; use it as the `domain` option. */
  get url(): string {
    return this.parts.listeners.url('primary');
  }

  /**
   * The dashboard: a page on the primary listener (127.0.0.1 only) showing merchants, orders,
   * refunds, transfers, the notification delivery log and the requests received, with buttons to
   * pay or confirm as the user, settle refunds and inject faults. Its JSON API is under
   * `api/` (e.g. `GET …/api/state`); it never shows a private key or an API key.
   */
  get dashboardUrl(): string {
    return `${this.url}${DASHBOARD_PATH}`;
  }

  /** Base URL of the HTTPS listener (with `https: true`). */
  get httpsUrl(): string {
    return this.parts.listeners.url('secure');
  }

  /** The CA that issued the HTTPS listener's certificate: the `tlsCa` module option. */
  get caPem(): string {
    return this.parts.tls.caPem;
  }

  /** The client certificate (`apiclient_cert.pem`) the simulator's CA issued for a merchant. */
  clientCertificatePem(merchant: TestMerchant = this.merchant): string {
    return this.parts.tls.clientCertificatePem(merchant.mchid);
  }

  /** Base URL of the backup listener; use it as the `backupDomain` option. */
  get backupUrl(): string {
    return this.parts.listeners.url('backup');
  }

  /** Serial of the platform certificate answers are signed with now. */
  get platformSerial(): string {
    return this.parts.platformKeys.currentCertificate().serial;
  }

  /** Public key of the platform certificate answers are signed with now. */
  get platformPublicKey(): KeyObject {
    return this.parts.platformKeys.currentCertificate().publicKey;
  }

  /**
   * The headers WeChat Pay would sign `body` with right now (`Wechatpay-Timestamp`, `-Nonce`,
   * `-Serial`, `-Signature`), using the current signing key. Handy for fixtures.
   */
  signMessage(body: string | Buffer, timestamp?: number): Record<string, string> {
    return this.parts.platformKeys.signMessage(body, timestamp);
  }

  /** The WeChat Pay public key id (`PUB_KEY_ID_…`). */
  get publicKeyId(): string {
    return this.parts.platformKeys.publicKeyId;
  }

  /** The WeChat Pay public key, as `pub_key.pem` holds it. */
  get publicKeyPem(): string {
    return this.parts.platformKeys.publicKeyPem;
  }

  /**
   * Decrypts a sensitive field the way WeChat Pay would: with the private key of whichever
   * certificate or public key it was encrypted for.
   */
  decryptSensitive(ciphertext: string, serial: string): string {
    return this.parts.platformKeys.decryptSensitive(ciphertext, serial);
  }

  /** Lets another merchant (or service provider) call the simulator. */
  addMerchant(merchant: TestMerchant): void {
    this.parts.merchants.add(merchant);
  }

  /**
   * Ready `WechatPayModule` options for a merchant of this simulator: its keys, the
   * simulator's URLs as domain and backup domain, and the public key in public-key modes.
   *
   * It sets no `notifyUrl`: only the app knows where it listens. Pass it here (the URL of your
   * `@WechatNotify()` route in the app under test) or `notify_url` with each order; an order
   * with neither is refused before it is sent, instead of its notifications going nowhere.
   * @param overrides any module option (`notifyUrl`, `mode`, …), plus `merchant` (another
   *   merchant added with `addMerchant`; default: the simulator's own) and `https` (API v2
   *   with the client certificate, over the HTTPS listener; default false)
   * @example
   * WechatPayModule.forRoot(
   *   simulator.moduleOptions({ notifyUrl: 'http://127.0.0.1:3000/wechatpay/notify' }),
   * );
   * WechatPayModule.forRoot(simulator.moduleOptions({ mode: 'partner', subMchid: '1900000109' }));
   * WechatPayModule.forRoot(simulator.moduleOptions({ https: true }));
   */
  moduleOptions(
    overrides: Partial<WechatPayOptions> & { merchant?: TestMerchant; https?: boolean } = {},
  ): WechatPayOptions {
    const { merchant = this.merchant, https = false, ...rest } = overrides;
    const secure = https
      ? {
          domain: this.httpsUrl,
          backupDomain: false as const,
          tlsCa: this.caPem,
          clientCert: this.clientCertificatePem(merchant),
        }
      : {};
    const publicKey =
      this.parts.platformKeys.verification === 'certificate'
        ? {}
        : { platformPublicKey: this.publicKeyPem, platformPublicKeyId: this.publicKeyId };
    return {
      ...merchant.options,
      domain: this.url,
      backupDomain: this.parts.listeners.has('backup') ? this.backupUrl : false,
      ...publicKey,
      ...secure,
      ...rest,
    };
  }

  /** Chooses what signs answers from now on (modes `both` and `publicKey`). */
  signWith(source: 'certificate' | 'publicKey'): void {
    this.parts.platformKeys.signWith(source);
  }

  /**
   * Issues a new platform certificate and signs with it from now on. The old one stays listed
   * by `/v3/certificates` unless `keepOld` is false.
   * @returns the new serial
   */
  rotatePlatformCertificate(options: { keepOld?: boolean } = {}): Promise<string> {
    return this.parts.platformKeys.rotate(options.keepOld !== false);
  }

  /** Injects a fault into the next `count` requests to `listener`. */
  injectFault(
    fault: SimulatorFault,
    options: { count?: number; listener?: SimulatorListener | 'any' } = {},
  ): void {
    this.parts.faults.inject(fault, options);
  }

  /** Alters the next signed answer after signing it. */
  tamperNextResponse(tamper: ResponseTamper): void {
    this.parts.tampers.set(tamper);
  }

  /** Requests received by one listener. */
  requestsTo(listener: SimulatorListener): SimulatorRequestRecord[] {
    return this.requests.filter((r) => r.listener === listener);
  }
}
