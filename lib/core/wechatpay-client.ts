import type { WechatPayConfig } from './config/resolve-config.js';
import { encryptSensitive } from './crypto/rsa-oaep.js';
import { WechatPayError } from './errors.js';
import type { HttpMethod } from './http/transport.js';
import { HttpTransport } from './http/transport.js';
import { MerchantIdentity } from './merchant/merchant-identity.js';
import { NotificationDeduplicator } from './notify/notification-deduplicator.js';
import type { VerifiedNotification } from './notify/notification.types.js';
import { verifyV2Notification } from './notify/v2-notification.js';
import { verifyV3Notification } from './notify/v3-notification.js';
import { Bills } from './products/bills/bills.v3.js';
import { CodePayments } from './products/code-payments/code-payments.v3.js';
import { Complaints } from './products/complaints/complaints.v3.js';
import { Media } from './products/media/media.v3.js';
import { Combine } from './products/combine/combine.v3.js';
import { Payments } from './products/payments/payments.v3.js';
import type { V2ProductContext, V3ProductContext } from './products/product-context.js';
import { ProfitSharing } from './products/profit-sharing/profit-sharing.v3.js';
import { Refunds } from './products/refunds/refunds.v3.js';
import { Transfers } from './products/transfers/transfers.v3.js';
import { DailyReconciliation } from './reconciliation/daily-reconciliation.js';
import { Reconciliation } from './reconciliation/reconciliation.js';
import type { RecoveryOrderApi } from './recovery/order-recovery.js';
import { PaymentRecovery, type RecoveryTracker } from './recovery/payment-recovery.js';
import { WechatPayV2Api } from './v2/v2-api.js';
import { WechatPayV2Client } from './v2/v2-client.js';
import { PlatformKeyStore } from './v3/platform-key-store.js';
import { V3SignatureVerifier } from './v3/signature-verifier.js';
import { fetchPlatformKeysAtStartup, messageOf } from './v3/startup-check.js';
import { WechatPayV3Client, type V3RequestOptions } from './v3/v3-client.js';

/** Options of {@link WechatPayClient}. */
export interface WechatPayClientOptions {
  /**
   * Receives warnings, e.g. a failed background certificate refresh, an unreachable WeChat Pay
   * at start-up, or a refused notification.
   * @default console.warn
   */
  warn?: (message: string) => void;
  /**
   * Receives errors no answer can carry, e.g. a notification handler given up as hung.
   * @default console.error
   */
  error?: (message: string) => void;
  /**
   * Minimum time between two platform-certificate downloads.
   * @default 60000
   */
  certificateRefreshMinIntervalMs?: number;
}

const USER_AGENT = `nestjs-wechatpay (node ${process.version})`;

/**
 * WeChat Pay for one merchant, without Nest: the composition root that builds the transport,
 * the verifier and who the merchant is once, and hands them to each product, exposed as a
 * namespace (`payments`, `refunds`, `bills`; `v2.payments`…). `WechatPayService` is this class
 * made injectable. A new product is one folder in `products/` and one field here.
 *
 * Every request is signed; every answer is verified (signature, 300 s window, serial) before
 * anything is returned; every input is validated before anything is sent.
 */
export class WechatPayClient {
  /** API v3 payments: JSAPI, App, H5 and Native orders, queries, close, client parameters. */
  readonly payments: Payments;
  /** API v3 refunds: create, query, and apply an abnormal refund. */
  readonly refunds: Refunds;
  /** API v3 bills: apply for trade and fund-flow bills, download them hash-checked. */
  readonly bills: Bills;
  /** API v3 profit sharing (分账): receivers, splits, returns, unfreezing, bills. */
  readonly profitSharing: ProfitSharing;
  /** API v3 code payments (付款码): pay, reverse, and the till's whole loop (`payAtTill`). */
  readonly codePayments: CodePayments;
  /** API v3 media uploads: multipart, signed over `meta`, checked against each endpoint's limits. */
  readonly media: Media;
  /** API v3 消费者投诉 2.0: complaints, responses, images, the notification URL. */
  readonly complaints: Complaints;
  /** API v3 combine payments (合单支付): one payment for several sub-orders. */
  readonly combine: Combine;
  /** API v3 商家转账: transfer bills to users' balances, confirmed by the user; receipts. */
  readonly transfers: Transfers;
  /** T+1 reconciliation (对账): a day's trade bill against the merchant's own orders. */
  readonly reconciliation: Reconciliation;
  /**
   * The built-in daily reconciliation job: yesterday reconciled at `reconciliationTime` China
   * time, the result handed to a hook (see `DailyReconciliation`). Off until started.
   */
  readonly dailyReconciliation: DailyReconciliation;
  /** The platform certificates and/or WeChat Pay public key used to verify WeChat Pay. */
  readonly platformKeys: PlatformKeyStore;
  /** Verifies API v3 signatures of answers and notifications. */
  readonly verifier: V3SignatureVerifier;
  /** API v2 (XML), by product: `v2.payments`, `v2.refunds`, `v2.bills`, and `v2.request`. */
  readonly v2: WechatPayV2Api;
  /** Claims, completes and releases notifications in the configured idempotency store. */
  readonly notifications: NotificationDeduplicator;
  /**
   * Missed-notification recovery: orders placed are queried on a schedule, closed at expiry,
   * and a payment found by a query runs the payment handler once (see `PaymentRecovery`).
   */
  readonly recovery: PaymentRecovery;
  protected readonly transport: HttpTransport;
  protected readonly v3: WechatPayV3Client;
  private readonly v2Client: WechatPayV2Client;
  /** Who the merchant is, for v2 and v3 alike. */
  private readonly merchant: MerchantIdentity;
  private readonly warn: (message: string) => void;
  /** What every API v3 product is built from. */
  private readonly productContext: V3ProductContext;

