import { afterEach, describe, expect, it } from 'vitest';
import { WechatPayValidationError, type WechatPayOptions } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS, type AdapterName } from '../support/nest-app.js';
import { type NotifyApp, startNotifyApp } from '../support/notify-app.js';
import { orderNo } from '../support/wechatpay-app.js';

/** A merchant's mini program and app, declared next to its official account (`appid`). */
const MINI_PROGRAM = 'wx1111111111111111';
const MOBILE_APP = 'wx2222222222222222';
/** An AppID the merchant never declared. */
const STRANGER = 'wx9999999999999999';

let simulator: WechatPaySimulator;
let shop: NotifyApp;

async function setup(adapter: AdapterName, options: Partial<WechatPayOptions> = {}) {
  simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
  shop = await startNotifyApp(
    adapter,
    simulator.moduleOptions({ appids: [MINI_PROGRAM, MOBILE_APP], ...options }),
  );
}

afterEach(async () => {
  await shop?.app.close();
  await simulator?.stop();
});

const v2Order = (outTradeNo: string, appid?: string) => ({
  ...(appid ? { appid } : {}),
  body: '测试商品',
  out_trade_no: outTradeNo,
  total_fee: 100,
  spbill_create_ip: '127.0.0.1',
  trade_type: 'NATIVE' as const,
  notify_url: shop.v2NotifyUrl,
});

const v3Order = (outTradeNo: string, fields: Record<string, string> = {}) => ({
  description: 'Coffee',
  out_trade_no: outTradeNo,
  amount: { total: 100 },
  notify_url: shop.notifyUrl,
  ...fields,
});

const SUCCESS_ACK = /<return_code><!\[CDATA\[SUCCESS\]\]><\/return_code>/;

/** The refusal says which AppID arrived, which are configured and which option to set. */
function expectAppidRefusal(body: string | undefined): void {
  expect(body).toContain(STRANGER);
  for (const declared of [simulator.merchant.appid, MINI_PROGRAM, MOBILE_APP])
    expect(body).toContain(declared);
  expect(body).toMatch(/appids/);
  expect(body).toMatch(/WECHATPAY_APPIDS/);
}

describe.each(ADAPTERS)('a merchant with several AppIDs on %s', (adapter) => {
  it('v2: an order placed with a declared per-call appid is confirmed by its notification', async () => {
    await setup(adapter);
    const outTradeNo = orderNo('V2A');
    await shop.wechatPay.v2.payments.unifiedOrder(v2Order(outTradeNo, MINI_PROGRAM));
    simulator.pay(outTradeNo);
    const [delivery] = await simulator.deliverTransaction(outTradeNo);
    expect(delivery!.status).toBe(200);
    expect(delivery!.responseBody).toMatch(SUCCESS_ACK);
    expect(shop.ledger.v2Paid).toEqual([
      expect.objectContaining({ out_trade_no: outTradeNo, appid: MINI_PROGRAM }),
    ]);
  });

  it('v2: the default appid stays accepted', async () => {
    await setup(adapter);
    const outTradeNo = orderNo('V2D');
    await shop.wechatPay.v2.payments.unifiedOrder(v2Order(outTradeNo));
    simulator.pay(outTradeNo);
    const [delivery] = await simulator.deliverTransaction(outTradeNo);
    expect(delivery!.status).toBe(200);
    expect(shop.ledger.v2Paid[0]?.appid).toBe(simulator.merchant.appid);
  });

  it('v3: an order placed with a declared per-call appid is confirmed by its notification', async () => {
    await setup(adapter);
    const outTradeNo = orderNo('V3A');
    await shop.wechatPay.payments.prepayNative(v3Order(outTradeNo, { appid: MOBILE_APP }));
    simulator.pay(outTradeNo);
    const [delivery] = await simulator.deliverTransaction(outTradeNo);
    expect(delivery!.status).toBe(200);
    expect(shop.ledger.paid).toEqual([
      expect.objectContaining({ out_trade_no: outTradeNo, appid: MOBILE_APP }),
    ]);
  });

  it('v2: a notification for an undeclared AppID is refused with what to set, the handler not called', async () => {
    await setup(adapter);
    const outTradeNo = orderNo('V2S');
    // The raw request fills nothing in and checks no AppID: an order as another system placed it.
    await shop.wechatPay.v2.request('/pay/unifiedorder', v2Order(outTradeNo, STRANGER));
    simulator.pay(outTradeNo);
    const [delivery] = await simulator.deliverTransaction(outTradeNo);
    expect(delivery!.status).toBe(400);
    expectAppidRefusal(delivery!.responseBody);
    expect(shop.ledger.calls).toBe(0);
  });

  it('v3: a notification for an undeclared AppID is refused with what to set, the handler not called', async () => {
    await setup(adapter);
    const outTradeNo = orderNo('V3S');
    await shop.wechatPay.request('POST', '/v3/pay/transactions/native', {
      ...v3Order(outTradeNo),
      appid: STRANGER,
      mchid: simulator.merchant.mchid,
    });
    simulator.pay(outTradeNo);
    const [delivery] = await simulator.deliverTransaction(outTradeNo);
    expect(delivery!.status).toBe(400);
    expectAppidRefusal(delivery!.responseBody);
    expect(shop.ledger.calls).toBe(0);
  });

  it("v3 partner mode: sp_appid is checked, the sub-merchant's sub_appid is not", async () => {
    await setup(adapter, { mode: 'partner', subMchid: '1900000109' });
    const declared = orderNo('V3P');
    await shop.wechatPay.payments.prepayNative(
      v3Order(declared, { appid: MINI_PROGRAM, sub_appid: 'wx3333333333333333' }),
    );
    simulator.pay(declared);
    const [accepted] = await simulator.deliverTransaction(declared);
    expect(accepted!.status).toBe(200);
    expect(shop.ledger.paid).toEqual([
      expect.objectContaining({ sp_appid: MINI_PROGRAM, sub_appid: 'wx3333333333333333' }),
    ]);

    const stranger = orderNo('V3Q');
    await shop.wechatPay.request('POST', '/v3/pay/partner/transactions/native', {
      ...v3Order(stranger),
      sp_appid: STRANGER,
      sp_mchid: simulator.merchant.mchid,
      sub_mchid: '1900000109',
    });
    simulator.pay(stranger);
    const [refused] = await simulator.deliverTransaction(stranger);
    expect(refused!.status).toBe(400);
    expectAppidRefusal(refused!.responseBody);
    expect(shop.ledger.calls).toBe(1);
  });

  it('an undeclared per-call appid is refused before anything is sent, v2 and v3 alike', async () => {
    await setup(adapter);
    const v2 = orderNo('V2R');
    const v2Error = await shop.wechatPay.v2.payments
      .unifiedOrder(v2Order(v2, STRANGER))
      .catch((e: unknown) => e);
    const v3 = orderNo('V3R');
    const v3Error = await shop.wechatPay.payments
      .prepayNative(v3Order(v3, { appid: STRANGER }))
      .catch((e: unknown) => e);
    for (const error of [v2Error, v3Error]) {
      expect(error).toBeInstanceOf(WechatPayValidationError);
      expect((error as WechatPayValidationError).problems).toEqual([
        { field: 'appid', message: expect.stringMatching(/appids.*WECHATPAY_APPIDS/) },
      ]);
    }
    expect(simulator.state.findAnyOrder(v2)).toBeUndefined();
    expect(simulator.state.findAnyOrder(v3)).toBeUndefined();
  });
});
