import type { ReconciliationOrder, ReconciliationSource } from 'nestjs-wechatpay';
import type { Order, OrderStatus } from '../orders/order.repository.js';

const STATES: Record<OrderStatus, ReconciliationOrder['state']> = {
  CREATED: 'unpaid',
  CLOSED: 'closed',
  PAID: 'paid',
  REFUNDING: 'refunded',
  REFUNDED: 'refunded',
  REFUND_ABNORMAL: 'refunded',
};

/** One of our orders as reconciliation compares it: the sample refunds whole orders. */
export function reconciliationOrder(order: Order): ReconciliationOrder {
  return {
    out_trade_no: order.id,
    amount: order.total,
    state: STATES[order.status],
    refunds: order.refundNos.map((out_refund_no) => ({ out_refund_no, amount: order.total })),
  };
}

/**
 * The default merchant's orders for reconciliation, in `out_trade_no` order. With the orders
 * in SQL this is one query: `… WHERE paid_on = $1 OR refunded_on = $1 ORDER BY id COLLATE "C"`;
 * the in-memory store keeps no dates, so it hands over every order of the process.
 */
export function reconciliationSource(orders: () => Iterable<Order>): ReconciliationSource {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await
    async *orders() {
      const mine = [...orders()].filter((order) => order.merchant === undefined);
      mine.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const order of mine) yield reconciliationOrder(order);
    },
  };
}
