import type { CombineTransaction } from '../core/products/combine/combine.types.js';
import type { Transaction } from '../core/products/payments/payments.types.js';
import type { ProfitSharingOrder } from '../core/products/profit-sharing/profit-sharing.types.js';
import type { Refund, RefundStatus } from '../core/products/refunds/refunds.types.js';
import type { TransferBill } from '../core/products/transfers/transfers.types.js';
import type { NotificationDelivery } from './notifications/notifier.js';
import { OnDemandNotifications } from './notifications/on-demand.js';
import type { BillAlteration } from './products/bills/bill-file.js';
import type { PaymentCodeScript } from './products/code-payments/till.js';
import type { SimulatedComplaint } from './products/complaints/complaint-book.js';
import type { FileComplaintOptions } from './products/complaints/complaints.js';
import type { SimulatorProducts } from './products/index.js';
import type { SimulatedTransfer } from './products/transfers/transfer-book.js';
import type { WechatPaySimulatorOptions } from './simulator-options.js';
import { SimulatorServer } from './simulator-server.js';
import { SimulatorState } from './simulator-state.js';
import type { NotificationTamper } from './tampering.js';

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
export class WechatPaySimulator extends SimulatorServer {
  /** The orders and refunds, to read or plant in tests. */
  readonly state: SimulatorState;

  private readonly products: SimulatorProducts;
  private readonly onDemand: OnDemandNotifications;

  constructor(options: WechatPaySimulatorOptions = {}) {
    super(options);
    this.products = this.parts.products;
    this.state = new SimulatorState(this.products.payments.orders, this.products.refunds.refunds);
    this.onDemand = new OnDemandNotifications(this.products, this.parts.notifier);
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
    this.parts.notifications.drop(what);
  }

  /** Delivers automatic notifications again; those lost meanwhile stay lost. */
  stopDroppingNotifications(): void {
    this.parts.notifications.stopDropping();
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
    return this.onDemand.complaint(complaintId, options);
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
    return this.onDemand.transfer(outBillNo, tamper);
  }

  /** Every notification delivery attempt and its answer, in order. */
  get deliveries(): readonly NotificationDelivery[] {
    return this.parts.notifier.deliveries;
  }

  /** Waits until a delivery matching `predicate` was answered (or failed). */
  waitForDelivery(
    predicate: (delivery: NotificationDelivery) => boolean,
    timeoutMs?: number,
  ): Promise<NotificationDelivery> {
    return this.parts.notifier.waitFor(predicate, timeoutMs);
  }

  /**
   * Delivers an order's `TRANSACTION.SUCCESS` notification now (same event id as the automatic
   * one), optionally spoiled or duplicated, without redelivery.
   */
  deliverTransaction(
    outTradeNo: string,
    tamper: NotificationTamper = {},
  ): Promise<NotificationDelivery[]> {
    return this.onDemand.transaction(outTradeNo, tamper);
  }

  /**
   * A signed, encrypted `TRANSACTION.SUCCESS` notification for an order, without sending it:
   * for fixtures and load tests. `id` replaces the event id (distinct events for one order).
   */
  signedTransactionNotification(
    outTradeNo: string,
    options: NotificationTamper & { id?: string } = {},
  ): { url: string; body: string; headers: Record<string, string> } {
    return this.onDemand.signedTransaction(outTradeNo, options);
  }

  /**
   * Delivers a combine order's `TRANSACTION.SUCCESS` notification now (same event id as the
   * automatic one), optionally spoiled or duplicated, without redelivery.
   */
  deliverCombine(
    combineOutTradeNo: string,
    tamper: NotificationTamper = {},
  ): Promise<NotificationDelivery[]> {
    return this.onDemand.combine(combineOutTradeNo, tamper);
  }

  /** Delivers a refund's `REFUND.*` notification now, optionally spoiled or duplicated. */
  deliverRefund(
    outRefundNo: string,
    tamper: NotificationTamper = {},
  ): Promise<NotificationDelivery[]> {
    return this.onDemand.refund(outRefundNo, tamper);
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
    return this.onDemand.profitSharing(outOrderNo, account, tamper);
  }

  /**
   * Loses the next `count` notification delivery attempts on the way: nothing reaches the app,
   * the attempt is logged in `deliveries` without a status, and WeChat Pay's redelivery schedule
   * goes on as after any failed delivery.
   */
  dropNextNotifications(count = 1): void {
    this.parts.notifier.dropNext(count);
  }
}
