import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildV3Message, verifyV3Message } from '../../lib/core/crypto/index.js';
import {
  isCombineNotification,
  WechatPayApiError,
  type WechatPayOptions,
  WechatPayValidationError,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { type CombineApp, startCombineApp } from '../support/combine-app.js';
import { ADAPTERS } from '../support/nest-app.js';
import { orderNo } from '../support/wechatpay-app.js';

const SUB_MCHID = '1900000109';
const SUB_APPID = 'wx8888888888888888';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

type Mode = 'merchant' | 'partner';

const modeOptions = (mode: Mode): Partial<WechatPayOptions> =>
  mode === 'partner' ? { mode: 'partner', subMchid: SUB_MCHID, subAppid: SUB_APPID } : {};

/** Two sub-orders of 18.00 and 22.00 under fresh numbers. */
function cart() {
  const combineNo = orderNo('CMB');
  const [coffee, cake] = [orderNo('SUBA'), orderNo('SUBB')];
  return {
    combineNo,
    coffee,
    cake,
    subOrders: [
      {
        out_trade_no: coffee,
        description: 'Coffee',
        attach: 'bar',
        amount: { total_amount: 1800 },
      },
      { out_trade_no: cake, description: 'Cake', attach: 'bakery', amount: { total_amount: 2200 } },
    ],
  };
}

/** Starts a simulator and a shop in `mode` on `adapter`, stopped after the block. */
function useShop(mode: Mode, adapter: (typeof ADAPTERS)[number]) {
  const context = {} as { simulator: WechatPaySimulator; shop: CombineApp };
  beforeAll(async () => {
    context.simulator = await new WechatPaySimulator({ backup: false }).start();
    context.shop = await startCombineApp(
      adapter,
      context.simulator.moduleOptions(modeOptions(mode)),
    );
  });
  afterAll(async () => {
    await context.shop.app.close();
    await context.simulator.stop();
  });
  return context;
}

describe.each(['merchant', 'partner'] as const)('combine payments in %s mode', (mode) => {
  describe.each(ADAPTERS)('on %s', (adapter) => {
    const context = useShop(mode, adapter);

    it('pays two sub-orders with one payment, handles the one notification once, and refunds one sub-order', async () => {
      const { simulator, shop } = context;
      const { combineNo, coffee, cake, subOrders } = cart();
      const { prepay_id } = await shop.wechatPay.combine.prepayJsapi({
        combine_out_trade_no: combineNo,
        combine_payer_info: { openid: OPENID },
        sub_orders: subOrders,
        notify_url: shop.notifyUrl,
      });
      expect(prepay_id).toMatch(/^wx/);

      simulator.payCombine(combineNo);
      const first = await simulator.waitForDelivery((d) => d.url === shop.notifyUrl);
      expect(first.status).toBe(200);
      expect(shop.ledger.paid).toHaveLength(1);
      const payment = shop.ledger.paid[0]!;
      expect(isCombineNotification(payment)).toBe(true);
      expect(payment).toMatchObject({
        combine_appid: simulator.merchant.appid,
        combine_mchid: simulator.merchant.mchid,
        combine_out_trade_no: combineNo,
        combine_payer_info: { openid: OPENID },
      });
      expect(
        payment.sub_orders.map((s) => [
          s.out_trade_no,
          s.trade_state,
          s.amount.total_amount,
          s.amount.payer_amount,
          s.attach,
          s.mchid,
          s.sub_mchid,
        ]),
      ).toEqual([
        [
          coffee,
          'SUCCESS',
          1800,
          1800,
          'bar',
          simulator.merchant.mchid,
          mode === 'partner' ? SUB_MCHID : undefined,
        ],
        [
          cake,
          'SUCCESS',
          2200,
          2200,
          'bakery',
          simulator.merchant.mchid,
          mode === 'partner' ? SUB_MCHID : undefined,
        ],
      ]);
      expect(payment.sub_orders.every((s) => /^42000\d+$/.test(s.transaction_id))).toBe(true);

      // The same event again, three times at once: acknowledged, never handled twice.
      const again = await simulator.deliverCombine(combineNo, { copies: 3 });
      expect(again.map((d) => d.status)).toEqual([200, 200, 200]);
      expect(shop.ledger.calls).toBe(1);

      // A sub-order is an ordinary paid order of its merchant: refunded by its own number.
      const refund = await shop.wechatPay.refunds.create({
        out_trade_no: coffee,
        out_refund_no: `R${coffee}`,
        amount: { refund: 1800, total: 1800 },
        notify_url: shop.refundNotifyUrl,
      });
      expect(refund).toMatchObject({ status: 'PROCESSING', out_trade_no: coffee });
      simulator.completeRefund(`R${coffee}`);
      await simulator.waitForDelivery((d) => d.url === shop.refundNotifyUrl);
      expect(shop.ledger.refunds).toMatchObject([
        { out_trade_no: coffee, refund_status: 'SUCCESS', amount: { refund: 1800 } },
      ]);
      const after = await shop.wechatPay.combine.query(combineNo);
      expect(after.sub_orders.map((s) => s.trade_state)).toEqual(['REFUND', 'SUCCESS']);
    });
  });

  describe('API', () => {
    const context = useShop(mode, 'express');

    it('queries an unpaid combine order, refuses closing it with other sub-orders, then closes it', async () => {
      const { simulator, shop } = context;
      const { combineNo, coffee, cake, subOrders } = cart();
      const { code_url } = await shop.wechatPay.combine.prepayNative({
        combine_out_trade_no: combineNo,
        sub_orders: subOrders,
        notify_url: shop.notifyUrl,
      });
      expect(code_url).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
      const unpaid = await shop.wechatPay.combine.query(combineNo);
      expect(unpaid).toMatchObject({
        combine_out_trade_no: combineNo,
        combine_mchid: simulator.merchant.mchid,
      });
      expect(unpaid.combine_payer_info).toBeUndefined();
      expect(
        unpaid.sub_orders.map((s) => [s.out_trade_no, s.trade_state, s.transaction_id]),
      ).toEqual([
        [coffee, 'NOTPAY', undefined],
        [cake, 'NOTPAY', undefined],
      ]);

      // A combine order closes whole: naming only one sub-order is refused by WeChat Pay.
      const partial = shop.wechatPay.combine.close(combineNo, {
        sub_orders: [{ out_trade_no: coffee }],
      });
      await expect(partial).rejects.toBeInstanceOf(WechatPayApiError);
      await expect(partial).rejects.toMatchObject({ status: 400, code: 'INVALID_REQUEST' });

      await shop.wechatPay.combine.close(combineNo, {
        sub_orders: [{ out_trade_no: coffee }, { out_trade_no: cake }],
      });
      const closed = await shop.wechatPay.combine.query(combineNo);
      expect(closed.sub_orders.map((s) => s.trade_state)).toEqual(['CLOSED', 'CLOSED']);
      expect(() => simulator.payCombine(combineNo)).toThrow(/closed/);
      // Placing it again after the close is refused, as WeChat Pay does.
      await expect(
        shop.wechatPay.combine.prepayNative({
          combine_out_trade_no: combineNo,
          sub_orders: subOrders,
          notify_url: shop.notifyUrl,
        }),
      ).rejects.toMatchObject({ code: 'ORDER_CLOSED' });
    });

    it('refuses a combine notification for an AppID the merchant did not declare', async () => {
      const { simulator, shop } = context;
      const { combineNo, subOrders } = cart();
      // Placed around the library's checks, as another system sharing the notify URL might.
      await shop.wechatPay.request('POST', '/v3/combine-transactions/native', {
        combine_appid: 'wx9999999999999999',
        combine_mchid: simulator.merchant.mchid,
        combine_out_trade_no: combineNo,
        notify_url: shop.notifyUrl,
        sub_orders: subOrders.map((s) => ({
          ...s,
          mchid: simulator.merchant.mchid,
          amount: { ...s.amount, currency: 'CNY' },
          ...(mode === 'partner' ? { sub_mchid: SUB_MCHID } : {}),
        })),
      });
      const calls = shop.ledger.calls;
      const [delivery] = await simulator.deliverCombine(combineNo);
      expect(delivery!.status).toBeGreaterThanOrEqual(400);
      expect(delivery!.responseBody).toContain('FAIL');
      expect(shop.ledger.calls).toBe(calls);
    });

    it('builds JSAPI and App pay parameters for combine_appid that the merchant key verifies', async () => {
      const { simulator, shop } = context;
      const jsapi = await shop.wechatPay.combine.prepayJsapi({
        combine_out_trade_no: orderNo('CMBJ'),
        combine_payer_info: { openid: OPENID },
        sub_orders: cart().subOrders,
        notify_url: shop.notifyUrl,
      });
      const js = shop.wechatPay.combine.jsapiPayParams(jsapi.prepay_id);
      // The payer's openid is under combine_appid, even in partner mode (never sub_appid).
      expect(js).toMatchObject({
        appId: simulator.merchant.appid,
        package: `prepay_id=${jsapi.prepay_id}`,
        signType: 'RSA',
      });
      const jsMessage = buildV3Message(js.appId, js.timeStamp, js.nonceStr, js.package);
      expect(verifyV3Message(jsMessage, js.paySign, simulator.merchant.publicKey)).toBe(true);

      const app = await shop.wechatPay.combine.prepayApp({
        combine_out_trade_no: orderNo('CMBA'),
        sub_orders: cart().subOrders,
        notify_url: shop.notifyUrl,
      });
      const params = shop.wechatPay.combine.appPayParams(app.prepay_id);
      expect(params).toMatchObject({
        appid: simulator.merchant.appid,
        partnerid: simulator.merchant.mchid,
        prepayid: app.prepay_id,
        package: 'Sign=WXPay',
      });
      const appMessage = buildV3Message(
        params.appid,
        params.timestamp,
        params.noncestr,
        params.prepayid,
      );
      expect(verifyV3Message(appMessage, params.sign, simulator.merchant.publicKey)).toBe(true);
    });

    it('places H5 combine orders and refuses bad ones before sending', async () => {
      const { simulator, shop } = context;
      const { h5_url } = await shop.wechatPay.combine.prepayH5({
        combine_out_trade_no: orderNo('CMBH'),
        scene_info: { payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } },
        sub_orders: cart().subOrders,
        notify_url: shop.notifyUrl,
      });
      expect(h5_url).toMatch(/\/simulator\/h5\?prepay_id=wx/);

      const sent = simulator.requests.length;
      const tooFew = mode === 'merchant' ? [cart().subOrders[0]!] : [];
      await expect(
        shop.wechatPay.combine.prepayNative({
          combine_out_trade_no: orderNo('CMBX'),
          sub_orders: tooFew,
          notify_url: shop.notifyUrl,
        }),
      ).rejects.toBeInstanceOf(WechatPayValidationError);
      await expect(
        shop.wechatPay.combine.prepayJsapi({
          combine_out_trade_no: orderNo('CMBX'),
          sub_orders: cart().subOrders,
          notify_url: shop.notifyUrl,
        } as never),
      ).rejects.toThrow(/combine_payer_info/);
      const twice = cart().subOrders;
      twice[1]!.out_trade_no = twice[0]!.out_trade_no;
      await expect(
        shop.wechatPay.combine.prepayNative({
          combine_out_trade_no: orderNo('CMBX'),
          sub_orders: twice,
          notify_url: shop.notifyUrl,
        }),
      ).rejects.toThrow(/sub_orders\[1\]\.out_trade_no/);
      await expect(shop.wechatPay.combine.query('bad no')).rejects.toBeInstanceOf(
        WechatPayValidationError,
      );
      await expect(
        shop.wechatPay.combine.close(orderNo('CMBX'), { sub_orders: [] }),
      ).rejects.toThrow(/sub_orders/);
      expect(simulator.requests.length).toBe(sent);
    });
  });
});
