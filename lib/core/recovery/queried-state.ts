import type { RecoveryTask } from './recovery.types.js';

/** Sub-order states that mean the payer paid it (a refund since does not undo the payment). */
const PAID = new Set(['SUCCESS', 'REFUND']);

/**
 * The state a recovery query found: an ordinary order's `trade_state`; for a combine order
 * (合单支付), which has no overall state, the state of its sub-orders. The payer pays a combine
 * order whole, with one password, and it can only be closed whole, so its sub-orders move
 * together: `SUCCESS` when every one was paid (some may be `REFUND` since), their common state
 * when they agree (`NOTPAY`, `CLOSED`, …), and `MIXED(<state>,…)` (one per sub-order, in order)
 * when they do not: not final, queried again, and reported as `NEEDS_ATTENTION` if it stays so
 * after the close.
 * @see https://pay.weixin.qq.com/docs/merchant/apis/combine-payment/orders/query-order.html
 */
export function queriedState(task: RecoveryTask, transaction: Record<string, unknown>): string {
  if (task.kind !== 'combine') {
    return typeof transaction.trade_state === 'string' ? transaction.trade_state : '';
  }
  const subOrders = Array.isArray(transaction.sub_orders)
    ? (transaction.sub_orders as { trade_state?: unknown }[])
    : [];
  const states = subOrders.map((sub) =>
    typeof sub.trade_state === 'string' ? sub.trade_state : '',
  );
  if (states.length === 0 || states.includes('')) return '';
  if (states.every((state) => PAID.has(state))) return 'SUCCESS';
  if (states.every((state) => state === states[0])) return states[0]!;
  return `MIXED(${states.join(',')})`;
}
