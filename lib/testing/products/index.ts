import { BillsProduct } from './bills/bills.js';
import { CertificatesProduct } from './certificates/certificates.js';
import { CodePaymentsProduct } from './code-payments/code-payments.js';
import { ComplaintsProduct } from './complaints/complaints.js';
import { MediaProduct } from './media/media.js';
import { CombineProduct } from './combine/combine.js';
import { PaymentsProduct } from './payments/payments.js';
import type { SimulatorContext, SimulatorProduct } from './product.js';
import { ProfitSharingProduct } from './profit-sharing/profit-sharing.js';
import { RefundsProduct } from './refunds/refunds.js';
import { TransfersProduct } from './transfers/transfers.js';
import type { V2Route } from '../v2/route.js';

/**
 * Every product the simulator speaks, one line each; a new product is a folder beside these
 * and a line here. Their routes are tried in this order.
 */
export function createProducts(context: SimulatorContext) {
  const payments = new PaymentsProduct(context);
  const refunds = new RefundsProduct(context, payments.orders);
  const bills = new BillsProduct(payments.orders, refunds.refunds);
  const media = new MediaProduct();
  return {
    certificates: new CertificatesProduct(context),
    payments,
    refunds,
    bills,
    profitSharing: new ProfitSharingProduct(context, payments.orders, bills),
    codePayments: new CodePaymentsProduct(payments.orders),
    media,
    complaints: new ComplaintsProduct(context, payments.orders, media.store),
    combine: new CombineProduct(context, payments.orders),
    transfers: new TransfersProduct(context),
  } satisfies Record<string, SimulatorProduct>;
}

/** The products of one simulator, by name. */
export type SimulatorProducts = ReturnType<typeof createProducts>;

/** Every product's routes: API v3 in registration order, API v2 by path. */
export function productRoutes(products: SimulatorProducts) {
  const all: SimulatorProduct[] = Object.values(products);
  const v2 = new Map<string, V2Route>();
  for (const [path, route] of all.flatMap((p) => Object.entries(p.v2Routes ?? {}))) {
    // A second product on the same path would silently replace the first.
    if (v2.has(path)) throw new Error(`simulator: two products answer the API v2 path ${path}`);
    v2.set(path, route);
  }
  return {
    v3: all.flatMap((p) => p.v3Routes ?? []),
    v2,
    v2CertificatePaths: new Set(all.flatMap((p) => p.v2CertificatePaths ?? [])),
  };
}