  constructor(
    /** The validated configuration this client serves. */
    readonly config: WechatPayConfig,
    options: WechatPayClientOptions = {},
  ) {
    this.warn = options.warn ?? ((message) => console.warn(message));
    this.transport = new HttpTransport({
      domains: config.domains,
      timeout: config.timeout,
      userAgent: USER_AGENT,
      tls: config.tlsCa ? { ca: config.tlsCa } : undefined,
    });
    const publicKey =
      config.platformPublicKey && config.platformPublicKeyId
        ? { serial: config.platformPublicKeyId, key: config.platformPublicKey }
        : undefined;
    this.platformKeys = new PlatformKeyStore({
      apiV3Key: config.apiV3Key,
      publicKey,
      fetchCertificates: config.hasV3
        ? () => this.v3.send('GET', '/v3/certificates', undefined, { idempotent: true })
        : undefined,
      minRefreshIntervalMs: options.certificateRefreshMinIntervalMs,
      onBackgroundError: (error) =>
        this.warn(`WeChat Pay platform certificate refresh failed: ${messageOf(error)}`),
      merchant: config.name,
    });
    this.verifier = new V3SignatureVerifier(this.platformKeys);
    this.v3 = new WechatPayV3Client(config, this.transport, this.platformKeys, this.verifier);
    this.merchant = new MerchantIdentity(config);
    this.v2Client = new WechatPayV2Client(config, this.transport, USER_AGENT);
    // Recovery queries through the products it is told about: bound late, built below.
    const tracker: RecoveryTracker = {
      track: (order, trackOptions) => this.recovery.track(order, trackOptions),
    };
    const v3: V3ProductContext = (this.productContext = {
      api: this.v3,
      merchant: this.merchant,
      recovery: tracker,
      signingKey: () => {
        if (!config.privateKey) {
          throw new WechatPayError(
            'client parameters need the merchant private key: configure API v3',
          );
        }
        return config.privateKey;
      },
      sensitiveFields: async () => {
        const { serial, key } = await this.platformKeys.encryptionKey();
        return { serial, encrypt: (plain) => encryptSensitive(plain, key) };
      },
    });
    const v2: V2ProductContext = { api: this.v2Client, merchant: this.merchant, recovery: tracker };
    this.payments = new Payments(v3);
    this.refunds = new Refunds(v3);
    this.bills = new Bills(v3);
    this.profitSharing = new ProfitSharing(v3);
    this.codePayments = new CodePayments(v3, this.payments);
    this.media = new Media(v3);
    this.complaints = new Complaints(v3, this.media);
    this.combine = new Combine(v3);
    this.transfers = new Transfers(v3);
    this.v2 = new WechatPayV2Api(v2);
    this.reconciliation = new Reconciliation(this.bills, () => this.v2.bills);
    const logger = {
      warn: this.warn,
      error: options.error ?? ((message: string) => console.error(message)),
    };
    this.notifications = new NotificationDeduplicator(config.idempotencyStore, {
      leaseMs: config.notificationLeaseMs,
      doneTtlMs: config.notificationDoneTtlMs,
      handlerTimeoutMs: config.notificationHandlerTimeoutMs,
      storeTimeoutMs: config.notificationStoreTimeoutMs,
      logger,
    });
    this.recovery = new PaymentRecovery({
      config,
      mchid: config.mchid,
      api: this.recoveryApi(),
      deduplicator: this.notifications,
      logger,
    });
    this.dailyReconciliation = new DailyReconciliation({
      config,
      mchid: config.mchid,
      reconciliation: this.reconciliation,
      logger,
    });
  }

