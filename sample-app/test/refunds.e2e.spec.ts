import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../src/orders/order.repository.js';
import { type SampleApp, startSampleApp } from './sample-app.js';

// Refunds settle only when a test says how: SUCCESS, CLOSED or ABNORMAL.
describe.each(['express', 'fastify'] as const)('refunds in the sample app on %s', (adapter) => {
  let sample: SampleApp;
  beforeAll(async () => {
    sample = await startSampleApp(adapter, { settleRefunds: false });
  });
  afterAll(() => sample.close());

  const paidOrder = async (api: 'v3' | 'v2') => {
    const order = await sample.call('POST', '/orders', { productId: 'tea', api });
    await sample.call('POST', `/orders/${order.id}/pay/native`);
    sample.simulator.pay(order.id);
    return sample.until(order.id, 'PAID');
  };

  it.each(['v3', 'v2'] as const)(
    'API %s: a CLOSED refund leaves the order PAID; the next refund takes a new number',
    async (api) => {
      const order = await paidOrder(api);
      const first = await sample.call('POST', `/orders/${order.id}/refund`);
      expect(first.refundNo).toBe(`R${order.id}`);
      sample.simulator.completeRefund(first.refundNo!, 'CLOSED');
      await sample.until(order.id, 'PAID');

      const second = await sample.call('POST', `/orders/${order.id}/refund`);
      expect(second.refundNo).toBe(`R${order.id}-2`);
      sample.simulator.completeRefund(second.refundNo!);
      const refunded = await sample.until(order.id, 'REFUNDED');
      expect(refunded.history).toEqual([
        'CREATED',
        'PAID',
        'REFUNDING',
        'PAID',
        'REFUNDING',
        'REFUNDED',
      ]);
    },
  );

  it.each(['v3', 'v2'] as const)(
    'API %s: an ABNORMAL refund waits for staff in REFUND_ABNORMAL',
    async (api) => {
      const order = await paidOrder(api);
      const refunding = await sample.call('POST', `/orders/${order.id}/refund`);
      sample.simulator.completeRefund(refunding.refundNo!, 'ABNORMAL');
      await sample.until(order.id, 'REFUND_ABNORMAL');
      const again = await sample.request('POST', `/orders/${order.id}/refund`);
      expect(again.status).toBe(409);
    },
  );

  it('a refund WeChat Pay refuses leaves the order PAID and answers 409 with its code', async () => {
    const order = await paidOrder('v3');
    sample.simulator.injectFault(
      { type: 'status', status: 403, code: 'NOT_ENOUGH' },
      { listener: 'any' },
    );
    const refused = await sample.request<{ code: string }>('POST', `/orders/${order.id}/refund`);
    expect(refused).toMatchObject({ status: 409, body: { code: 'NOT_ENOUGH' } });
    expect((await sample.call('GET', `/orders/${order.id}`)).status).toBe('PAID');
  });

  it('after a 5xx the order stays REFUNDING, and retrying sends the same refund', async () => {
    const order = await paidOrder('v3');
    sample.simulator.injectFault(
      { type: 'status', status: 500, code: 'SYSTEM_ERROR' },
      { listener: 'any' },
    );
    const failed = await sample.request('POST', `/orders/${order.id}/refund`);
    expect(failed.status).toBe(502);
    const stuck = await sample.call<Order>('GET', `/orders/${order.id}`);
    expect(stuck.status).toBe('REFUNDING');

    const retried = await sample.call('POST', `/orders/${order.id}/refund`);
    expect(retried.refundNo).toBe(stuck.refundNo);
    sample.simulator.completeRefund(stuck.refundNo!);
    await sample.until(order.id, 'REFUNDED');
    expect(
      sample.simulator.state.allRefunds().filter((r) => r.order.outTradeNo === order.id),
    ).toHaveLength(1);
  });

  it('a refund notification for another refund number does not change the order', async () => {
    const order = await paidOrder('v3');
    const first = await sample.call('POST', `/orders/${order.id}/refund`);
    sample.simulator.completeRefund(first.refundNo!, 'CLOSED');
    await sample.until(order.id, 'PAID');
    const second = await sample.call('POST', `/orders/${order.id}/refund`);
    // The first (closed) refund's notification arrives again, late.
    await sample.simulator.deliverRefund(first.refundNo!);
    expect((await sample.call('GET', `/orders/${order.id}`)).status).toBe('REFUNDING');
    sample.simulator.completeRefund(second.refundNo!);
    await sample.until(order.id, 'REFUNDED');
  });
});
