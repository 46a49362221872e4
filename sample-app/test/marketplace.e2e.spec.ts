import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SHOP, demoShopEnv } from '../src/marketplace/marketplace.demo.js';
import type { MarketplaceSplit } from '../src/marketplace/marketplace.service.js';
import type { Order } from '../src/orders/order.repository.js';
import { type SampleApp, startSampleApp } from './sample-app.js';

describe.each(['express', 'fastify'] as const)('the marketplace (分账) on %s', (adapter) => {
  let sample: SampleApp;
  beforeAll(async () => {
    sample = await startSampleApp(adapter);
    Object.assign(process.env, demoShopEnv(sample.simulator));
  });
  afterAll(async () => {
    delete process.env.MARKETPLACE_SHOP_MCHID;
    delete process.env.MARKETPLACE_SHOP_NAME;
    await sample.close();
  });

  it("splits the shop's share of a paid order, then releases the rest", async () => {
    expect(await sample.call('GET', '/marketplace/config')).toEqual({ enabled: true });
    const { order } = await sample.call<{ order: Order }>('POST', '/marketplace/orders', {
      productId: 'mooncake',
    });
    sample.simulator.pay(order.id);
    await sample.until(order.id, 'PAID');

    const split = await sample.call<MarketplaceSplit>(
      'POST',
      `/marketplace/orders/${order.id}/split`,
    );
    // 70% of 12800 fen to the shop; the rest stays frozen until released.
    expect(split).toMatchObject({
      shop: DEMO_SHOP.mchid,
      shopShare: 8960,
      split: { state: 'PROCESSING' },
      unsplitAmount: 3840,
    });
    // Re-sending the split is the same split: WeChat Pay keys it by out_order_no.
    expect(
      await sample.call<MarketplaceSplit>('POST', `/marketplace/orders/${order.id}/split`),
    ).toMatchObject({ splitNo: split.splitNo, unsplitAmount: 3840 });

    sample.simulator.finishProfitSharing(split.splitNo);
    const finished = await sample.call<MarketplaceSplit>(
      'GET',
      `/marketplace/orders/${order.id}/split`,
    );
    expect(finished.split?.receivers).toMatchObject([
      { account: DEMO_SHOP.mchid, amount: 8960, result: 'SUCCESS' },
    ]);

    const released = await sample.call<MarketplaceSplit>(
      'POST',
      `/marketplace/orders/${order.id}/release`,
    );
    expect(released.unsplitAmount).toBe(0);
  });

  it('refuses to split an unpaid order, and the page offers the marketplace', async () => {
    const { order } = await sample.call<{ order: Order }>('POST', '/marketplace/orders', {});
    const refused = await sample.request('POST', `/marketplace/orders/${order.id}/split`);
    expect(refused.status).toBe(409);
    const page = await sample.request<string>('GET', '/');
    expect(page.body).toContain('/marketplace/checkout.js');
    const script = await sample.request<string>('GET', '/marketplace/checkout.js');
    expect(script.body).toContain('/marketplace/orders');
  });
});
