import { afterEach, describe, expect, it } from 'vitest';
import type { V2SignType } from '../../lib/index.js';
import { WechatPaySimulator, type WechatPaySimulatorOptions } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { type NotifyApp, startNotifyApp } from '../support/notify-app.js';
import { orderNo } from '../support/wechatpay-app.js';

let simulator: WechatPaySimulator;
let shop: NotifyApp;

async function setup(adapter: (typeof ADAPTERS)[number], options: WechatPaySimulatorOptions = {}) {
  simulator = await new WechatPaySimulator({
    notifications: { timeScale: 0.001 },
    ...options,
  }).start();
  shop = await startNotifyApp(adapter, simulator.moduleOptions());
}

afterEach(async () => {
  await shop?.app.close();
  await simulator?.stop();
});

async function paidOrder(signType: V2SignType = 'MD5', total = 880): Promise<string> {
  const outTradeNo = orderNo('V2N');
  await shop.wechatPay.v2.request(
    '/pay/unifiedorder',
    {
      appid: simulator.merchant.appid,
      body: '测试商品',
      out_trade_no: outTradeNo,
      total_fee: total,
      spbill_create_ip: '127.0.0.1',
      trade_type: 'NATIVE',
      notify_url: shop.v2NotifyUrl,
    },
    { signType },
  );
  simulator.pay(outTradeNo);
  return outTradeNo;
}

const SUCCESS_ACK = /<return_code><!\[CDATA\[SUCCESS\]\]><\/return_code>/;
const FAIL_ACK = /<return_code>FAIL<\/return_code>/;

describe.each(ADAPTERS)('v2 notifications on %s', (adapter) => {
  it.each(['MD5', 'HMAC-SHA256'] as V2SignType[])(
    'a %s payment result reaches the handler and gets the XML SUCCESS acknowledgement',
    async (signType) => {
      await setup(adapter);
      const outTradeNo = await paidOrder(signType, 880);
      const delivery = await simulator.waitForDelivery(
        (d) => d.eventType === 'TRANSACTION.SUCCESS',
      );
      expect(delivery.status).toBe(200);
      expect(delivery.responseBody).toMatch(SUCCESS_ACK);
      expect(shop.ledger.v2Paid).toEqual([
        expect.objectContaining({
          out_trade_no: outTradeNo,
          total_fee: '880',
          result_code: 'SUCCESS',
          mch_id: simulator.merchant.mchid,
        }),
      ]);
    },
  );

  it('a refund result is decrypted from req_info and reaches the handler', async () => {
    await setup(adapter);
    const outTradeNo = await paidOrder();
    await simulator.waitForDelivery((d) => d.status === 200);
    simulator.state.addRefund(simulator.state.findAnyOrder(outTradeNo)!, {
      outRefundNo: `R${outTradeNo}`,
      refund: 300,
      notifyUrl: shop.v2RefundNotifyUrl,
    });
    simulator.completeRefund(`R${outTradeNo}`);
    const delivery = await simulator.waitForDelivery((d) => d.eventType === 'REFUND.SUCCESS');
    expect(delivery.status).toBe(200);
    expect(delivery.responseBody).toMatch(SUCCESS_ACK);
    expect(shop.ledger.v2Refunds).toEqual([
      expect.objectContaining({
        out_refund_no: `R${outTradeNo}`,
        refund_status: 'SUCCESS',
        refund_fee: '300',
        out_trade_no: outTradeNo,
      }),
    ]);
  });

  describe('rejected quickly with a FAIL acknowledgement, the handler not called', () => {
    const billionLaughs = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY l0 "lol">${Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('')}]><xml><return_code>&l10;</return_code></xml>`;
    const cases: [string, Parameters<WechatPaySimulator['deliverTransaction']>[1], number][] = [
      ['a bad sign', { tamperSignature: true }, 401],
      ['a field changed after signing', { tamperBody: true }, 401],
      ['the mch_id of another merchant', { mchId: '1900000999' }, 400],
      ['a FAIL return_code', { returnCode: 'FAIL' }, 400],
      ['malformed XML', { body: '<xml><return_code>SUCCESS</xml>' }, 400],
      [
        'an external entity (XXE)',
        {
          body: '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><a>&x;</a></xml>',
        },
        400,
      ],
      ['a billion-laughs document', { body: billionLaughs }, 400],
    ];
    it.each(cases)('%s', async (_name, tamper, status) => {
      await setup(adapter, { notifications: { autoDeliver: false } });
      const outTradeNo = await paidOrder();
      const started = performance.now();
      const [delivery] = await simulator.deliverTransaction(outTradeNo, tamper);
      // Refused without expanding anything: an expanded billion laughs would take far longer
      // (or exhaust memory); the slack is for a loaded machine.
      expect(performance.now() - started).toBeLessThan(5000);
      expect(delivery!.status).toBe(status);
      expect(delivery!.responseBody).toMatch(FAIL_ACK);
      expect(shop.ledger.calls).toBe(0);
      const [genuine] = await simulator.deliverTransaction(outTradeNo);
      expect(genuine!.responseBody).toMatch(SUCCESS_ACK);
      expect(shop.ledger.v2Paid).toHaveLength(1);
    });
  });

  it('20 duplicate v2 deliveries at once run the handler once', async () => {
    await setup(adapter, { notifications: { autoDeliver: false } });
    const outTradeNo = await paidOrder();
    shop.ledger.delayMs = 100;
    const deliveries = await simulator.deliverTransaction(outTradeNo, { copies: 20 });
    expect(deliveries.every((d) => d.status === 200 || d.status === 503)).toBe(true);
    expect(shop.ledger.calls).toBe(1);
    const [again] = await simulator.deliverTransaction(outTradeNo);
    expect(again!.responseBody).toMatch(SUCCESS_ACK);
    expect(shop.ledger.calls).toBe(1);
  });
});
