import { afterEach, describe, expect, it } from 'vitest';
import { WechatPaySimulator, type WechatPaySimulatorOptions } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { type NotifyApp, startNotifyApp } from '../support/notify-app.js';
import { orderNo } from '../support/wechatpay-app.js';

let simulator: WechatPaySimulator;
let shop: NotifyApp;

async function setup(
  adapter: (typeof ADAPTERS)[number],
  options: WechatPaySimulatorOptions = {},
  appSetup: { rawBody?: boolean; globalAuthGuard?: boolean } = {},
) {
  simulator = await new WechatPaySimulator({
    notifications: { timeScale: 0.001 },
    ...options,
  }).start();
  shop = await startNotifyApp(adapter, simulator.moduleOptions(), appSetup);
}

afterEach(async () => {
  await shop?.app.close();
  await simulator?.stop();
});

async function paidOrder(total = 1800): Promise<string> {
  const outTradeNo = orderNo();
  await shop.wechatPay.payments.prepayJsapi({
    description: '咖啡',
    out_trade_no: outTradeNo,
    amount: { total },
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    notify_url: shop.notifyUrl,
  });
  simulator.pay(outTradeNo);
  return outTradeNo;
}

describe.each(ADAPTERS)('v3 notifications on %s', (adapter) => {
  it('pay → the handler gets the decrypted transaction and WeChat Pay gets 200 SUCCESS', async () => {
    await setup(adapter);
    const outTradeNo = await paidOrder(1800);
    const delivery = await simulator.waitForDelivery((d) => d.eventType === 'TRANSACTION.SUCCESS');
    expect(delivery.status).toBe(200);
    expect(JSON.parse(delivery.responseBody)).toEqual({ code: 'SUCCESS', message: '成功' });
    expect(shop.ledger.paid).toHaveLength(1);
    expect(shop.ledger.paid[0]).toMatchObject({
      out_trade_no: outTradeNo,
      trade_state: 'SUCCESS',
      amount: { total: 1800, payer_total: 1800, currency: 'CNY' },
      payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
      mchid: simulator.merchant.mchid,
    });
    expect(shop.ledger.envelopes[0]).toMatchObject({
      id: delivery.id,
      event_type: 'TRANSACTION.SUCCESS',
      resource_type: 'encrypt-resource',
    });
    // Other parameter decorators keep working next to ours.
    expect(shop.ledger.userAgents[0]).toBe('Mozilla/4.0');
  });

  it('refund → the handler gets the decrypted refund and WeChat Pay gets 200', async () => {
    await setup(adapter);
    const outTradeNo = await paidOrder(1000);
    await simulator.waitForDelivery(
      (d) => d.eventType === 'TRANSACTION.SUCCESS' && d.status === 200,
    );
    await shop.wechatPay.refunds.create({
      out_trade_no: outTradeNo,
      out_refund_no: `R${outTradeNo}`,
      amount: { refund: 600, total: 1000, currency: 'CNY' },
      notify_url: shop.refundNotifyUrl,
    });
    simulator.completeRefund(`R${outTradeNo}`);
    const delivery = await simulator.waitForDelivery((d) => d.eventType === 'REFUND.SUCCESS');
    expect(delivery.status).toBe(200);
    expect(shop.ledger.refunds).toEqual([
      expect.objectContaining({
        out_refund_no: `R${outTradeNo}`,
        refund_status: 'SUCCESS',
        amount: expect.objectContaining({ refund: 600, total: 1000 }),
      }),
    ]);
  });

  it('refuses an event type the handler does not take (redelivered, not lost), without running it', async () => {
    await setup(adapter);
    const outTradeNo = await paidOrder();
    await simulator.waitForDelivery((d) => d.status === 200);
    const [delivery] = await simulator.deliverTransaction(outTradeNo, {
      url: shop.refundNotifyUrl,
    });
    expect(delivery!.status).toBe(400);
    expect(JSON.parse(delivery!.responseBody)).toEqual({
      code: 'FAIL',
      message: expect.stringContaining('no handler for TRANSACTION.SUCCESS at this URL'),
    });
    expect(shop.ledger.refunds).toHaveLength(0);
  });

  describe('rejections: 4xx, the handler never called, nothing marked processed', () => {
    const cases: [
      string,
      Parameters<WechatPaySimulator['deliverTransaction']>[1],
      number,
      RegExp,
    ][] = [
      ['a tampered body', { tamperBody: true }, 401, /does not verify/],
      ['a tampered signature', { tamperSignature: true }, 401, /does not verify/],
      // 302 s when a loaded machine checks it in the second after it was signed.
      ['a stale timestamp', { timestampOffsetSeconds: -301 }, 401, /30[12] s away/],
      [
        'an unknown serial',
        { serial: '7F00000000000000000000000000000000000000' },
        401,
        /unknown serial/,
      ],
      [
        'a missing Wechatpay-Signature header',
        { omitHeader: 'Wechatpay-Signature' },
        401,
        /missing Wechatpay-Signature/,
      ],
      ['a probe signature', { probe: true }, 401, /probe/],
      ['malformed JSON', { body: '{"id": "EV-1", "resource": ' }, 400, /./],
      [
        'signed JSON that is not a notification',
        { body: '{"id":"EV-1"}' },
        400,
        /lacks id, event_type/,
      ],
      [
        'a body over the size limit',
        { body: JSON.stringify({ pad: 'x'.repeat(200 * 1024) }) },
        413,
        /./,
      ],
    ];

    it.each(cases)('%s', async (_name, tamper, status, message) => {
      await setup(adapter, { notifications: { autoDeliver: false } });
      const outTradeNo = await paidOrder();
      const [delivery] = await simulator.deliverTransaction(outTradeNo, tamper);
      expect(delivery!.status).toBe(status);
      // Malformed and oversized bodies are refused by the body parser, before any guard.
      if (status === 401 || message.source !== '.') {
        expect(JSON.parse(delivery!.responseBody)).toEqual({
          code: 'FAIL',
          message: expect.stringMatching(message),
        });
      }
      expect(shop.ledger.calls).toBe(0);
      // Not marked processed: the genuine delivery still runs the handler.
      const [genuine] = await simulator.deliverTransaction(outTradeNo);
      expect(genuine!.status).toBe(200);
      expect(shop.ledger.paid).toHaveLength(1);
    });
  });

  it('a notification encrypted with another APIv3 key is a 400 that names the key', async () => {
    await setup(adapter, { notifications: { autoDeliver: false } });
    const outTradeNo = await paidOrder();
    (simulator.merchant as { apiV3Key: string }).apiV3Key = 'WrongKeyWrongKeyWrongKeyWrongKey';
    const [delivery] = await simulator.deliverTransaction(outTradeNo);
    expect(delivery!.status).toBe(400);
    expect(delivery!.responseBody).toMatch(/APIv3 key/);
    expect(shop.ledger.calls).toBe(0);
  });

  it('20 concurrent duplicate deliveries: the side effect happens exactly once', async () => {
    await setup(adapter, { notifications: { autoDeliver: false } });
    const outTradeNo = await paidOrder();
    shop.ledger.delayMs = 150;
    const deliveries = await simulator.deliverTransaction(outTradeNo, { copies: 20 });
    const statuses = deliveries.map((d) => d.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(shop.ledger.calls).toBe(1);
    expect(shop.ledger.paid).toHaveLength(1);
    // A later redelivery is acknowledged without running the handler again.
    const [again] = await simulator.deliverTransaction(outTradeNo);
    expect(again!.status).toBe(200);
    expect(shop.ledger.calls).toBe(1);
  });

  it('the handler throws on the first delivery: failure ack, then the scheduled retry succeeds, once', async () => {
    await setup(adapter);
    shop.ledger.failNext = 1;
    await paidOrder();
    await simulator.waitForDelivery((d) => d.status === 200);
    const attempts = simulator.deliveries.map((d) => [d.attempt, d.status]);
    expect(attempts).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect(JSON.parse(simulator.deliveries[0]!.responseBody)).toMatchObject({ code: 'FAIL' });
    expect(shop.ledger.calls).toBe(2);
    expect(shop.ledger.paid).toHaveLength(1);
  });

  it('a global auth guard that uses isWechatNotifyHandler lets notifications through, and nothing else', async () => {
    await setup(adapter, {}, { globalAuthGuard: true });
    await paidOrder();
    expect(
      (await simulator.waitForDelivery((d) => d.eventType === 'TRANSACTION.SUCCESS')).status,
    ).toBe(200);
    expect(shop.ledger.paid).toHaveLength(1);
    expect((await fetch(`${shop.url}/wechatpay/orders`)).status).toBe(403);
  });

  it('without the raw-body setup, the failure names the fix', async () => {
    await setup(adapter, { notifications: { autoDeliver: false } }, { rawBody: false });
    const outTradeNo = await paidOrder();
    const [delivery] = await simulator.deliverTransaction(outTradeNo);
    expect(delivery!.status).toBe(500);
    expect(delivery!.responseBody).toContain('useWechatPayRawBody(app)');
    expect(shop.ledger.calls).toBe(0);
  });
});
