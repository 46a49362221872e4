import type { INestApplicationContext } from '@nestjs/common';
import type { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { chinaDay } from '../china-day.js';
import type { Order } from '../orders/order.repository.js';
import { ReconciliationService } from '../reconciliation/reconciliation.service.js';
import type { DemoOutput } from '../rewards/reward-demo.js';
import type { AppClient } from '../simulator/app-client.js';

/**
 * `npm run demo`'s closing step: an order whose notification is lost still becomes PAID through
 * the library's recovery (its queries run the same payment handler, once), then the day's bill
 * is reconciled against the orders table, as it is and with one injected difference.
 */
export async function recoveryDemo(
  app: INestApplicationContext,
  simulator: WechatPaySimulator,
  { call, until }: Pick<AppClient, 'call' | 'until'>,
  { step, show }: DemoOutput,
): Promise<void> {
  step('Create and prepay an order; WeChat Pay will lose its notification');
  const order = await call<Order>('POST', '/orders', { productId: 'coffee', api: 'v3' });
  await call('POST', `/orders/${order.id}/pay/native`);
  simulator.dropNotifications({ outTradeNo: order.id });
  const notified = () =>
    simulator.deliveries.filter((d) => d.eventType.startsWith('TRANSACTION.') && d.status).length;
  const notifiedBefore = notified();
  show('order', `${order.id} · ${order.total} fen · ${order.status}`);

  step('The payer pays; no notification arrives, the scheduled order query finds the payment');
  simulator.pay(order.id);
  const paid = await until(order.id, 'PAID');
  simulator.stopDroppingNotifications();
  const queries = simulator.requests.filter(
    (request) => request.method === 'GET' && request.path.includes(order.id),
  );
  show('queries', queries.map((request) => `GET ${request.path} ← ${request.status}`).join(', '));
  show('notified', `${notified() - notifiedBefore} TRANSACTION notification(s) answered`);
  show('recovered', `${paid.history.join(' → ')} (transaction ${paid.transactionId})`);

  const reconciliation = app.get(ReconciliationService);
  const today = chinaDay();
  step(`Reconcile ${today}: WeChat Pay's bill against the orders table`);
  console.log(indent((await reconciliation.reconcile(today)).text));

  step('Again, with a bill one fen off for the recovered order');
  simulator.alterBills({ kind: 'amountOff', outTradeNo: order.id, byFen: -1 });
  console.log(indent((await reconciliation.reconcile(today)).text));
  simulator.clearBillAlterations();
}

const indent = (text: string) => text.replace(/^/gm, '  ');
