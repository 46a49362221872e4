import type { Readable } from 'node:stream';
import type { WechatPayConfig } from './config/resolve-config.js';
import { encryptSensitive } from './crypto/rsa-oaep.js';
import { WechatPayConfigError, WechatPayError, WechatPayValidationError } from './errors.js';
import type { HttpMethod } from './http/transport.js';
import { MerchantIdentity } from './merchant/merchant-identity.js';
import { WechatPayV2Api } from './v2/v2-api.js';
import { WechatPayV2Client } from './v2/v2-client.js';
import { NotificationDeduplicator } from './notify/notification-deduplicator.js';
import type { VerifiedNotification } from './notify/notification.types.js';
import { verifyV2Notification } from './notify/v2-notification.js';
import { verifyV3Notification } from './notify/v3-notification.js';
import { HttpTransport } from './http/transport.js';
import { billStream } from './v3/bill-download.js';
import { buildAppPayParams, buildJsapiPayParams } from './v3/client-params.js';
import type { FundFlowBillDto, TradeBillDto } from './v3/dto/bill.dto.js';
import * as dto from './v3/dto/index.js';
import { assertValid } from './v3/dto/validate.js';
import { PlatformKeyStore } from './v3/platform-key-store.js';
import { V3SignatureVerifier } from './v3/signature-verifier.js';
import type {
  AppPayParams,
  AppPrepayResult,
  BillInfo,
  H5PrepayResult,
  JsapiPayParams,
  JsapiPrepayResult,
  NativePrepayResult,
  Refund,
  Transaction,
} from './v3/types.js';
import { type PrepayChannel, segment, V3Endpoints } from './v3/v3-endpoints.js';
import { WechatPayV3Client, type V3RequestOptions } from './v3/v3-client.js';

/** Per-call options of the order and refund methods. */
export interface SubMerchantOptions {
  /** Partner mode: the sub-merchant, overriding `subMchid` of the module options. */
  subMchid?: string;
}

/** Options of {@link WechatPayClient}. */
export interface WechatPayClientOptions {
  /** Receives warnings, e.g. a failed background certificate refresh or start-up check. */
  warn?: (message: string) => void;
  /**
   * Receives errors no answer can carry, e.g. a notification handler given up as hung.
   * (Notification warnings go to `warn`, or `console.warn` without it.)
   * @default console.error
   */
  error?: (message: string) => void;
  /**
   * Minimum time between two platform-certificate downloads.
   * @default 60000
   */
  certificateRefreshMinIntervalMs?: number;
}

/** Request body types accepted by the prepay methods (validated before sending). */
export type PrepayOrder = Omit<dto.PrepayDto, never> & Record<string, unknown>;
/** A JSAPI / mini program order: a {@link PrepayOrder} with the payer's openid. */
export type JsapiPrepayOrder = dto.JsapiPrepayDto & Record<string, unknown>;
/** An H5 (mobile browser) order: a {@link PrepayOrder} with `scene_info.h5_info`. */
export type H5PrepayOrder = dto.H5PrepayDto & Record<string, unknown>;
/** A refund request; fields WeChat Pay adds later pass through unchecked. */
export type RefundRequest = dto.RefundDto & Record<string, unknown>;

const USER_AGENT = `nestjs-wechatpay (node ${process.version})`;

/**
 * WeChat Pay API v3 for one merchant, without Nest. `WechatPayService` is this class made
 * injectable.
 *
 * Every request is signed; every answer is verified (signature, 300 s window, serial) before
 * anything is returned; every input is validated before anything is sent.
 */
