import type { ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { verify } from 'node:crypto';
import { signV2 } from 'nestjs-wechatpay/crypto';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderRepository, type Order } from '../src/orders/order.repository.js';
import { OrdersService } from '../src/orders/orders.service.js';
import { StaffGuard } from '../src/orders/staff.guard.js';
import type { PrepayAnswer } from '../src/payments/prepay.service.js';
import { type SampleApp, startSampleApp } from './sample-app.js';

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

describe.each(['express', 'fastify'] as const)('sample app on %s', (adapter) => {
  let sample: SampleApp;

  beforeAll(async () => {
    sample = await startSampleApp(adapter);
  });
  afterAll(() => sample.close());

  it.each(['v3', 'v2'] as const)(
    'API %s: pay, notification, query, refund, refund notification',
    async (api) => {
      const order = await sample.call('POST', '/orders', { productId: 'tea', api });
      expect(order).toMatchObject({ total: 990, status: 'CREATED', api });
      const { codeUrl } = await sample.call<{ codeUrl: string }>(
        'POST',
        `/orders/${order.id}/pay/native`,
      );
      expect(codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);

      sample.simulator.pay(order.id);
      await sample.until(order.id, 'PAID');
      expect(
        await sample.call<{ tradeState: string }>('GET', `/orders/${order.id}/wechatpay-state`),
      ).toEqual({ tradeState: 'SUCCESS' });

      // Only the refund notification makes an order REFUNDED.
      await sample.call('POST', `/orders/${order.id}/refund`);
      const refunded = await sample.until(order.id, 'REFUNDED');
      expect(refunded.history).toEqual(['CREATED', 'PAID', 'REFUNDING', 'REFUNDED']);
    },
  );

  it('takes the price from the catalogue, never from the client', async () => {
    const withPrice = await sample.request('POST', '/orders', { productId: 'tea', total: 1 });
    expect(withPrice.status).toBe(400);
    const unknown = await sample.request<{ message: string[] }>('POST', '/orders', {
      productId: 'caviar',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message.join()).toContain('productId must be one of coffee, tea');
  });

  it.each(['v3', 'v2'] as const)(
    'API %s: a notified amount that differs from the order is flagged, not marked paid',
    async (api) => {
      const order = await sample.call('POST', '/orders', { productId: 'tea', api });
      await sample.call('POST', `/orders/${order.id}/pay/native`);
      // The stored order says 500 fen from now on: the notification's 990 must not be accepted.
      await sample.app.get(OrderRepository).update(order.id, { total: 500 });
      sample.simulator.pay(order.id);
      const { notificationId } = sample.simulator.state.findAnyOrder(order.id)!;
      // Acknowledged: WeChat Pay delivering it again for a day could not make it match.
      await sample.simulator.waitForDelivery(
        (d) => (d.id === notificationId || d.id === order.id) && d.status === 200,
      );
      const flagged = await sample.call('GET', `/orders/${order.id}`);
      expect(flagged.status).toBe('CREATED');
      expect(flagged.anomalies).toEqual([
        expect.stringMatching(/paid 990 fen, but the order is 500 fen/),
      ]);
    },
  );

  it('marks an order that was closed while the payer paid as PAID: the money is taken', async () => {
    const order = await sample.call('POST', '/orders', { productId: 'tea' });
    await sample.call('POST', `/orders/${order.id}/pay/native`);
    // Closed here, but the payment at WeChat Pay won the race.
    await sample.app.get(OrderRepository).transition(order.id, 'CREATED', 'CLOSED');
    sample.simulator.pay(order.id);
    expect((await sample.until(order.id, 'PAID')).history).toEqual(['CREATED', 'CLOSED', 'PAID']);
  });

  it('API v3 JSAPI, App and H5: prepay answers signed with the merchant key', async () => {
    const prepay = async (channel: string, body: object = {}) => {
      const order = await sample.call('POST', '/orders', { productId: 'coffee' });
      return sample.call<PrepayAnswer>('POST', `/orders/${order.id}/pay/${channel}`, body);
    };
    const publicKey = sample.simulator.merchant.publicKey;
    const signed = (lines: string[], signature: string) =>
      verify(
        'sha256',
        Buffer.from(lines.map((l) => `${l}\n`).join('')),
        publicKey,
        Buffer.from(signature, 'base64'),
      );

    const jsapi = await prepay('jsapi', { openid: OPENID });
    if (jsapi.channel !== 'jsapi' || !('paySign' in jsapi.payParams)) throw new Error('not JSAPI');
    const j = jsapi.payParams;
    expect(j).toMatchObject({ appId: sample.simulator.merchant.appid, signType: 'RSA' });
    expect(j.package).toMatch(/^prepay_id=wx/);
    expect(signed([j.appId, j.timeStamp, j.nonceStr, j.package], j.paySign)).toBe(true);

    const app = await prepay('app');
    if (app.channel !== 'app') throw new Error('not App');
    const a = app.payParams;
    expect(a).toMatchObject({ partnerid: sample.simulator.merchant.mchid, package: 'Sign=WXPay' });
    expect(signed([a.appid, a.timestamp, a.noncestr, a.prepayid], a.sign)).toBe(true);

    const h5 = await prepay('h5');
    expect(h5.channel === 'h5' && h5.h5Url).toMatch(/prepay_id=wx/);

    const missingOpenid = await sample.request(
      'POST',
      `/orders/${(await sample.call('POST', '/orders', { productId: 'coffee' })).id}/pay/jsapi`,
    );
    expect(missingOpenid.status).toBe(400);
  });

  it('API v2 JSAPI, App and MWEB (H5): unifiedorder answers signed with the API key', async () => {
    const prepay = async (channel: string, body: object = {}) => {
      const order = await sample.call('POST', '/orders', { productId: 'coffee', api: 'v2' });
      const answer = await sample.call<PrepayAnswer>(
        'POST',
        `/orders/${order.id}/pay/${channel}`,
        body,
      );
      return { order, answer };
    };
    const { apiKey } = sample.simulator.merchant;

    const jsapi = (await prepay('jsapi', { openid: OPENID })).answer;
    if (jsapi.channel !== 'jsapi' || !('paySign' in jsapi.payParams)) throw new Error('not JSAPI');
    const { paySign, ...fields } = jsapi.payParams;
    expect(fields.signType).toBe('MD5');
    expect(signV2(fields, apiKey, 'MD5')).toBe(paySign);

    const app = await prepay('app');
    if (app.answer.channel !== 'app') throw new Error('not App');
    const { sign, ...appFields } = app.answer.payParams;
    expect(signV2(appFields, apiKey, 'MD5')).toBe(sign);
    const placed = sample.simulator.state.findAnyOrder(app.order.id);
    expect(placed?.channel).toBe('app');

    const h5 = await prepay('h5');
    expect(h5.answer.channel === 'h5' && h5.answer.h5Url).toMatch(/checkmweb\?prepay_id=wx/);
  });

  it.each(['v3', 'v2'] as const)('API %s: a closed order can no longer be paid', async (api) => {
    const order = await sample.call('POST', '/orders', { productId: 'tea', api });
    await sample.call('POST', `/orders/${order.id}/pay/native`);
    expect((await sample.call('POST', `/orders/${order.id}/close`)).status).toBe('CLOSED');
    expect(sample.simulator.state.findAnyOrder(order.id)?.state).toBe('CLOSED');
    const scan = await sample.request('POST', `/simulator/orders/${order.id}/pay`);
    expect(scan.status).toBe(409);
  });

  it('a second merchant: its orders, keys and notifications are its own', async () => {
    const order = await sample.call('POST', '/orders', { productId: 'giftcard' });
    expect(order).toMatchObject({ merchant: 'giftcards', total: 5000 });
    await sample.call('POST', `/orders/${order.id}/pay/native`);
    expect(sample.simulator.state.findAnyOrder(order.id)?.mchid).toBe(sample.giftcards.mchid);

    sample.simulator.pay(order.id);
    await sample.until(order.id, 'PAID');
    await sample.call('POST', `/orders/${order.id}/refund`);
    await sample.until(order.id, 'REFUNDED');
    // The simulator logs a delivery once it has read the answer, which may come after the order
    // changed.
    await sample.simulator.waitForDelivery(
      (d) => d.eventType === 'REFUND.SUCCESS' && d.status === 200 && d.url.includes('/giftcards/'),
    );
    const paths = sample.simulator.deliveries
      .filter((d) => d.status === 200 && d.url.includes('/giftcards/'))
      .map((d) => `${d.eventType} ${new URL(d.url).pathname}`);
    expect(paths).toEqual([
      'TRANSACTION.SUCCESS /wechatpay/giftcards/notify',
      'REFUND.SUCCESS /wechatpay/giftcards/refund-notify',
    ]);
    expect(
      await sample.call<{ tradeState: string }>('GET', `/orders/${order.id}/wechatpay-state`),
    ).toEqual({
      tradeState: 'REFUND',
    });
  });

  it('validates the payment request body', async () => {
    const order = await sample.call('POST', '/orders', { productId: 'tea' });
    const path = `/orders/${order.id}/pay/jsapi`;
    expect((await sample.request('POST', path, { openid: 12345 })).status).toBe(400);
    expect((await sample.request('POST', path, { openid: 'o1', extra: true })).status).toBe(400);
    expect((await sample.request('POST', `/orders/${order.id}/pay/cash`, {})).status).toBe(400);
  });

  it('marks an order paid once when WeChat Pay delivers the notification several times', async () => {
    const order = await sample.call('POST', '/orders', { productId: 'tea' });
    await sample.call('POST', `/orders/${order.id}/pay/native`);
    sample.simulator.pay(order.id);
    await sample.until(order.id, 'PAID');
    const copies = await sample.simulator.deliverTransaction(order.id, { copies: 5 });
    // Each copy is acknowledged (or, while another copy runs, answered 503 and sent again).
    expect(copies.every((d) => d.status === 200 || d.status === 503)).toBe(true);
    expect((await sample.call('GET', `/orders/${order.id}`)).history).toEqual(['CREATED', 'PAID']);
  });

  it('flags a payment notified for another merchant than the order’s', async () => {
    const order = await sample.call('POST', '/orders', { productId: 'giftcard' });
    await sample.app
      .get(OrdersService)
      .markPaid(order.id, { total: 5000, transactionId: '4200000001' });
    const flagged = await sample.call('GET', `/orders/${order.id}`);
    expect(flagged.status).toBe('CREATED');
    expect(flagged.anomalies).toEqual([
      expect.stringContaining('paid to merchant default, but the order is for giftcards'),
    ]);
  });

  it.each(['v3', 'v2'] as const)(
    'API %s: closes an order that was never sent to WeChat Pay',
    async (api) => {
      const order = await sample.call('POST', '/orders', { productId: 'tea', api });
      expect((await sample.call('POST', `/orders/${order.id}/close`)).status).toBe('CLOSED');
    },
  );

  it('serves the Native code_url as a QR code', async () => {
    const order = await sample.call('POST', '/orders', { productId: 'tea' });
    expect((await sample.request('GET', `/orders/${order.id}/qr.svg`)).status).toBe(404);
    const { codeUrl } = await sample.call<{ codeUrl: string }>(
      'POST',
      `/orders/${order.id}/pay/native`,
    );
    const response = await fetch(`${sample.url}/orders/${order.id}/qr.svg`);
    expect(response.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await response.text();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toBe(
      await QRCode.toString(codeUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
    );
  });
});

describe('sample app without the second merchant configured', () => {
  let sample: SampleApp;
  beforeAll(async () => {
    sample = await startSampleApp('express', { giftcards: false });
  });
  afterAll(() => sample.close());

  it('offers only the default merchant’s products and names the variables to set', async () => {
    const config = await sample.call<{ products: { id: string }[]; simulator: boolean }>(
      'GET',
      '/checkout/config',
    );
    expect(config.products.map((p) => p.id)).toEqual(['coffee', 'tea', 'mooncake']);
    expect(config.simulator).toBe(true);
    const giftcard = await sample.request<{ message: string }>('POST', '/orders', {
      productId: 'giftcard',
    });
    expect(giftcard.status).toBe(400);
    expect(giftcard.body.message).toContain('WECHATPAY_GIFTCARDS_MCHID');
    expect((await sample.call<Order>('POST', '/orders', { productId: 'coffee' })).status).toBe(
      'CREATED',
    );
  });
});

describe('sample app without the simulator: refunds and closing are staff actions', () => {
  let sample: SampleApp;
  beforeAll(async () => {
    process.env.STAFF_TOKEN = 'test-staff-token';
    sample = await startSampleApp('fastify', { bridge: false });
  });
  afterAll(async () => {
    delete process.env.STAFF_TOKEN;
    await sample.close();
  });

  it('asks for the staff token and offers no simulator button', async () => {
    const order = await sample.call('POST', '/orders', { productId: 'tea' });
    const close = (authorization?: string) =>
      fetch(`${sample.url}/orders/${order.id}/close`, {
        method: 'POST',
        headers: authorization ? { authorization } : {},
      });
    expect((await close()).status).toBe(401);
    expect((await close('Bearer wrong')).status).toBe(401);
    expect((await close('test-staff-token')).status).toBe(401);
    const refund = await fetch(`${sample.url}/orders/${order.id}/refund`, { method: 'POST' });
    expect(refund.status).toBe(401);
    expect((await close('bearer test-staff-token')).status).toBe(201);
    expect((await sample.call('GET', `/orders/${order.id}`)).status).toBe('CLOSED');
    expect((await sample.request('POST', `/simulator/orders/${order.id}/pay`)).status).toBe(404);
    const config = await sample.call<{ simulator: boolean }>('GET', '/checkout/config');
    expect(config.simulator).toBe(false);
  });

  it('without STAFF_TOKEN, refunds and closing are refused with what to set', () => {
    const saved = process.env.STAFF_TOKEN;
    delete process.env.STAFF_TOKEN;
    try {
      const guard = new StaffGuard(new ConfigService(), undefined);
      expect(() => guard.canActivate({} as ExecutionContext)).toThrow(/set STAFF_TOKEN/);
    } finally {
      process.env.STAFF_TOKEN = saved;
    }
  });
});
