import type { V3Route } from '../../v3/answers.js';
import type { V2Route } from '../../v2/route.js';
import type { OrderBook } from '../payments/orders.js';
import type { SimulatorProduct } from '../product.js';
import { type PaymentCodeScript, SimulatedTill } from './till.js';
import { codePaymentsV2Routes } from './v2-routes.js';
import { codePaymentsV3Routes } from './v3-routes.js';

/**
 * Code payments at the till (付款码), in API v3 (`codepay`, `reverse`) and v2 (`micropay`,
 * `reverse`): orders live with the other payments, so queries, refunds and bills see them. A
 * test scripts the payer behind a code (`scriptPaymentCode`) and can make reversals fail
 * (`failNextReversals`).
 */
export class CodePaymentsProduct implements SimulatorProduct {
  readonly v3Routes: V3Route[];
  readonly v2Routes: Record<string, V2Route>;
  private readonly till: SimulatedTill;

  constructor(orders: OrderBook) {
    this.till = new SimulatedTill(orders);
    this.v3Routes = codePaymentsV3Routes(orders, this.till);
    this.v2Routes = codePaymentsV2Routes(orders, this.till);
  }

  /** Decides how the payer behind `authCode` behaves when it is scanned. */
  scriptPaymentCode(authCode: string, script: PaymentCodeScript): void {
    this.till.script(authCode, script);
  }

  /** The next `count` reversals answer that they must be sent again. */
  failNextReversals(count: number): void {
    this.till.failNextReversals(count);
  }

  stop(): void {
    this.till.stop();
  }
}
