import { BillsProduct } from './bills/bills.js';
import { CertificatesProduct } from './certificates/certificates.js';
import { PaymentsProduct } from './payments/payments.js';
import type { SimulatorContext, SimulatorProduct } from './product.js';
import { RefundsProduct } from './refunds/refunds.js';

/**
 * Every product the simulator speaks, one line each; a new product is a folder beside these
 * and a line here. Their routes are tried in this order.
 */
export function createProducts(context: SimulatorContext) {
  const payments = new PaymentsProduct(context);
  return {
    certificates: new CertificatesProduct(context),
    payments,
    refunds: new RefundsProduct(context, payments.orders),
    bills: new BillsProduct(payments.orders),
  } satisfies Record<string, SimulatorProduct>;
}

/** The products of one simulator, by name. */
export type SimulatorProducts = ReturnType<typeof createProducts>;
