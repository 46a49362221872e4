import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { WechatPayOptions } from '../core/config/options.js';
import { encryptResource } from '../core/crypto/aes-gcm.js';
import { decryptSensitive } from '../core/crypto/rsa-oaep.js';
import { encryptV2RefundInfo } from '../core/crypto/v2-refund-info.js';
import { signV2 } from '../core/crypto/v2-sign.js';
import { buildV2Xml } from '../core/v2/xml.js';
import { signedMessage } from '../core/v3/signed-headers.js';
import { generateNonce, unixSeconds } from '../core/crypto/nonce.js';
import { buildV3Message, verifyV3Message } from '../core/crypto/rsa-sign.js';
import type { Refund, RefundStatus, Transaction } from '../core/v3/types.js';
import {
  createPlatformCertificate,
  createSimulatorPki,
  type PlatformCertificate,
  type SimulatorPki,
} from './platform-certificate.js';
import {
  SimulatorV2Routes,
  V2_REFUND_STATUS,
  type V2SimulatorAnswer,
} from './simulator-v2-routes.js';
import {
  chinaTime,
  refundJson,
  type SimulatedOrder,
  type SimulatedRefund,
  SimulatorState,
  transactionJson,
} from './simulator-state.js';
import {
  type NotificationDelivery,
  type OutgoingNotification,
  SimulatorNotifier,
  type SimulatorNotifierOptions,
} from './simulator-notifier.js';
import { type SimulatorAnswer, SimulatorError, SimulatorV3Routes } from './simulator-v3-routes.js';
import { createTestMerchant, type TestMerchant } from './test-merchant.js';

/** Which listener: the primary domain, the backup domain, or the HTTPS listener. */
export type SimulatorListener = 'primary' | 'backup' | 'secure';

/** A fault the simulator injects instead of answering normally. */
export type SimulatorFault =
  | { type: 'status'; status: number; code?: string; message?: string }
  /** API v2: a signed HTTP 200 answer with `result_code` FAIL and this `err_code` (e.g. SYSTEMERROR). */
  | { type: 'v2Error'; code: string; message?: string }
  | { type: 'reset' }
  | { type: 'delay'; ms: number }
  /**
   * Answer as usual, but after the headers send the body `bytes` at a time (default 1), one
   * piece every `intervalMs`: a server that is alive but too slow to finish.
   */
  | { type: 'trickle'; intervalMs: number; bytes?: number };

type TrickleFault = Extract<SimulatorFault, { type: 'trickle' }>;

/** A change made to the next answer after it was signed. */
export interface ResponseTamper {
  /** Change one character of the body (the signature no longer matches). */
  body?: boolean;
  /** Flip one byte of the signature. */
  signature?: boolean;
  /** Sign with a timestamp this many seconds away from now (e.g. -301: stale). */
  timestampOffsetSeconds?: number;
  /** Announce this serial instead of the real one. */
  serial?: string;
}

/** One request the simulator received. */
export interface SimulatorRequestRecord {
  listener: SimulatorListener;
  method: string;
  path: string;
  status: number;
  mchid?: string;
}

/** How the simulated WeChat Pay signs, and which verification material it offers. */
export type SimulatorVerification = 'certificate' | 'publicKey' | 'both';

/** Options of a {@link WechatPaySimulator}. */
export interface WechatPaySimulatorOptions {
  /**
   * The merchant the simulator knows; more can be added with `addMerchant`.
   * @default a freshly generated `createTestMerchant()`
   */
  merchant?: TestMerchant;
  /**
   * `certificate`: platform certificates from `/v3/certificates`; `publicKey`: a WeChat Pay
   * public key (`PUB_KEY_ID_…`) and `/v3/certificates` answers 404, as for new merchants;
   * `both`: merchants in migration, signing with the certificate until `signWith('publicKey')`.
   * @default 'certificate'
   */
  verification?: SimulatorVerification;
  /** Start a second listener that acts as the backup domain. @default true */
  backup?: boolean;
  /** Largest request body accepted. @default 1 MiB */
  maxBodyBytes?: number;
  /**
   * Also start an HTTPS listener that asks for client certificates, as API v2's `/secapi/*`
   * endpoints need. The simulator's own CA issues the TLS certificate and a client certificate
   * for each merchant known at `start()`. Use `moduleOptions({ https: true })` to call it.
   * @default false
   */
  https?: boolean;
  /** How refunds progress. */
  refunds?: {
    /**
     * Settle every refund (PROCESSING → SUCCESS, then its notification) this many milliseconds
     * after it is accepted, as WeChat Pay does by itself; leave it out to settle refunds only
     * with `completeRefund()`, which lets a test decide the outcome.
     * @default undefined: refunds stay PROCESSING until `completeRefund()`
     * @example { settleAfterMs: 500 }
     */
    settleAfterMs?: number;
  };
  /** How payment and refund notifications are delivered. */
  notifications?: SimulatorNotifierOptions & {
    /**
     * Deliver a notification by itself when an order is paid or a refund settles, and redeliver
     * it on failure following WeChat Pay's schedule.
     * @default true
     */
    autoDeliver?: boolean;
  };
}

