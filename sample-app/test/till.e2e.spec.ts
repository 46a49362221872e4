import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TillResult } from '../src/till/till.service.js';
import { type SampleApp, startSampleApp } from './sample-app.js';

describe.each(['express', 'fastify'] as const)('the till (付款码) on %s', (adapter) => {
  let sample: SampleApp;
  beforeAll(async () => {
    // Refunds settle when the test says: a 50 ms settle could beat the refund's own answer.
    sample = await startSampleApp(adapter, { giftcards: false, settleRefunds: false });
  });
  afterAll(() => sample.close());

  const charge = async (api: 'v3' | 'v2', behaviour: string) => {
    const { authCode } = await sample.call<{ authCode: string }>(
      'POST',
      '/till/simulator/payment-code',
      { behaviour },
    );
    return sample.call<TillResult>('POST', '/till/charge', { productId: 'coffee', api, authCode });
  };

  it('serves the till page', async () => {
    const page = await sample.request<string>('GET', '/till');
    expect(page.status).toBe(200);
    expect(page.body).toContain('/till/charge');
  });

  it.each(['v3', 'v2'] as const)(
    'API %s: a payer who types a password is charged; the order is PAID and refundable',
    async (api) => {
      const sent = sample.simulator.requests.length;
      const { authCode } = await sample.call<{ authCode: string }>(
        'POST',
        '/till/simulator/payment-code',
        { behaviour: 'types-password' },
      );
      // The payer confirms at once, before the till's first query: the sample's 300 ms password
      // against its 450 ms deadline (the guide's schedule a hundred times faster) is a race that
      // a loaded machine loses. The code is still USERPAYING at first, then paid by a query.
      sample.simulator.scriptPaymentCode(authCode, { passwordMs: 1 });
      const result = await sample.call<TillResult>('POST', '/till/charge', {
        productId: 'coffee',
        api,
        authCode,
      });
      expect(result).toMatchObject({ status: 'paid', order: { status: 'PAID', total: 1800 } });
      const queries = sample.simulator.requests
        .slice(sent)
        .filter((r) =>
          api === 'v3'
            ? r.method === 'GET' && r.path.includes(result.order.id)
            : r.path === '/pay/orderquery',
        );
      expect(queries.length).toBeGreaterThan(0);
      expect(result.order.transactionId).toMatch(/^42000/);
      const refunding = await sample.call('POST', `/orders/${result.order.id}/refund`);
      expect(refunding.status).toBe('REFUNDING');
      sample.simulator.completeRefund(refunding.refundNo!);
      await sample.until(result.order.id, 'REFUNDED');
    },
  );

  it.each(['v3', 'v2'] as const)(
    'API %s: a payer who walks away: the order is reversed and CLOSED',
    async (api) => {
      const result = await charge(api, 'walks-away');
      expect(result).toMatchObject({ status: 'reversed', order: { status: 'CLOSED' } });
      expect(sample.simulator.state.findAnyOrder(result.order.id)?.state).toBe('REVOKED');
    },
  );

  it.each(['v3', 'v2'] as const)(
    'API %s: a reversal that must be retried still ends reversed',
    async (api) => {
      sample.simulator.failNextReversals(1);
      expect(await charge(api, 'walks-away')).toMatchObject({ status: 'reversed' });
    },
  );

  it('a bad code and missing funds fail with the reason; nothing is charged', async () => {
    const bad = await sample.call<TillResult>('POST', '/till/charge', {
      productId: 'coffee',
      authCode: '999999999999999999',
    });
    expect(bad).toMatchObject({
      status: 'failed',
      code: 'PARAM_ERROR',
      order: { status: 'CLOSED' },
    });
    expect(await charge('v2', 'lacks-funds')).toMatchObject({
      status: 'failed',
      code: 'NOTENOUGH',
    });
  });

  it('refuses a scan that is not 18 digits before calling WeChat Pay', async () => {
    const from = sample.simulator.requests.length;
    const answer = await sample.request('POST', '/till/charge', {
      productId: 'coffee',
      authCode: '12345',
    });
    expect(answer.status).toBe(400);
    expect(sample.simulator.requests.length).toBe(from);
  });
});
