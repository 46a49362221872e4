import type { Order } from '../orders/order.repository.js';

/**
 * Where WeChat Pay sends an order's payment or refund result: one URL per merchant, API
 * version and kind, matching the routes of NotificationsController.
 */
export function notifyUrl(kind: 'payment' | 'refund', order: Pick<Order, 'api' | 'merchant'>) {
  const base = `${process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000'}/wechatpay`;
  const scope = order.merchant ? `/${order.merchant}` : order.api === 'v2' ? '/v2' : '';
  return `${base}${scope}/${kind === 'payment' ? 'notify' : 'refund-notify'}`;
}
