import type { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import type { Order } from '../orders/order.repository.js';
import type { AppClient } from '../simulator/app-client.js';
import type { MarketplaceSplit } from './marketplace.service.js';

/** The demo's shop: a made-up merchant the simulator knows by its registered full name. */
export const DEMO_SHOP = { mchid: '1900000209', name: '示例小店有限公司' } as const;

/** The MARKETPLACE_SHOP_* variables of the demo's shop, and its real name in the simulator. */
export function demoShopEnv(simulator: WechatPaySimulator): Record<string, string> {
  simulator.setRealName(DEMO_SHOP.mchid, DEMO_SHOP.name);
  return { MARKETPLACE_SHOP_MCHID: DEMO_SHOP.mchid, MARKETPLACE_SHOP_NAME: DEMO_SHOP.name };
}

/**
 * `npm run demo`'s marketplace step: an order frozen for profit sharing, paid, its shop's share
 * split to the shop (the library encrypts the shop's name), then the rest released.
 */
export async function marketplaceDemo(
  simulator: WechatPaySimulator,
  { call, until }: Pick<AppClient, 'call' | 'until'>,
  step: (text: string) => void,
  show: (label: string, value: unknown) => void,
): Promise<void> {
  const money = (s: MarketplaceSplit) =>
    `shop ${s.shop} gets ${s.shopShare} fen · split ${s.split?.state ?? '–'} · still frozen ${s.unsplitAmount} fen`;

  step('A marketplace order: placed with settle_info.profit_sharing, so the money stays frozen');
  const { order } = await call<{ order: Order; codeUrl: string }>('POST', '/marketplace/orders', {
    productId: 'mooncake',
  });
  show('order', `${order.id} · ${order.product} · ${order.total} fen`);
  simulator.pay(order.id);
  await until(order.id, 'PAID');

  step("Split the shop's share (the shop was added as a receiver, its name encrypted)");
  const split = await call<MarketplaceSplit>('POST', `/marketplace/orders/${order.id}/split`);
  show('split', money(split));
  const serial = simulator.requests.findLast((r) => r.path === '/v3/profitsharing/orders');
  show('serial', `Wechatpay-Serial ${serial?.wechatpaySerial} (the key the name is encrypted for)`);

  step('WeChat Pay finishes the split');
  let status = split;
  for (let tries = 0; status.split?.state !== 'FINISHED' && tries < 50; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await call<MarketplaceSplit>('GET', `/marketplace/orders/${order.id}/split`);
  }
  show('split', money(status));

  step('Release the rest to the marketplace: nothing stays frozen');
  show(
    'released',
    money(await call<MarketplaceSplit>('POST', `/marketplace/orders/${order.id}/release`)),
  );
}
