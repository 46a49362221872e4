import type { ApiVersion, Order, OrderStatus } from '../order.repository.js';

/** A row of the `orders` table as both drivers answer it. */
export interface OrderRow {
  id: string;
  product_id: string;
  product: string;
  total: number;
  status: OrderStatus;
  api: ApiVersion;
  merchant: string | null;
  code_url: string | null;
  transaction_id: string | null;
  refund_no: string | null;
  refund_nos: string[];
  anomalies: string[];
  history: OrderStatus[];
}

/** The order as the app and its JSON answers know it: absent fields left out, not `null`. */
export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    productId: row.product_id,
    product: row.product,
    total: row.total,
    status: row.status,
    api: row.api,
    ...optional('merchant', row.merchant),
    ...optional('codeUrl', row.code_url),
    ...optional('transactionId', row.transaction_id),
    ...optional('refundNo', row.refund_no),
    refundNos: row.refund_nos,
    anomalies: row.anomalies,
    history: row.history,
  };
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}