/** Ways to spoil an on-demand notification, to test that the receiver rejects it. */
export interface NotificationTamper {
  /** Deliver this many identical copies at the same moment. @default 1 */
  copies?: number;
  /** Change the body after signing. */
  tamperBody?: boolean;
  /** Flip one byte of the signature. */
  tamperSignature?: boolean;
  /** Sign with a timestamp this many seconds from now (e.g. -301: stale). */
  timestampOffsetSeconds?: number;
  /** Announce this serial instead of the signing key's. */
  serial?: string;
  /** Send a `WECHATPAY/SIGNTEST/…` probe signature. */
  probe?: boolean;
  /** Leave out one header, e.g. `Wechatpay-Signature`. */
  omitHeader?: string;
  /** Send this body instead of the notification, correctly signed (malformed or oversized bodies). */
  body?: string;
  /** Deliver to this URL instead of the order's `notify_url`. */
  url?: string;
  /** API v2: send this `return_code` (e.g. FAIL). */
  returnCode?: string;
  /** API v2: claim to be for this `mch_id`. */
  mchId?: string;
}

interface PendingFault {
  fault: SimulatorFault;
  remaining: number;
  listener: SimulatorListener | 'any';
}

/**
 * A local WeChat Pay: a real HTTP server that checks merchant signatures, signs every answer
 * with a real platform key, encrypts what WeChat Pay encrypts, and keeps orders and refunds.
 * It listens on 127.0.0.1 only, and sends notifications to the orders' `notify_url`.
 *
 * @example
 * const simulator = await new WechatPaySimulator().start();
 * const notifyUrl = 'http://127.0.0.1:3000/wechatpay/notify'; // the app's @WechatNotify() route
 * const app = await NestFactory.create(
 *   AppModule.register(WechatPayModule.forRoot(simulator.moduleOptions({ notifyUrl }))),
 * );
 * await app.listen(3000, '127.0.0.1');
 * // … place an order, then:
 * simulator.pay('ORDER20260608001'); // TRANSACTION.SUCCESS is delivered to notifyUrl
 * await simulator.stop();
 */
export class WechatPaySimulator {
  /** The default merchant. */
  readonly merchant: TestMerchant;
  /** Every request received, in order. */
  readonly requests: SimulatorRequestRecord[] = [];
  readonly state = new SimulatorState();

