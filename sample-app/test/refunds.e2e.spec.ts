import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatPayService } from 'nestjs-wechatpay';
import { type Order, OrderRepository } from '../src/orders/order.repository.js';
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

  it.each([
    ['v3', 'HTTP 500 SYSTEM_ERROR', { type: 'status', status: 500, code: 'SYSTEM_ERROR' }],
    [
      'v3',
      'HTTP 429 FREQUENCY_LIMITED',
      { type: 'status', status: 429, code: 'FREQUENCY_LIMITED' },
    ],
    ['v2', 'SYSTEMERROR (HTTP 200)', { type: 'v2Error', code: 'SYSTEMERROR' }],
    ['v2', 'BIZERR_NEED_RETRY (HTTP 200)', { type: 'v2Error', code: 'BIZERR_NEED_RETRY' }],
  ] as const)(
    'API %s, %s: the order stays REFUNDING (503), and retrying sends the same refund',
    async (api, _name, fault) => {
      const order = await paidOrder(api);
      sample.simulator.injectFault(fault, { listener: 'any' });
      const failed = await sample.request<{ code: string }>('POST', `/orders/${order.id}/refund`);
      expect(failed.status).toBe(503);
      const stuck = await sample.call<Order>('GET', `/orders/${order.id}`);
      expect(stuck.status).toBe('REFUNDING');

      const retried = await sample.call('POST', `/orders/${order.id}/refund`);
      expect(retried.refundNo).toBe(stuck.refundNo);
      sample.simulator.completeRefund(stuck.refundNo!);
      await sample.until(order.id, 'REFUNDED');
      const refunds = sample.simulator.state.allRefunds();
      expect(refunds.filter((r) => r.order.outTradeNo === order.id)).toHaveLength(1);
    },
  );

  it('a late notification about an older, closed refund does not move the order', async () => {
    const order = await paidOrder('v3');
    const first = await sample.call('POST', `/orders/${order.id}/refund`);
    sample.simulator.completeRefund(first.refundNo!, 'CLOSED');
    await sample.until(order.id, 'PAID');
    const second = await sample.call('POST', `/orders/${order.id}/refund`);
    // A fresh id, so that the library's duplicate check does not answer it before the handler.
    sample.simulator.state.findAnyRefund(first.refundNo!)!.notificationId = undefined;
    const [late] = await sample.simulator.deliverRefund(first.refundNo!);
    expect(late?.status).toBe(200);
    expect((await sample.call('GET', `/orders/${order.id}`)).status).toBe('REFUNDING');
    sample.simulator.completeRefund(second.refundNo!);
    await sample.until(order.id, 'REFUNDED');
  });

  it('a refund that succeeds after all is REFUNDED, from PAID or REFUND_ABNORMAL', async () => {
    const repository = sample.app.get(OrderRepository);
    const fromPaid = await paidOrder('v3');
    const refunding = await sample.call('POST', `/orders/${fromPaid.id}/refund`);
    await repository.transition(fromPaid.id, 'REFUNDING', 'PAID'); // as if we had read a refusal
    sample.simulator.completeRefund(refunding.refundNo!);
    await sample.until(fromPaid.id, 'REFUNDED');

    const fromAbnormal = await paidOrder('v2');
    const abnormal = await sample.call('POST', `/orders/${fromAbnormal.id}/refund`);
    sample.simulator.completeRefund(abnormal.refundNo!, 'ABNORMAL');
    await sample.until(fromAbnormal.id, 'REFUND_ABNORMAL');
    // Staff settle it in the merchant platform; WeChat Pay notifies SUCCESS for the same refund.
    const refund = sample.simulator.state.findAnyRefund(abnormal.refundNo!)!;
    Object.assign(refund, { status: 'SUCCESS', notificationId: undefined });
    await sample.simulator.deliverRefund(abnormal.refundNo!);
    await sample.until(fromAbnormal.id, 'REFUNDED');
  });

  it('flags a refund this app did not make, and leaves the order as it is', async () => {
    const order = await paidOrder('v3');
    await sample.app.get(WechatPayService).refunds.create({
      out_trade_no: order.id,
      out_refund_no: `ELSEWHERE${order.id}`,
      amount: { refund: 100, total: order.total, currency: 'CNY' },
      notify_url: `${sample.url}/wechatpay/refund-notify`,
    });
    sample.simulator.completeRefund(`ELSEWHERE${order.id}`);
    await sample.simulator.waitForDelivery(
      (d) =>
        d.id === sample.simulator.state.findAnyRefund(`ELSEWHERE${order.id}`)!.notificationId &&
        d.status === 200,
    );
    const flagged = await sample.call('GET', `/orders/${order.id}`);
    expect(flagged.status).toBe('PAID');
    expect(flagged.anomalies).toEqual([expect.stringContaining('was not made here')]);
  });
});
