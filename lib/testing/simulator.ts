import type { KeyObject } from 'node:crypto';
import type { WechatPayOptions } from '../core/config/options.js';
import type { CombineTransaction } from '../core/products/combine/combine.types.js';
import type { Transaction } from '../core/products/payments/payments.types.js';
import type { ProfitSharingOrder } from '../core/products/profit-sharing/profit-sharing.types.js';
import type { Refund, RefundStatus } from '../core/products/refunds/refunds.types.js';
import type { TransferBill } from '../core/products/transfers/transfers.types.js';
import { DASHBOARD_PATH, SimulatorDashboard } from './dashboard/dashboard.js';
import { FaultQueue, type SimulatorFault, type SimulatorListener } from './faults.js';
import { handleRequest } from './http/request-handler.js';
import { SimulatorListeners } from './http/listeners.js';
import { MerchantTls } from './keys/merchant-tls.js';
import { PlatformKeys } from './keys/platform-keys.js';
import { SimulatorMerchants } from './merchants.js';
import { SimulatorNotifications } from './notifications/notifications.js';
import { type NotificationDelivery, SimulatorNotifier } from './notifications/notifier.js';
import type { BillAlteration } from './products/bills/bill-file.js';
import type { PaymentCodeScript } from './products/code-payments/till.js';
import { createProducts, productRoutes, type SimulatorProducts } from './products/index.js';
import type { SimulatedComplaint } from './products/complaints/complaint-book.js';
import type { FileComplaintOptions } from './products/complaints/complaints.js';
import type { SimulatorProduct } from './products/product.js';
import type { SimulatedTransfer } from './products/transfers/transfer-book.js';
import type { SimulatorRequestRecord, WechatPaySimulatorOptions } from './simulator-options.js';
import { SimulatorState } from './simulator-state.js';
import { NextResponseTamper, type NotificationTamper, type ResponseTamper } from './tampering.js';
import { createTestMerchant, type TestMerchant } from './test-merchant.js';
import { V3Router } from './v3/router.js';
import { V2Router } from './v2/router.js';
import { V2Keys } from './v2/v2-keys.js';

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
  /** The orders and refunds, to read or plant in tests. */
  readonly state: SimulatorState;

  private readonly merchants: SimulatorMerchants;
  private readonly platformKeys: PlatformKeys;
  private readonly tls = new MerchantTls();
  private readonly notifier: SimulatorNotifier;
  private readonly notifications: SimulatorNotifications;
  private readonly products: SimulatorProducts;
  private readonly faults = new FaultQueue();
  private readonly tampers = new NextResponseTamper();
  private readonly listeners: SimulatorListeners;

  constructor(private readonly options: WechatPaySimulatorOptions = {}) {
    this.merchant = options.merchant ?? createTestMerchant();
    this.merchants = new SimulatorMerchants(this.merchant);
    this.platformKeys = new PlatformKeys(options.verification ?? 'certificate');
    this.notifier = new SimulatorNotifier(options.notifications);
    const v2Keys = new V2Keys(this.merchants);
    const notifications = (this.notifications = new SimulatorNotifications(
      this.notifier,
      options.notifications?.autoDeliver ?? true,
      this.platformKeys,
      v2Keys,
      this.merchants,
    ));
    this.products = createProducts({
      options,
      merchants: this.merchants,
      platformKeys: this.platformKeys,
      notifications,
    });
    this.state = new SimulatorState(this.products.payments.orders, this.products.refunds.refunds);
    const routes = productRoutes(this.products);
    const v3 = new V3Router(routes.v3);
    const v2 = new V2Router(this.merchants, v2Keys, routes.v2, routes.v2CertificatePaths);
    const deps = {
      requests: this.requests,
      maxBodyBytes: options.maxBodyBytes ?? 6 * 1024 * 1024,
      faults: this.faults,
      tampers: this.tampers,
      merchants: this.merchants,
      platformKeys: this.platformKeys,
      v3,
      v2,
      url: (listener: SimulatorListener) => this.listeners.url(listener),
    };
    const dashboard = new SimulatorDashboard({
      ...deps,
      products: this.products,
      notifier: this.notifier,
      hasListener: (listener) => this.listeners.has(listener),
    });
    this.listeners = new SimulatorListeners((listener, req, res) =>
      listener === 'primary' && dashboard.handles(req)
        ? void dashboard.handle(req, res)
        : void handleRequest(deps, listener, req, res),
    );
  }

  /**
   * Starts the listeners on 127.0.0.1, on free ports unless `ports` fixes them.
   * @throws the listen error (e.g. `EADDRINUSE`) when a fixed port is taken
   */
  async start(): Promise<this> {
    await this.platformKeys.start();
    const pki = this.options.https ? await this.tls.start(this.merchants.values()) : undefined;
    const ports = this.options.ports ?? {};
    await this.listeners.start('primary', undefined, ports.primary);
    if (this.options.backup !== false)
      await this.listeners.start('backup', undefined, ports.backup);
    if (pki) await this.listeners.start('secure', pki, ports.secure);
    return this;
  }

  /** Stops the listeners and drops every connection. */
  async stop(): Promise<void> {
    this.notifier.stop();
    for (const product of Object.values<SimulatorProduct>(this.products)) product.stop?.();
    await this.listeners.stop();
  }

  /** Base URL of the primary listener; use it as the `domain` option. */
  get url(): string {
    return this.listeners.url('primary');
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
    return this.listeners.url('secure');
  }

  /** The CA that issued the HTTPS listener's certificate: the `tlsCa` module option. */
  get caPem(): string {
    return this.tls.caPem;
  }

  /** The client certificate (`apiclient_cert.pem`) the simulator's CA issued for a merchant. */
  clientCertificatePem(merchant: TestMerchant = this.merchant): string {
    return this.tls.clientCertificatePem(merchant.mchid);
  }

  /** Base URL of the backup listener; use it as the `backupDomain` option. */
  get backupUrl(): string {
    return this.listeners.url('backup');
  }

  /** Serial of the platform certificate answers are signed with now. */
  get platformSerial(): string {
    return this.platformKeys.currentCertificate().serial;
  }

  /** Public key of the platform certificate answers are signed with now. */
  get platformPublicKey(): KeyObject {
    return this.platformKeys.currentCertificate().publicKey;
  }

  /**
   * The headers WeChat Pay would sign `body` with right now (`Wechatpay-Timestamp`, `-Nonce`,
   * `-Serial`, `-Signature`), using the current signing key. Handy for fixtures.
   */
  signMessage(body: string | Buffer, timestamp?: number): Record<string, string> {
    return this.platformKeys.signMessage(body, timestamp);
  }

  /** The WeChat Pay public key id (`PUB_KEY_ID_…`). */
  get publicKeyId(): string {
    return this.platformKeys.publicKeyId;
  }

  /** The WeChat Pay public key, as `pub_key.pem` holds it. */
  get publicKeyPem(): string {
    return this.platformKeys.publicKeyPem;
  }

  /**
   * Decrypts a sensitive field the way WeChat Pay would: with the private key of whichever
   * certificate or public key it was encrypted for.
   */
  decryptSensitive(ciphertext: string, serial: string): string {
    return this.platformKeys.decryptSensitive(ciphertext, serial);
  }

  /** Lets another merchant (or service provider) call the simulator. */
  addMerchant(merchant: TestMerchant): void {
    this.merchants.add(merchant);
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
      this.platformKeys.verification === 'certificate'
        ? {}
        : { platformPublicKey: this.publicKeyPem, platformPublicKeyId: this.publicKeyId };
    return {
      ...merchant.options,
      domain: this.url,
      backupDomain: this.listeners.has('backup') ? this.backupUrl : false,
      ...publicKey,
      ...secure,
      ...rest,
    };
  }

  /** Chooses what signs answers from now on (modes `both` and `publicKey`). */
  signWith(source: 'certificate' | 'publicKey'): void {
    this.platformKeys.signWith(source);
  }

  /**
   * Issues a new platform certificate and signs with it from now on. The old one stays listed
   * by `/v3/certificates` unless `keepOld` is false.
   * @returns the new serial
   */
  rotatePlatformCertificate(options: { keepOld?: boolean } = {}): Promise<string> {
    return this.platformKeys.rotate(options.keepOld !== false);
  }

  /**
   * The payer pays: an unpaid order becomes SUCCESS.
   * @returns the order as a query would now return it
   */
  pay(outTradeNo: string, payer: { openid?: string } = {}): Transaction {
    return this.products.payments.pay(outTradeNo, payer);
  }

  /**
   * Loses the automatic notifications from now on (every one, or one order's), so that a test
   * can show what happens when none arrives; `stopDroppingNotifications()` ends it.
   * @example
   * simulator.dropNotifications({ outTradeNo: 'ORDER1' });
   * simulator.pay('ORDER1'); // paid, but no TRANSACTION.SUCCESS is sent
   */
  dropNotifications(what: 'all' | { outTradeNo: string } = 'all'): void {
    this.notifications.drop(what);
  }

  /** Delivers automatic notifications again; those lost meanwhile stay lost. */
  stopDroppingNotifications(): void {
    this.notifications.stopDropping();
  }

  /**
   * Runs `hook` when the next close of the order arrives, before it is handled: e.g.
   * `() => simulator.pay(outTradeNo)`, a payer who pays between the last query and the close.
   */
  onNextClose(outTradeNo: string, hook: () => void): void {
    this.products.payments.onNextClose(outTradeNo, hook);
  }

  /**
   * The payer pays a combine order (合单支付) with one password: every sub-order becomes SUCCESS
   * and one `TRANSACTION.SUCCESS` notification carries them all. Each sub-order is then an
   * ordinary paid order, refundable by its `out_trade_no`.
   * @returns the combine order as a query would now return it
   */
  payCombine(combineOutTradeNo: string, payer: { openid?: string } = {}): CombineTransaction {
    return this.products.combine.pay(combineOutTradeNo, payer);
  }

  /**
   * Settles a refund: PROCESSING → SUCCESS (or ABNORMAL, or CLOSED, which makes its amount
   * refundable again). Throws if the refund is not PROCESSING.
   */
  completeRefund(
    outRefundNo: string,
    status: Exclude<RefundStatus, 'PROCESSING'> = 'SUCCESS',
  ): Refund {
    return this.products.refunds.complete(outRefundNo, status);
  }

  /**
   * Makes the bills built from now on (trade and fund-flow, API v3 and v2) differ from the
   * simulator's state, for reconciliation tests: a payment it never took (`extraPayment`), a
   * paid order left out (`missingPayment`), or an amount off by `byFen` (`amountOff`, default
   * one fen). Each altered bill still adds up. Undo with {@link clearBillAlterations}.
   * @example
   * simulator.alterBills({ kind: 'amountOff', outTradeNo: 'ORDER20260608001' });
   */
  alterBills(...alterations: BillAlteration[]): void {
    for (const alteration of alterations) this.products.bills.alter(alteration);
  }

  /** Bills match the simulator's state again (see {@link alterBills}). */
  clearBillAlterations(): void {
    this.products.bills.clearAlterations();
  }

  /**
   * Decides how the payer behind a payment code behaves when a till scans it (付款码): pay at
   * once (the default for any valid code), confirm with a password after `passwordMs` (the
   * till sees USERPAYING meanwhile), never confirm (`'never'`), or lack the funds.
   * @example
   * simulator.scriptPaymentCode('134567890123456789', { passwordMs: 2000 });
   * simulator.scriptPaymentCode('134567890123456790', { passwordMs: 'never' });
   */
  scriptPaymentCode(authCode: string, script: PaymentCodeScript): void {
    this.products.codePayments.scriptPaymentCode(authCode, script);
  }

  /**
   * The next `count` reversals (撤销) of code payments answer that they must be sent again:
   * API v3 500 SYSTEM_ERROR, API v2 SYSTEMERROR with `recall: Y`.
   */
  failNextReversals(count = 1): void {
    this.products.codePayments.failNextReversals(count);
  }

  /**
   * A payer files a complaint (消费者投诉), with images if given; `COMPLAINT.CREATE` goes to the
   * URL the merchant registered with `complaints.createNotificationUrl`.
   * @returns the complaint; `complaintId` is WeChat Pay's 投诉单号
   */
  fileComplaint(options: FileComplaintOptions = {}): SimulatedComplaint {
    return this.products.complaints.file(options);
  }

  /** A complaint as the simulator keeps it: state, negotiation history, refund decision. */
  complaint(complaintId: string): SimulatedComplaint {
    return this.products.complaints.complaint(complaintId);
  }

  /**
   * Delivers one of a complaint's `COMPLAINT.*` notifications again now (same event id), `copies`
   * times at once, without redelivery: for exactly-once tests.
   * @param index which of its notifications, oldest first (default 0: `COMPLAINT.CREATE`)
   */
  deliverComplaintNotification(
    complaintId: string,
    options: { index?: number; copies?: number } = {},
  ): Promise<NotificationDelivery[]> {
    const notification = this.products.complaints.notificationsOf(complaintId)[options.index ?? 0];
    if (!notification)
      throw new Error(`simulator: complaint ${complaintId} sent no such notification`);
    return this.notifier.deliverNow(notification, options.copies);
  }

  /**
   * The user confirms a transfer in WeChat (what `wx.requestMerchantTransfer` leads to):
   * WAIT_USER_CONFIRM → TRANSFERING → SUCCESS, and `MCHTRANSFER.BILL.FINISHED` is delivered.
   * Throws if the transfer is not waiting for the user.
   * @returns the transfer as a query would now return it
   */
  confirmTransfer(outBillNo: string): TransferBill {
    return this.products.transfers.confirm(outBillNo);
  }

  /**
   * A transfer the user did not confirm in time is closed, as WeChat Pay does after 24 hours
   * (see the `transfers.expireAfterMs` option): WAIT_USER_CONFIRM → CANCELLED, notified.
   */
  expireTransfer(outBillNo: string): TransferBill {
    return this.products.transfers.expire(outBillNo);
  }

  /**
   * Every transfer the simulator holds, in creation order, with what it decrypted (`userName`):
   * to check that a retried create made one transfer, and that names arrive encrypted.
   */
  transferBills(): readonly SimulatedTransfer[] {
    return this.products.transfers.transfers.all();
  }

  /** Delivers a transfer's `MCHTRANSFER.BILL.FINISHED` now, optionally spoiled or duplicated. */
  deliverTransfer(
    outBillNo: string,
    tamper: NotificationTamper = {},
  ): Promise<NotificationDelivery[]> {
    const { transfers } = this.products;
    return this.notifier.deliverNow(
      transfers.notification(transfers.transfer(outBillNo), tamper),
      tamper.copies,
    );
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
    const { payments } = this.products;
    return this.notifier.deliverNow(
      payments.notification(payments.order(outTradeNo), tamper),
      tamper.copies,
    );
  }

  /**
   * A signed, encrypted `TRANSACTION.SUCCESS` notification for an order, without sending it:
   * for fixtures and load tests. `id` replaces the event id (distinct events for one order).
   */
  signedTransactionNotification(
    outTradeNo: string,
    options: NotificationTamper & { id?: string } = {},
  ): { url: string; body: string; headers: Record<string, string> } {
    const { payments } = this.products;
    const notification = payments.notification(payments.order(outTradeNo), options, options.id);
    return { url: notification.url, ...notification.build() };
  }

  /**
   * Delivers a combine order's `TRANSACTION.SUCCESS` notification now (same event id as the
   * automatic one), optionally spoiled or duplicated, without redelivery.
   */
  deliverCombine(
    combineOutTradeNo: string,
    tamper: NotificationTamper = {},
  ): Promise<NotificationDelivery[]> {
    const { combine } = this.products;
    return this.notifier.deliverNow(
      combine.notification(combine.combine(combineOutTradeNo), tamper),
      tamper.copies,
    );
  }

  /** Delivers a refund's `REFUND.*` notification now, optionally spoiled or duplicated. */
  deliverRefund(
    outRefundNo: string,
    tamper: NotificationTamper = {},
  ): Promise<NotificationDelivery[]> {
    const { refunds } = this.products;
    return this.notifier.deliverNow(
      refunds.notification(refunds.refund(outRefundNo), tamper),
      tamper.copies,
    );
  }

  /**
   * Finishes a profit-sharing split or unfreeze: PROCESSING → FINISHED, each receiver SUCCESS
   * (or CLOSED for the accounts in `closed`); merchant receivers with a notify URL get
   * `PROFITSHARING.SUCCESS`. Throws if it is not PROCESSING.
   */
  finishProfitSharing(outOrderNo: string, options: { closed?: string[] } = {}): ProfitSharingOrder {
    return this.products.profitSharing.finish(outOrderNo, options.closed);
  }

  /**
   * Where the merchant receiver `mchid` gets its profit-sharing notifications (分账动账通知): the
   * URL a receiver configures on its merchant platform. Without one it is not notified.
   */
  setProfitSharingNotifyUrl(mchid: string, url: string): void {
    this.products.profitSharing.setNotifyUrl(mchid, url);
  }

  /**
   * The real name of an account (a merchant's registered full name, a person's name): encrypted
   * names sent for it in profit sharing are refused unless they match, as WeChat Pay does.
   */
  setRealName(account: string, name: string): void {
    this.products.profitSharing.setRealName(account, name);
  }

  /**
   * Delivers a receiver's `PROFITSHARING.SUCCESS` notification of a split now (same event id as
   * the automatic one), optionally spoiled or duplicated, without redelivery.
   */
  deliverProfitSharing(
    outOrderNo: string,
    account: string,
    tamper: NotificationTamper = {},
  ): Promise<NotificationDelivery[]> {
    return this.notifier.deliverNow(
      this.products.profitSharing.notification(outOrderNo, account, tamper),
      tamper.copies,
    );
  }

  /**
   * Loses the next `count` notification delivery attempts on the way: nothing reaches the app,
   * the attempt is logged in `deliveries` without a status, and WeChat Pay's redelivery schedule
   * goes on as after any failed delivery.
   */
  dropNextNotifications(count = 1): void {
    this.notifier.dropNext(count);
  }

  /** Injects a fault into the next `count` requests to `listener`. */
  injectFault(
    fault: SimulatorFault,
    options: { count?: number; listener?: SimulatorListener | 'any' } = {},
  ): void {
    this.faults.inject(fault, options);
  }

  /** Alters the next signed answer after signing it. */
  tamperNextResponse(tamper: ResponseTamper): void {
    this.tampers.set(tamper);
  }

  /** Requests received by one listener. */
  requestsTo(listener: SimulatorListener): SimulatorRequestRecord[] {
    return this.requests.filter((r) => r.listener === listener);
  }
}