  /**
   * Queries and closes a watched order with the API version it was placed with (a combine
   * order with the combine APIs).
   */
  private recoveryApi(): RecoveryOrderApi {
    return {
      query: async (task) => {
        if (task.kind === 'combine') {
          return (await this.combine.query(task.outTradeNo)) as unknown as Record<string, unknown>;
        }
        if (task.version === 'v2') {
          return this.v2.payments.query({
            out_trade_no: task.outTradeNo,
            ...(task.subMchid ? { sub_mch_id: task.subMchid } : {}),
          });
        }
        return (await this.payments.queryByOutTradeNo(task.outTradeNo, {
          subMchid: task.subMchid,
        })) as unknown as Record<string, unknown>;
      },
      queryRefund: async (task) =>
        (await this.refunds.query(task.outRefundNo ?? '', {
          subMchid: task.subMchid,
        })) as unknown as Record<string, unknown>,
      close: async (task) => {
        if (task.kind === 'combine') {
          await this.combine.close(task.outTradeNo, {
            combine_appid: task.combineAppid,
            sub_orders: task.subOrders ?? [],
          });
        } else if (task.version === 'v2') {
          await this.v2.payments.close(task.outTradeNo, { sub_mch_id: task.subMchid });
        } else {
          await this.payments.close(task.outTradeNo, { subMchid: task.subMchid });
        }
      },
    };
  }

  /**
   * Fetches what verifying WeChat Pay needs before the first call, so a wrong key stops the
   * application instead of surfacing after the first order was placed. With platform
   * certificates (no `platformPublicKey` configured) it downloads them and decrypts them with
   * `apiV3Key`; otherwise there is nothing to fetch. An unreachable or slow WeChat Pay only
   * produces a warning (the `warn` option): the certificates are then fetched when first needed.
   * `WechatPayService` runs it while Nest starts; without Nest, call it once before serving.
   * @param options.timeout how long to wait in ms, `0` skips the check; by default the
   *   `startupTimeout` option (5000 ms unless set)
   * @throws WechatPayConfigError when the certificate list cannot be decrypted with `apiV3Key`,
   *   or WeChat Pay has no platform certificate for this merchant and no public key is configured
   * @example
   * const client = new WechatPayClient(resolveWechatPayConfig(options), { warn: console.warn });
   * await client.init();
   */
  init(options: { timeout?: number } = {}): Promise<void> {
    return fetchPlatformKeysAtStartup(
      this.platformKeys,
      options.timeout ?? this.config.startupTimeout,
      this.warn,
    );
  }

  /**
   * Verifies, parses and decrypts an API v3 notification: signature over the exact raw body,
   * 300 s window, known serial, then AES-256-GCM with the APIv3 key.
   * @param headers the request headers (any letter case)
   * @param rawBody the exact bytes received, never a re-serialised body
   * @example
   * const { envelope, payload } = await client.verifyNotification(req.headers, req.rawBody);
   */
  verifyNotification(
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
  ): Promise<VerifiedNotification> {
    return verifyV3Notification(headers, rawBody, {
      verifier: this.verifier,
      apiV3Key: this.config.apiV3Key,
      mchid: this.mchid,
      appids: this.merchant.appids,
    });
  }

  /** The merchant number this client acts for (`sp_mchid` in partner mode). */
  get mchid(): string {
    return this.config.mchid;
  }

  /**
   * Encrypts a sensitive field (name, ID number, phone…) for WeChat Pay. Send `serial` as the
   * `wechatpaySerial` option of {@link request}.
   */
  async encryptSensitive(plain: string): Promise<{ ciphertext: string; serial: string }> {
    const encryptor = await this.productContext.sensitiveFields();
    return { ciphertext: encryptor.encrypt(plain), serial: encryptor.serial };
  }

  /**
   * Calls any API v3 endpoint with the same signing, verification and error mapping as the
   * products (for endpoints they do not model).
   * @param options.idempotent allow re-sending to the backup domain after a broken connection
   *   (default: true for GET only)
   * @example
   * const { data } = await wechatPay.request('GET', '/v3/merchant-service/complaints-v2', undefined, { query: { limit: 10 } });
   */
  async request<T = unknown>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    options: Omit<V3RequestOptions, 'body'> = {},
  ): Promise<{ status: number; data: T; requestId: string | undefined }> {
    if (!path.startsWith('/v3/')) {
      throw new WechatPayError(
        `request() takes an API v3 path starting with /v3/, got "${path.slice(0, 40)}"`,
      );
    }
    return this.v3.request<T>(method, path, { ...options, body });
  }

  /**
   * The `Authorization` header value for an API v3 request, exactly as this client signs its
   * own: for calling an endpoint through another HTTP client.
   * @param url the path with query, e.g. `/v3/certificates`
   * @param body the exact body text to be sent
   */
  authorization(method: HttpMethod, url: string, body?: string): string {
    return this.v3.authorization(method, url, body);
  }

  /**
   * Checks an API v2 payment or refund notification from its raw XML (see
   * `verifyV2Notification`).
   */
  async verifyV2Notification(rawBody: Buffer): Promise<VerifiedNotification> {
    const apiKey = this.config.apiKey;
    if (!apiKey) throw new WechatPayError('API v2 notifications need apiKey in the module options');
    return verifyV2Notification(rawBody, {
      signingKey: await this.v2Client.signingKey(),
      apiKey,
      mchid: this.mchid,
      appid: this.config.appid,
      appids: this.config.appids,
    });
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.transport.close();
    this.v2Client.close();
  }
}
