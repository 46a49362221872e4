import type { OrderBook, NewOrder, SimulatedOrder } from '../payments/orders.js';

/**
 * How the payer behind a payment code behaves, for `simulator.scriptPaymentCode`. A code
 * without a script pays at once, as most small payments do.
 */
export interface PaymentCodeScript {
  /**
   * The payer must confirm with a password (the answer is USERPAYING meanwhile): how many ms
   * they take, or `'never'` when they walk away.
   * @default 0 (no password asked)
   */
  passwordMs?: number | 'never';
  /**
   * What the payment comes to: `paid`, or `insufficient-funds` (余额不足: NOTENOUGH in v2,
   * NOT_ENOUGH in v3; after a password, the order ends PAYERROR).
   * @default 'paid'
   */
  outcome?: 'paid' | 'insufficient-funds';
}

/** What charging a payment code came to, before each API version words it. */
export type ChargeResult =
  | { kind: 'paid'; order: SimulatedOrder }
  | { kind: 'userpaying'; order: SimulatedOrder }
  | { kind: 'refused'; reason: 'auth-code' | 'insufficient-funds' }
  /** The order number was used before, by an order now in this state. */
  | { kind: 'reused'; order: SimulatedOrder };

/** WeChat Pay's payment codes: 18 digits beginning 10 to 15. */
const VALID_CODE = /^1[0-5]\d{16}$/;

/**
 * The till side of WeChat Pay in the simulator: payment codes, the payer's password, and the
 * reversal of code payments, shared by API v3 (`codepay`) and v2 (`micropay`).
 */
export class SimulatedTill {
  private readonly scripts = new Map<string, PaymentCodeScript>();
  private readonly timers = new Map<SimulatedOrder, NodeJS.Timeout>();
  private failingReversals = 0;

  constructor(private readonly orders: OrderBook) {}

  /** Decides how the payer behind `authCode` behaves from now on. */
  script(authCode: string, script: PaymentCodeScript): void {
    if (!VALID_CODE.test(authCode)) {
      throw new Error(
        `simulator: ${authCode} is not a WeChat Pay payment code (18 digits beginning 10 to 15)`,
      );
    }
    this.scripts.set(authCode, script);
  }

  /** The next `count` reversals answer that they must be sent again (SYSTEMERROR, recall Y). */
  failNextReversals(count: number): void {
    this.failingReversals += count;
  }

  /**
   * Charges a scanned code for a new order, or answers for an order number already used: the
   * same USERPAYING while the payer confirms, a refusal otherwise.
   */
  charge(fields: Omit<NewOrder, 'channel'>, authCode: string): ChargeResult {
    const existing = this.orders.find(fields.mchid, fields.subMchid, fields.outTradeNo);
    if (existing) {
      return existing.state === 'USERPAYING'
        ? { kind: 'userpaying', order: existing }
        : { kind: 'reused', order: existing };
    }
    if (!VALID_CODE.test(authCode)) return { kind: 'refused', reason: 'auth-code' };
    const script = this.scripts.get(authCode) ?? {};
    const passwordMs = script.passwordMs ?? 0;
    const paid = (script.outcome ?? 'paid') === 'paid';
    if (passwordMs === 0 && !paid) return { kind: 'refused', reason: 'insufficient-funds' };
    const order = this.orders.add({ ...fields, channel: 'micropay' });
    order.payer = order.subMchid
      ? { sp_openid: 'oSimulatorPayerOpenid000000' }
      : { openid: 'oSimulatorPayerOpenid000000' };
    if (passwordMs === 0) {
      settle(order, true);
      return { kind: 'paid', order };
    }
    order.state = 'USERPAYING';
    if (passwordMs !== 'never') {
      const timer = setTimeout(() => {
        this.timers.delete(order);
        if (order.state === 'USERPAYING') settle(order, paid);
      }, passwordMs);
      timer.unref();
      this.timers.set(order, timer);
    }
    return { kind: 'userpaying', order };
  }

  /**
   * 撤销: an unpaid order is closed for good (REVOKED) and the payer's password prompt with
   * it; a paid one is returned to the payer (REVOKED too). Answers `retry` while a test asked
   * for failing reversals.
   */
  reverse(order: SimulatedOrder): 'reversed' | 'retry' {
    if (this.failingReversals > 0) {
      this.failingReversals -= 1;
      return 'retry';
    }
    clearTimeout(this.timers.get(order));
    this.timers.delete(order);
    order.state = 'REVOKED';
    return 'reversed';
  }

  /** Cancels the payers still typing their passwords. */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

function settle(order: SimulatedOrder, paid: boolean): void {
  order.state = paid ? 'SUCCESS' : 'PAYERROR';
  if (paid) order.successTime = new Date();
}
