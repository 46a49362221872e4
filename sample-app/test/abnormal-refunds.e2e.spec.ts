import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SampleApp, startSampleApp } from './sample-app.js';

const CARD = '6222020200112233445';

// Refunds settle only when a test says how, so that one can go ABNORMAL.
describe.each(['express', 'fastify'] as const)(
  'abnormal refunds in the sample app on %s',
  (adapter) => {
    let sample: SampleApp;
    beforeAll(async () => {
      sample = await startSampleApp(adapter, { settleRefunds: false });
    });
    afterAll(() => sample.close());

    /** A paid order whose refund came back ABNORMAL. */
    const abnormalOrder = async (api: 'v3' | 'v2' = 'v3') => {
      const order = await sample.call('POST', '/orders', { productId: 'tea', api });
      await sample.call('POST', `/orders/${order.id}/pay/native`);
      sample.simulator.pay(order.id);
      await sample.until(order.id, 'PAID');
      const refunding = await sample.call('POST', `/orders/${order.id}/refund`);
      sample.simulator.completeRefund(refunding.refundNo!, 'ABNORMAL');
      return sample.until(order.id, 'REFUND_ABNORMAL');
    };

    it('staff send a REFUND_ABNORMAL order to the payer’s card; the refund notification then settles it', async () => {
      const order = await abnormalOrder();
      const applied = await sample.call('POST', `/orders/${order.id}/abnormal-refund`, {
        type: 'USER_BANK_CARD',
        bankType: 'ICBC_DEBIT',
        bankAccount: CARD,
        realName: '张三',
      });
      expect(applied.status).toBe('REFUNDING');
      // What WeChat Pay received, decrypted with its own key.
      expect(sample.simulator.state.findAnyRefund(order.refundNo!)?.abnormalRefund).toEqual({
        type: 'USER_BANK_CARD',
        bankType: 'ICBC_DEBIT',
        bankAccount: CARD,
        realName: '张三',
      });
      sample.simulator.completeRefund(order.refundNo!);
      const refunded = await sample.until(order.id, 'REFUNDED');
      expect(refunded.history).toEqual([
        'CREATED',
        'PAID',
        'REFUNDING',
        'REFUND_ABNORMAL',
        'REFUNDING',
        'REFUNDED',
      ]);
    });

    it('staff may send it to the merchant’s bank account; only REFUND_ABNORMAL v3 orders qualify', async () => {
      const order = await abnormalOrder();
      const applied = await sample.call('POST', `/orders/${order.id}/abnormal-refund`, {
        type: 'MERCHANT_BANK_CARD',
      });
      expect(applied.status).toBe('REFUNDING');
      const again = await sample.request('POST', `/orders/${order.id}/abnormal-refund`, {
        type: 'MERCHANT_BANK_CARD',
      });
      expect(again.status).toBe(409);

      const v2 = await abnormalOrder('v2');
      const refused = await sample.request('POST', `/orders/${v2.id}/abnormal-refund`, {
        type: 'MERCHANT_BANK_CARD',
      });
      expect(refused.status).toBe(400);
      expect((await sample.call('GET', `/orders/${v2.id}`)).status).toBe('REFUND_ABNORMAL');

      const noCard = await sample.request('POST', `/orders/${order.id}/abnormal-refund`, {
        type: 'USER_BANK_CARD',
        bankType: 'ICBC_DEBIT',
      });
      expect(noCard.status).toBe(400);
    });
  },
);

describe('abnormal refunds are a staff action', () => {
  let sample: SampleApp;
  beforeAll(async () => {
    process.env.STAFF_TOKEN = 'test-staff-token';
    sample = await startSampleApp('express', { bridge: false, settleRefunds: false });
  });
  afterAll(async () => {
    delete process.env.STAFF_TOKEN;
    await sample.close();
  });

  it('refuses anyone without the staff token', async () => {
    const answer = await sample.request('POST', '/orders/SAMPLE1/abnormal-refund', {
      type: 'MERCHANT_BANK_CARD',
    });
    expect(answer.status).toBe(401);
  });
});