  private readonly merchants = new Map<string, TestMerchant>();
  private readonly routes = new SimulatorV3Routes(this.state);
  private readonly v2Routes = new SimulatorV2Routes(this.state, this.merchants);
  private pki: SimulatorPki | undefined;
  private readonly clientCertificates = new Map<string, string>();
  private readonly verification: SimulatorVerification;
  private readonly maxBodyBytes: number;
  private readonly servers = new Map<SimulatorListener, Server>();
  private readonly urls = new Map<SimulatorListener, string>();
  private certificates: PlatformCertificate[] = [];
  private readonly publicKeyPair: { id: string; privateKey: KeyObject; publicKey: KeyObject };
  private signer: 'certificate' | 'publicKey';
  private faults: PendingFault[] = [];
  private readonly notifier: SimulatorNotifier;
  private readonly autoDeliver: boolean;
  private tamper: ResponseTamper | undefined;
  private readonly settleTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: WechatPaySimulatorOptions = {}) {
    this.merchant = options.merchant ?? createTestMerchant();
    this.addMerchant(this.merchant);
    this.verification = options.verification ?? 'certificate';
    this.signer = this.verification === 'publicKey' ? 'publicKey' : 'certificate';
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.notifier = new SimulatorNotifier(options.notifications);
    this.autoDeliver = options.notifications?.autoDeliver ?? true;
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKeyPair = {
      id: `PUB_KEY_ID_01${Array.from({ length: 26 }, () => Math.floor(Math.random() * 10)).join('')}`,
      ...pair,
    };
    const settleAfterMs = options.refunds?.settleAfterMs;
    if (settleAfterMs !== undefined) {
      this.state.onRefundAdded = (refund) => {
        const timer = setTimeout(() => {
          this.settleTimers.delete(timer);
          if (refund.status === 'PROCESSING') this.completeRefund(refund.outRefundNo);
        }, settleAfterMs);
        timer.unref();
        this.settleTimers.add(timer);
      };
    }
  }

  /** Starts the listeners on 127.0.0.1 with free ports. */
  async start(): Promise<this> {
    this.certificates = [await createPlatformCertificate()];
    const listeners: SimulatorListener[] =
      this.options.backup === false ? ['primary'] : ['primary', 'backup'];
    if (this.options.https) {
      this.pki = await createSimulatorPki();
      for (const merchant of this.merchants.values()) {
        this.clientCertificates.set(
          merchant.mchid,
          await this.pki.issueClientCertificate(merchant.mchid, merchant.publicKey),
        );
      }
      listeners.push('secure');
    }
    for (const listener of listeners) {
      const handler = (req: IncomingMessage, res: ServerResponse) =>
        void this.handle(listener, req, res);
      const server =
        listener === 'secure' && this.pki
          ? createHttpsServer(
              {
                key: this.pki.serverKeyPem,
                cert: this.pki.serverCertPem,
                ca: this.pki.caPem,
                requestCert: true,
                // Checked per endpoint, like WeChat Pay: only /secapi/* needs the certificate.
                rejectUnauthorized: false,
              },
              handler,
            )
          : createServer(handler);
      server.keepAliveTimeout = 30_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.servers.set(listener, server);
      const scheme = listener === 'secure' ? 'https' : 'http';
      this.urls.set(listener, `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
    return this;
  }

  /** Stops the listeners and drops every connection. */
  async stop(): Promise<void> {
    this.notifier.stop();
    for (const timer of this.settleTimers) clearTimeout(timer);
    this.settleTimers.clear();
    await Promise.all(
      [...this.servers.values()].map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
    this.servers.clear();
  }

  /** Base URL of the primary listener; use it as the `domain` option. */
  get url(): string {
    return this.requireUrl('primary');
  }

  /** Base URL of the HTTPS listener (with `https: true`). */
  get httpsUrl(): string {
    return this.requireUrl('secure');
  }

  /** The CA that issued the HTTPS listener's certificate: the `tlsCa` module option. */
  get caPem(): string {
    if (!this.pki) throw new Error('simulator: start it with https: true');
    return this.pki.caPem;
  }

  /** The client certificate (`apiclient_cert.pem`) the simulator's CA issued for a merchant. */
  clientCertificatePem(merchant: TestMerchant = this.merchant): string {
    const pem = this.clientCertificates.get(merchant.mchid);
    if (!pem) throw new Error('simulator: start it with https: true, after adding the merchant');
    return pem;
  }

  /** Base URL of the backup listener; use it as the `backupDomain` option. */
  get backupUrl(): string {
    return this.requireUrl('backup');
  }

  /** Serial of the platform certificate answers are signed with now. */
  get platformSerial(): string {
    return this.currentCertificate().serial;
  }

  /** Public key of the platform certificate answers are signed with now. */
  get platformPublicKey(): KeyObject {
    return this.currentCertificate().publicKey;
  }

  /**
   * The headers WeChat Pay would sign `body` with right now (`Wechatpay-Timestamp`, `-Nonce`,
   * `-Serial`, `-Signature`), using the current signing key. Handy for fixtures.
   */
  signMessage(body: string | Buffer, timestamp: number = unixSeconds()): Record<string, string> {
    const nonce = generateNonce();
    const { serial, key } = this.signingKey();
    const message = signedMessage(String(timestamp), nonce, Buffer.from(body));
    return {
      'Wechatpay-Timestamp': String(timestamp),
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': serial,
      'Wechatpay-Signature': sign('sha256', message, key).toString('base64'),
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  /** The WeChat Pay public key id (`PUB_KEY_ID_…`). */
  get publicKeyId(): string {
    return this.publicKeyPair.id;
  }

  /** The WeChat Pay public key, as `pub_key.pem` holds it. */
  get publicKeyPem(): string {
    return this.publicKeyPair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /**
   * Decrypts a sensitive field the way WeChat Pay would: with the private key of whichever
   * certificate or public key it was encrypted for.
   */
  decryptSensitive(ciphertext: string, serial: string): string {
    const key =
      serial === this.publicKeyPair.id
        ? this.publicKeyPair.privateKey
        : this.certificates.find((c) => c.serial === serial)?.privateKey;
    if (!key) throw new Error(`simulator: no key with serial ${serial}`);
    return decryptSensitive(ciphertext, key);
  }

  /** Lets another merchant (or service provider) call the simulator. */
  addMerchant(merchant: TestMerchant): void {
    this.merchants.set(merchant.mchid, merchant);
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
      this.verification === 'certificate'
        ? {}
        : { platformPublicKey: this.publicKeyPem, platformPublicKeyId: this.publicKeyId };
    return {
      ...merchant.options,
      domain: this.url,
      backupDomain: this.urls.has('backup') ? this.backupUrl : false,
      ...publicKey,
      ...secure,
      ...rest,
    };
  }

  /** Chooses what signs answers from now on (modes `both` and `publicKey`). */
  signWith(source: 'certificate' | 'publicKey'): void {
    if (source === 'publicKey' && this.verification === 'certificate') {
      throw new Error(
        "the simulator was started with verification: 'certificate'; use 'both' to sign with the public key",
      );
    }
    this.signer = source;
  }

  /**
   * Issues a new platform certificate and signs with it from now on. The old one stays listed
   * by `/v3/certificates` unless `keepOld` is false.
   * @returns the new serial
   */
  async rotatePlatformCertificate(options: { keepOld?: boolean } = {}): Promise<string> {
    const next = await createPlatformCertificate();
    this.certificates = options.keepOld === false ? [next] : [...this.certificates, next];
    return next.serial;
  }

  /**
   * The payer pays: an unpaid order becomes SUCCESS.
   * @returns the order as a query would now return it
   */
  pay(outTradeNo: string, payer: { openid?: string } = {}): Transaction {
    const order = this.state.findAnyOrder(outTradeNo);
    if (!order) throw new Error(`simulator: no order ${outTradeNo}`);
    if (order.state !== 'NOTPAY')
      throw new Error(`simulator: order ${outTradeNo} is ${order.state}, not NOTPAY`);
    order.state = 'SUCCESS';
    order.successTime = new Date();
    order.payer ??= order.subMchid
      ? { sp_openid: payer.openid ?? 'oSimulatorPayerOpenid000000' }
      : { openid: payer.openid ?? 'oSimulatorPayerOpenid000000' };
    if (this.autoDeliver) this.notifier.schedule(this.transactionNotification(order));
    return transactionJson(order);
  }

  /**
   * Settles a refund: PROCESSING → SUCCESS (or ABNORMAL, or CLOSED, which makes its amount
   * refundable again). Throws if the refund is not PROCESSING.
   */
  completeRefund(
    outRefundNo: string,
    status: Exclude<RefundStatus, 'PROCESSING'> = 'SUCCESS',
  ): Refund {
    const refund = this.state.findAnyRefund(outRefundNo);
    if (!refund) throw new Error(`simulator: no refund ${outRefundNo}`);
    if (refund.status !== 'PROCESSING') {
      throw new Error(`simulator: refund ${outRefundNo} is already ${refund.status}`);
    }
    refund.status = status;
    if (status === 'SUCCESS') refund.successTime = new Date();
    // A closed refund gives the amount back to the refundable balance, as WeChat Pay does.
    if (status === 'CLOSED') refund.order.refunded -= refund.refund;
    if (this.autoDeliver) this.notifier.schedule(this.refundNotification(refund));
    return refundJson(refund);
  }

  /** Every notification delivery attempt and its answer, in order. */
  get deliveries(): readonly NotificationDelivery[] {
    return this.notifier.deliveries;
  }

  /** Waits until a delivery matching `predicate` was answered (or failed). */
  waitForDelivery(
    predicate: (delivery: NotificationDelivery) => boolean,
    timeoutMs?: number,
  ): Promise<NotificationDelivery> {
    return this.notifier.waitFor(predicate, timeoutMs);
  }

  /**
   * Delivers an order's `TRANSACTION.SUCCESS` notification now (same event id as the automatic
   * one), optionally spoiled or duplicated, without redelivery.
   */
  deliverTransaction(
    outTradeNo: string,
    tamper: NotificationTamper = {},
  ): Promise<NotificationDelivery[]> {
    const order = this.state.findAnyOrder(outTradeNo);
    if (!order) throw new Error(`simulator: no order ${outTradeNo}`);
    return this.notifier.deliverNow(this.transactionNotification(order, tamper), tamper.copies);
  }

  /**
   * A signed, encrypted `TRANSACTION.SUCCESS` notification for an order, without sending it:
   * for fixtures and load tests. `id` replaces the event id (distinct events for one order).
   */
  signedTransactionNotification(
    outTradeNo: string,
    options: NotificationTamper & { id?: string } = {},
  ): { url: string; body: string; headers: Record<string, string> } {
    const order = this.state.findAnyOrder(outTradeNo);
    if (!order) throw new Error(`simulator: no order ${outTradeNo}`);
    const notification = this.transactionNotification(order, options, options.id);
    return { url: notification.url, ...notification.build() };
  }

  /** Delivers a refund's `REFUND.*` notification now, optionally spoiled or duplicated. */
  deliverRefund(
    outRefundNo: string,
    tamper: NotificationTamper = {},
  ): Promise<NotificationDelivery[]> {
    const refund = this.state.findAnyRefund(outRefundNo);
    if (!refund) throw new Error(`simulator: no refund ${outRefundNo}`);
    return this.notifier.deliverNow(this.refundNotification(refund, tamper), tamper.copies);
  }

  private transactionNotification(
    order: SimulatedOrder,
    tamper: NotificationTamper = {},
    id?: string,
  ): OutgoingNotification {
    order.notificationId ??= randomUUID();
    if (order.apiVersion === 'v2') {
      return this.v2Notification(
        order,
        'TRANSACTION.SUCCESS',
        {
          result_code: 'SUCCESS',
          return_code: 'SUCCESS',
          ...this.v2Routes.orderFields(order),
          trade_state: undefined,
          trade_state_desc: undefined,
        },
        tamper,
        id ?? order.notificationId,
      );
    }
    return this.v3Notification({
      id: id ?? order.notificationId,
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      originalType: 'transaction',
      payload: transactionJson(order),
      url: tamper.url ?? order.notifyUrl,
      mchid: order.mchid,
      tamper,
    });
  }

  private refundNotification(
    refund: SimulatedRefund,
    tamper: NotificationTamper = {},
  ): OutgoingNotification {
    refund.notificationId ??= randomUUID();
    const { order } = refund;
    const status = refund.status === 'PROCESSING' ? 'SUCCESS' : refund.status;
    if (order.apiVersion === 'v2') {
      const v2Status = V2_REFUND_STATUS[status];
      const root = buildV2Xml({
        transaction_id: order.transactionId,
        out_trade_no: order.outTradeNo,
        refund_id: refund.refundId,
        out_refund_no: refund.outRefundNo,
        total_fee: String(order.total),
        refund_fee: String(refund.refund),
        settlement_refund_fee: String(refund.refund),
        refund_status: v2Status,
        success_time: refund.successTime
          ? chinaTime(refund.successTime).slice(0, 19).replace('T', ' ')
          : undefined,
        refund_recv_accout: '支付用户零钱',
        refund_account: 'REFUND_SOURCE_UNSETTLED_FUNDS',
        refund_request_source: 'API',
      })
        .replace(/^<xml>/, '<root>')
        .replace(/<\/xml>$/, '</root>');
      const merchant = this.merchants.get(order.mchid) ?? this.merchant;
      return this.v2Notification(
        order,
        `REFUND.${status}`,
        { return_code: 'SUCCESS', req_info: encryptV2RefundInfo(root, merchant.apiKey) },
        tamper,
        refund.notificationId,
        refund.notifyUrl ?? order.notifyUrl,
        false,
      );
    }
    return this.v3Notification({
      id: refund.notificationId,
      eventType: `REFUND.${status}`,
      summary: status === 'SUCCESS' ? '退款成功' : status === 'CLOSED' ? '退款关闭' : '退款异常',
      originalType: 'refund',
      payload: {
        ...(order.subMchid
          ? { sp_mchid: order.mchid, sub_mchid: order.subMchid }
          : { mchid: order.mchid }),
        out_trade_no: order.outTradeNo,
        transaction_id: order.transactionId,
        out_refund_no: refund.outRefundNo,
        refund_id: refund.refundId,
        refund_status: status,
        ...(refund.successTime ? { success_time: chinaTime(refund.successTime) } : {}),
        user_received_account: '支付用户零钱',
        amount: {
          total: order.total,
          refund: refund.refund,
          payer_total: order.total,
          payer_refund: refund.refund,
        },
      },
      url: tamper.url ?? refund.notifyUrl ?? order.notifyUrl,
      mchid: order.mchid,
      tamper,
    });
  }

  private v2Notification(
    order: SimulatedOrder,
    eventType: string,
    fields: Record<string, string | undefined>,
    tamper: NotificationTamper,
    id: string,
    url: string = order.notifyUrl,
    withSign = true,
  ): OutgoingNotification {
    const signType = order.v2SignType ?? 'MD5';
    return {
      id,
      eventType,
      url: tamper.url ?? url,
      isSuccess: (status, body) =>
        status === 200 && /<return_code>(<!\[CDATA\[)?SUCCESS/.test(body),
      build: () => {
        const message: Record<string, string | undefined> = {
          appid: order.appid,
          mch_id: tamper.mchId ?? order.mchid,
          sub_mch_id: order.subMchid,
          nonce_str: generateNonce(),
          ...fields,
          ...(tamper.returnCode ? { return_code: tamper.returnCode, return_msg: '通信失败' } : {}),
          ...(withSign && signType !== 'MD5' ? { sign_type: signType } : {}),
        };
        const defined = Object.fromEntries(
          Object.entries(message).filter(([, v]) => v !== undefined),
        ) as Record<string, string>;
        if (withSign) {
          const key = this.v2Routes.keyFor(order.mchid, order.v2Sandbox ?? false) ?? '';
          defined.sign = signV2(defined, key, signType);
          if (tamper.tamperSignature)
            defined.sign = defined.sign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
        }
        if (tamper.tamperBody && defined.total_fee)
          defined.total_fee = String(Number(defined.total_fee) + 1);
        return {
          body: tamper.body ?? buildV2Xml(defined),
          headers: { 'Content-Type': 'text/xml', 'User-Agent': 'Mozilla/4.0' },
        };
      },
    };
  }

  private v3Notification(spec: {
    id: string;
    eventType: string;
    summary: string;
    originalType: string;
    payload: unknown;
    url: string;
    mchid: string;
    tamper: NotificationTamper;
  }): OutgoingNotification {
    const apiV3Key = this.merchants.get(spec.mchid)?.apiV3Key ?? this.merchant.apiV3Key;
    const { tamper } = spec;
    return {
      id: spec.id,
      eventType: spec.eventType,
      url: spec.url,
      isSuccess: (status) => status === 200 || status === 204,
      build: () => {
        let body =
          tamper.body ??
          JSON.stringify({
            id: spec.id,
            create_time: chinaTime(new Date()),
            resource_type: 'encrypt-resource',
            event_type: spec.eventType,
            summary: spec.summary,
            resource: encryptResource(JSON.stringify(spec.payload), apiV3Key, {
              associatedData: spec.originalType,
              originalType: spec.originalType,
            }),
          });
        const signed = this.signMessage(body, unixSeconds() + (tamper.timestampOffsetSeconds ?? 0));
        if (tamper.tamperBody) body = body.replace(spec.summary, `${spec.summary}!`);
        if (tamper.tamperSignature) {
          const bytes = Buffer.from(signed['Wechatpay-Signature']!, 'base64');
          bytes.writeUInt8(bytes.readUInt8(10) ^ 0x01, 10);
          signed['Wechatpay-Signature'] = bytes.toString('base64');
        }
        if (tamper.probe)
          signed['Wechatpay-Signature'] = `WECHATPAY/SIGNTEST/${signed['Wechatpay-Signature']}`;
        if (tamper.serial) signed['Wechatpay-Serial'] = tamper.serial;
        const headers: Record<string, string> = {
          'Content-Type': 'application/json',
          'User-Agent': 'Mozilla/4.0',
          ...signed,
        };
        if (tamper.omitHeader) delete headers[tamper.omitHeader];
        return { body, headers };
      },
    };
  }

  /** Injects a fault into the next `count` requests to `listener`. */
  injectFault(
    fault: SimulatorFault,
    options: { count?: number; listener?: SimulatorListener | 'any' } = {},
  ): void {
    this.faults.push({
      fault,
      remaining: options.count ?? 1,
      listener: options.listener ?? 'primary',
    });
  }

  /** Alters the next signed answer after signing it. */
  tamperNextResponse(tamper: ResponseTamper): void {
    this.tamper = tamper;
  }

  /** Requests received by one listener. */
  requestsTo(listener: SimulatorListener): SimulatorRequestRecord[] {
    return this.requests.filter((r) => r.listener === listener);
  }

  private async handle(
    listener: SimulatorListener,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const record: SimulatorRequestRecord = {
      listener,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      status: 0,
    };
    this.requests.push(record);
    let body: Buffer;
    try {
      body = await this.readBody(req);
    } catch {
      record.status = 413;
      res.writeHead(413).end();
      return;
    }
    const fault = this.takeFault(listener);
    if (fault?.type === 'reset') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault?.type === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (res.destroyed) return;
    const pace = fault?.type === 'trickle' ? fault : undefined;

    let answer: SimulatorAnswer;
    try {
      if (fault?.type === 'status') {
        throw new SimulatorError(
          fault.status,
          fault.code ?? 'SYSTEM_ERROR',
          fault.message ?? '系统错误',
        );
      }
      if (!(req.url ?? '').startsWith('/v3/')) {
        this.sendV2(
          res,
          record,
          this.v2Routes.handle({
            path: (req.url ?? '/').split('?')[0]!,
            body,
            clientCertificateMchid: clientCertificateMchid(req),
            error: fault?.type === 'v2Error' ? fault : undefined,
          }),
          pace,
        );
        return;
      }
      record.mchid = this.authenticate(req, body);
      answer = this.answer(req, body, record.mchid, listener);
    } catch (error) {
      answer =
        error instanceof SimulatorError
          ? { status: error.status, body: { code: error.code, message: error.message } }
          : { status: 500, body: { code: 'SYSTEM_ERROR', message: String(error) } };
    }
    record.status = answer.status;
    this.send(res, answer, pace);
  }

  private answer(
    req: IncomingMessage,
    body: Buffer,
    mchid: string,
    listener: SimulatorListener,
  ): SimulatorAnswer {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (req.method === 'GET' && url.pathname === '/v3/certificates')
      return this.certificateList(mchid);
    let json: Record<string, unknown> = {};
    if (body.length) {
      try {
        json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new SimulatorError(400, 'PARAM_ERROR', '请求体不是合法的 JSON (body is not JSON)');
      }
    }
    return this.routes.handle({
      method: req.method ?? 'GET',
      url,
      json,
      mchid,
      baseUrl: this.requireUrl(listener),
    });
  }

  /** Checks the merchant's Authorization header exactly as WeChat Pay does. */
  private authenticate(req: IncomingMessage, body: Buffer): string {
    const header = req.headers.authorization ?? '';
    const fail = (why: string): never => {
      throw new SimulatorError(401, 'SIGN_ERROR', `签名错误 (${why})`);
    };
    if (!header.startsWith('WECHATPAY2-SHA256-RSA2048 '))
      fail('Authorization must use WECHATPAY2-SHA256-RSA2048');
    const fields: Record<string, string | undefined> = {};
    for (const [, name, value] of header.matchAll(/(\w+)="([^"]*)"/g)) fields[name!] = value;
    const merchant = this.merchants.get(fields.mchid ?? '');
    if (!merchant) return fail(`unknown mchid ${fields.mchid}`);
    if (fields.serial_no?.toUpperCase() !== merchant.serialNo)
      fail('serial_no is not the merchant certificate serial');
    const timestamp = Number(fields.timestamp);
    if (!Number.isInteger(timestamp) || Math.abs(unixSeconds() - timestamp) >= 300)
      fail('timestamp expired');
    const message = buildV3Message(
      req.method ?? 'GET',
      req.url ?? '/',
      fields.timestamp ?? '',
      fields.nonce_str ?? '',
      body.toString('utf8'),
    );
    if (!verifyV3Message(message, fields.signature ?? '', merchant.publicKey))
      fail('signature does not verify');
    return merchant.mchid;
  }

  /** The list is encrypted with the APIv3 key of the merchant asking. */
  private certificateList(mchid: string): SimulatorAnswer {
    const apiV3Key = this.merchants.get(mchid)?.apiV3Key ?? this.merchant.apiV3Key;
    if (this.verification === 'publicKey') {
      throw new SimulatorError(
        404,
        'RESOURCE_NOT_EXISTS',
        '无可用的平台证书，请使用微信支付公钥 (no platform certificate: use the WeChat Pay public key)',
      );
    }
    const data = this.certificates.map((cert) => ({
      serial_no: cert.serial,
      effective_time: cert.notBefore.toISOString(),
      expire_time: cert.notAfter.toISOString(),
      encrypt_certificate: encryptResource(cert.pem, apiV3Key, { associatedData: 'certificate' }),
    }));
    return { status: 200, body: { data } };
  }

  private sendV2(
    res: ServerResponse,
    record: SimulatorRequestRecord,
    answer: V2SimulatorAnswer,
    pace?: TrickleFault,
  ): void {
    record.status = 200;
    const tamper = this.tamper;
    this.tamper = undefined;
    if ('xml' in answer && tamper?.body) {
      // A signed value changed after signing: the first digit that starts an element's text.
      answer = { xml: answer.xml.replace(/>(\d)/, (_m, d: string) => `>${(Number(d) + 1) % 10}`) };
    }
    if ('file' in answer) {
      write(res, 200, { 'Content-Type': 'text/plain; charset=utf-8' }, answer.file, pace);
    } else {
      write(res, 200, { 'Content-Type': 'text/xml; charset=utf-8' }, answer.xml, pace);
    }
  }

  /** Signs and sends an answer (bill files go unsigned, as WeChat Pay sends them). */
  private send(res: ServerResponse, answer: SimulatorAnswer, pace?: TrickleFault): void {
    if (answer.file) {
      write(res, answer.status, { 'Content-Type': 'application/octet-stream' }, answer.file, pace);
      return;
    }
    let body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const tamper = this.tamper;
    this.tamper = undefined;
    const signed = this.signMessage(body, unixSeconds() + (tamper?.timestampOffsetSeconds ?? 0));
    let signature = signed['Wechatpay-Signature']!;
    if (tamper?.body)
      body = body.length ? body.replace(/\d/, (d) => String((Number(d) + 1) % 10)) + ' ' : ' ';
    if (tamper?.signature) {
      const bytes = Buffer.from(signature, 'base64');
      bytes.writeUInt8(bytes.readUInt8(10) ^ 0x01, 10);
      signature = bytes.toString('base64');
    }
    const headers: Record<string, string> = {
      'Request-ID': `08${generateNonce()}`,
      ...signed,
      'Wechatpay-Signature': signature,
      ...(tamper?.serial ? { 'Wechatpay-Serial': tamper.serial } : {}),
    };
    if (body) headers['Content-Type'] = 'application/json; charset=utf-8';
    write(res, answer.status, headers, body, pace);
  }

  private signingKey(): { serial: string; key: KeyObject } {
    if (this.signer === 'publicKey')
      return { serial: this.publicKeyPair.id, key: this.publicKeyPair.privateKey };
    const cert = this.currentCertificate();
    return { serial: cert.serial, key: cert.privateKey };
  }

  private currentCertificate(): PlatformCertificate {
    const cert = this.certificates.at(-1);
    if (!cert) throw new Error('simulator: call start() first');
    return cert;
  }

  private takeFault(listener: SimulatorListener): SimulatorFault | undefined {
    const pending = this.faults.find((f) => f.listener === 'any' || f.listener === listener);
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) this.faults = this.faults.filter((f) => f !== pending);
    return pending.fault;
  }

  private readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxBodyBytes) {
          reject(new Error('body too large'));
          req.destroy();
        } else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  private requireUrl(listener: SimulatorListener): string {
    const url = this.urls.get(listener);
    if (!url)
      throw new Error(`simulator: the ${listener} listener is not running; call start() first`);
    return url;
  }
}

/** Writes an answer at once, or a few bytes at a time for a `trickle` fault. */
function write(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
  pace: TrickleFault | undefined,
): void {
  const bytes = Buffer.from(body);
  if (!pace || bytes.length === 0) {
    res.writeHead(status, headers).end(bytes);
    return;
  }
  res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) });
  res.flushHeaders();
  const step = pace.bytes ?? 1;
  let offset = 0;
  const timer = setInterval(() => {
    const piece = bytes.subarray(offset, offset + step);
    offset += step;
    if (offset < bytes.length) res.write(piece);
    else {
      clearInterval(timer);
      res.end(piece);
    }
  }, pace.intervalMs);
  res.on('close', () => clearInterval(timer));
}

/** The mchid of a client certificate the simulator's CA issued, if the request presented one. */
function clientCertificateMchid(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (!socket.encrypted || !socket.authorized || !socket.getPeerCertificate) return undefined;
  const subject = socket.getPeerCertificate().subject as
    Record<string, string | string[]> | undefined;
  const cn = subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}
