import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OrdersService } from '../src/orders/orders.service.js';
import { simulatorRecoveryEnv } from '../src/simulator/simulator-env.js';
import { type SampleApp, startSampleApp } from './sample-app.js';

// WECHATPAY_RECOVERY in the sample app: an order whose notification is lost is found by the
// library's scheduled queries, which run the app's own @WechatNotify payment handler, once.
describe.each(['express', 'fastify'] as const)('missed-notification recovery on %s', (adapter) => {
  let sample: SampleApp;
  beforeAll(async () => {
    sample = await startSampleApp(adapter, {
      giftcards: false,
      env: { ...simulatorRecoveryEnv(), WECHATPAY_RECOVERY_DEFAULT_EXPIRY_MS: '1500' },
    });
  });
  afterAll(() => sample.close());

  const answeredNotifications = () =>
    sample.simulator.deliveries.filter((d) => d.eventType.startsWith('TRANSACTION.') && d.status);

  it.each(['v3', 'v2'] as const)(
    '%s: notification dropped → the order becomes PAID through a query, the handler runs once; the late notification is a duplicate',
    async (api) => {
      const markPaid = vi.spyOn(sample.app.get(OrdersService), 'markPaid');
      try {
        const order = await sample.call('POST', '/orders', { productId: 'tea', api });
        await sample.call('POST', `/orders/${order.id}/pay/native`);
        sample.simulator.dropNotifications({ outTradeNo: order.id });
        const notifiedBefore = answeredNotifications().length;
        const sentBefore = sample.simulator.requests.length;
        sample.simulator.pay(order.id);

        const paid = await sample.until(order.id, 'PAID');
        expect(paid.history).toEqual(['CREATED', 'PAID']);
        expect(paid.transactionId).toMatch(/^\d+$/);
        expect(answeredNotifications()).toHaveLength(notifiedBefore);
        // The order query that found it: v3 names the order in its path, v2 posts orderquery.
        const queries = sample.simulator.requests
          .slice(sentBefore)
          .filter((request) =>
            api === 'v3'
              ? request.method === 'GET' && request.path.includes(order.id)
              : request.path === '/pay/orderquery',
          );
        expect(queries.length).toBeGreaterThan(0);
        expect(markPaid.mock.calls.filter(([id]) => id === order.id)).toHaveLength(1);

        // The real notification, late: acknowledged, and the handler does not run again.
        sample.simulator.stopDroppingNotifications();
        const [late] = await sample.simulator.deliverTransaction(order.id);
        expect(late!.status).toBe(200);
        expect(markPaid.mock.calls.filter(([id]) => id === order.id)).toHaveLength(1);
        expect((await sample.call('GET', `/orders/${order.id}`)).history).toEqual([
          'CREATED',
          'PAID',
        ]);
      } finally {
        markPaid.mockRestore();
      }
    },
  );

  it('an order never paid is closed at its expiry, and the outcome hook moves it to CLOSED', async () => {
    const order = await sample.call('POST', '/orders', { productId: 'tea', api: 'v3' });
    await sample.call('POST', `/orders/${order.id}/pay/native`);
    const closed = await sample.until(order.id, 'CLOSED');
    expect(closed.history).toEqual(['CREATED', 'CLOSED']);
    expect(
      sample.simulator.requests.some(
        (request) => request.method === 'POST' && request.path.includes(`${order.id}/close`),
      ),
    ).toBe(true);
  });
});