export class WechatPayClient {
  /** The platform certificates and/or WeChat Pay public key used to verify WeChat Pay. */
  readonly platformKeys: PlatformKeyStore;
  /** Verifies API v3 signatures of answers and notifications. */
  readonly verifier: V3SignatureVerifier;
  /** API v2 (XML): unifiedorder, micropay, refunds with the client certificate, bills… */
  readonly v2: WechatPayV2Api;
  /** Claims, completes and releases notifications in the configured idempotency store. */
  readonly notifications: NotificationDeduplicator;
  protected readonly transport: HttpTransport;
  protected readonly v3: WechatPayV3Client;
  private readonly v2Client: WechatPayV2Client;
  private readonly endpoints: V3Endpoints;
  /** Who the merchant is, for v2 and v3 alike. */
  private readonly merchant: MerchantIdentity;
  private readonly warn: (message: string) => void;

  constructor(
    /** The validated configuration this client serves. */
    readonly config: WechatPayConfig,
    options: WechatPayClientOptions = {},
  ) {
    this.warn = options.warn ?? (() => undefined);
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
    this.endpoints = new V3Endpoints(this.merchant);
    this.v2Client = new WechatPayV2Client(config, this.transport, USER_AGENT);
    this.v2 = new WechatPayV2Api(config, this.v2Client, this.merchant);
    this.notifications = new NotificationDeduplicator(config.idempotencyStore, {
      leaseMs: config.notificationLeaseMs,
      doneTtlMs: config.notificationDoneTtlMs,
      handlerTimeoutMs: config.notificationHandlerTimeoutMs,
      storeTimeoutMs: config.notificationStoreTimeoutMs,
      logger: {
        warn: options.warn ?? ((message) => console.warn(message)),
        error: options.error ?? ((message) => console.error(message)),
      },
    });
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
  async init(options: { timeout?: number } = {}): Promise<void> {
    const timeout = options.timeout ?? this.config.startupTimeout;
    if (timeout <= 0 || !this.platformKeys.awaitsCertificates) return;
    const download = this.platformKeys.refresh();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeout);
    });
    const outcome = await Promise.race([
      download.then(
        () => 'done' as const,
        (error: unknown) => ({ error }),
      ),
      late,
    ]).finally(() => clearTimeout(timer));
    if (outcome === 'done') return;
    if (outcome === 'late') {
      this.warn(
        `WeChat Pay platform certificates were not fetched within ${timeout} ms at start-up; the download goes on in the background.`,
      );
      download.catch((error: unknown) =>
        this.warn(`WeChat Pay platform certificate download failed: ${messageOf(error)}`),
      );
      return;
    }
    if (outcome.error instanceof WechatPayConfigError) throw outcome.error;
    this.warn(
      `WeChat Pay platform certificates could not be fetched at start-up; they will be fetched when first needed. ${messageOf(outcome.error)}`,
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
   * Creates a JSAPI / mini program order. Follow with {@link jsapiPayParams}.
   * @example
   * const { prepay_id } = await wechatPay.prepayJsapi({
   *   description: 'Coffee', out_trade_no: 'ORDER20260608001', amount: { total: 1800 },
   *   payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
   * });
   */
  prepayJsapi(order: JsapiPrepayOrder): Promise<JsapiPrepayResult> {
    return this.prepay('jsapi', dto.JsapiPrepayDto, order);
  }

  /** Creates an App order. Follow with {@link appPayParams}. */
  prepayApp(order: PrepayOrder): Promise<AppPrepayResult> {
    return this.prepay('app', dto.PrepayDto, order);
  }

  /** Creates an H5 (mobile browser) order; redirect the payer to `h5_url`. */
  prepayH5(order: H5PrepayOrder): Promise<H5PrepayResult> {
    return this.prepay('h5', dto.H5PrepayDto, order);
  }

  /** Creates a Native (QR code) order; show `code_url` as a QR code. */
  prepayNative(order: PrepayOrder): Promise<NativePrepayResult> {
    return this.prepay('native', dto.PrepayDto, order);
  }

  /**
   * Parameters for `wx.requestPayment` (mini program) or `WeixinJSBridge` (JSAPI).
   * @param appId the AppID the payer's openid belongs to
   * @default appId the configured appid (partner mode: subAppid, else appid)
   */
  jsapiPayParams(prepayId: string, appId?: string): JsapiPayParams {
    return buildJsapiPayParams(this.merchant.clientAppid(appId), prepayId, this.signingKey());
  }

  /**
   * Parameters for the App SDK's `PayReq`.
   * @param appId the App's AppID
   * @default appId the configured appid (partner mode: subAppid, else appid)
   * @param options.subMchid partner mode: the sub-merchant, which is the `partnerid`
   *   (default: the configured subMchid)
   */
  appPayParams(prepayId: string, appId?: string, options: SubMerchantOptions = {}): AppPayParams {
    return buildAppPayParams(
      this.merchant.clientAppid(appId),
      this.merchant.appPartnerid(options.subMchid),
      prepayId,
      this.signingKey(),
    );
  }

  /** Queries an order by the merchant's order number. */
  async queryOrderByOutTradeNo(
    outTradeNo: string,
    options: SubMerchantOptions = {},
  ): Promise<Transaction> {
    const what = 'order query';
    this.assertOutTradeNo(outTradeNo, what);
    const { data } = await this.v3.request<Transaction>(
      'GET',
      this.endpoints.orderByOutTradeNoPath(outTradeNo),
      {
        query: this.endpoints.merchantQuery(options.subMchid, what),
      },
    );
    return data;
  }

  /** Queries an order by WeChat Pay's transaction id. */
  async queryOrderByTransactionId(
    transactionId: string,
    options: SubMerchantOptions = {},
  ): Promise<Transaction> {
    const what = 'order query';
    if (!/^\w{1,32}$/.test(transactionId)) {
      throw new WechatPayValidationError(what, [
        {
          field: 'transaction_id',
          message: "must be WeChat Pay's transaction id (up to 32 letters and digits)",
        },
      ]);
    }
    const { data } = await this.v3.request<Transaction>(
      'GET',
      this.endpoints.orderByIdPath(transactionId),
      {
        query: this.endpoints.merchantQuery(options.subMchid, what),
      },
    );
    return data;
  }

  /** Closes an unpaid order, so it can no longer be paid. */
  async closeOrder(outTradeNo: string, options: SubMerchantOptions = {}): Promise<void> {
    const what = 'close order';
    this.assertOutTradeNo(outTradeNo, what);
    await this.v3.request<undefined>(
      'POST',
      `${this.endpoints.orderByOutTradeNoPath(outTradeNo)}/close`,
      {
        body: this.endpoints.merchantBody(options.subMchid, what),
        idempotent: true,
      },
    );
  }

  /**
   * Requests a refund. The answer is usually `PROCESSING`; the result arrives as a
   * `REFUND.SUCCESS` / `REFUND.ABNORMAL` / `REFUND.CLOSED` notification or by {@link queryRefund}.
   * @example
   * await wechatPay.createRefund({
   *   out_trade_no: 'ORDER20260608001', out_refund_no: 'REFUND20260608001',
   *   amount: { refund: 1800, total: 1800, currency: 'CNY' },
   * });
   */
  async createRefund(refund: RefundRequest): Promise<Refund> {
    const what = 'refund request';
    assertValid(dto.RefundDto, refund, what);
    if (refund.amount.refund > refund.amount.total) {
      throw new WechatPayValidationError(what, [
        {
          field: 'amount.refund',
          message: 'must not exceed amount.total, the amount of the original order',
        },
      ]);
    }
    const { data } = await this.v3.request<Refund>('POST', '/v3/refund/domestic/refunds', {
      body: this.endpoints.refundBody(refund, what),
      // WeChat Pay deduplicates by out_refund_no, so re-sending cannot refund twice.
      idempotent: true,
    });
    return data;
  }

  /** Queries a refund by the merchant's refund number. */
  async queryRefund(outRefundNo: string, options: SubMerchantOptions = {}): Promise<Refund> {
    const what = 'refund query';
    assertValid(dto.RefundQueryDto, { out_refund_no: outRefundNo }, what);
    const { data } = await this.v3.request<Refund>(
      'GET',
      `/v3/refund/domestic/refunds/${segment(outRefundNo)}`,
      {
        query: this.endpoints.subMchidQuery(options.subMchid, what),
      },
    );
    return data;
  }

  /** Applies for a trade bill; download it with {@link downloadBill}. */
  async applyTradeBill(query: TradeBillDto): Promise<BillInfo> {
    const what = 'trade bill request';
    assertValid(dto.TradeBillDto, query, what);
    const { sub_mchid, ...rest } = query;
    const { data } = await this.v3.request<BillInfo>('GET', '/v3/bill/tradebill', {
      query: { ...rest, ...this.endpoints.subMchidQuery(sub_mchid ?? undefined, what) },
    });
    return data;
  }

  /** Applies for a fund-flow bill of the merchant's own account. */
  async applyFundFlowBill(query: FundFlowBillDto): Promise<BillInfo> {
    assertValid(dto.FundFlowBillDto, query, 'fund-flow bill request');
    const { data } = await this.v3.request<BillInfo>('GET', '/v3/bill/fundflowbill', {
      query: { ...query },
    });
    return data;
  }

  /**
   * Downloads a bill as a stream of text (CSV), gunzipped when it was applied for with
   * `tar_type: 'GZIP'`. The stream errors with `WechatPaySignatureError` if the file does not
   * match its hash, so read it to the end before trusting it.
   * @param options.gzip whether the bill was applied for with `tar_type: 'GZIP'`
   * @example
   * const bill = await wechatPay.applyTradeBill({ bill_date: '2026-06-08', tar_type: 'GZIP' });
   * await pipeline(await wechatPay.downloadBill(bill, { gzip: true }), createWriteStream('bill.csv'));
   */
  async downloadBill(bill: BillInfo, options: { gzip?: boolean } = {}): Promise<Readable> {
    const url = new URL(bill.download_url);
    // The download URL names the primary host; the path is sent through the transport so the
    // backup domain is tried on connection failures.
    const response = await this.v3.stream(url.pathname + url.search);
    return billStream(response.body, bill, options.gzip ?? false);
  }

  /** Reads a whole bill into a string (see {@link downloadBill}). */
  async downloadBillText(bill: BillInfo, options: { gzip?: boolean } = {}): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.downloadBill(bill, options)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * Encrypts a sensitive field (name, ID number, phone…) for WeChat Pay. Send `serial` as the
   * `wechatpaySerial` option of {@link request}.
   */
  async encryptSensitive(plain: string): Promise<{ ciphertext: string; serial: string }> {
    const { serial, key } = await this.platformKeys.encryptionKey();
    return { ciphertext: encryptSensitive(plain, key), serial };
  }

  /**
   * Calls any API v3 endpoint with the same signing, verification and error mapping as the
   * methods above.
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

  private async prepay<T>(
    channel: PrepayChannel,
    schema: new () => object,
    order: Record<string, unknown>,
  ): Promise<T> {
    const what = `${channel} prepay request`;
    assertValid(schema, order, what);
    const { data } = await this.v3.request<T>('POST', this.endpoints.prepayPath(channel), {
      body: this.endpoints.prepayBody(order, what),
      // WeChat Pay deduplicates by out_trade_no: the same order placed twice is one order.
      idempotent: true,
    });
    return data;
  }

  private assertOutTradeNo(outTradeNo: string, what: string): void {
    assertValid(dto.OutTradeNoDto, { out_trade_no: outTradeNo }, what);
  }

  private signingKey() {
    const key = this.config.privateKey;
    if (!key)
      throw new WechatPayError('client parameters need the merchant private key: configure API v3');
    return key;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
