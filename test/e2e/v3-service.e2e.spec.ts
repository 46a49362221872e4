import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildV3Message, verifyV3Message } from '../../lib/core/crypto/index.js';
import { WechatPayApiError, WechatPayService, WechatPayValidationError } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { bootWechatPay, NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe.each(['merchant', 'partner'] as const)(
  'WechatPayService in %s mode against the simulator',
  (mode) => {
    let simulator: WechatPaySimulator;
    let app: INestApplication;
    let wechatPay: WechatPayService;
    const subMchid = '1900000109';
    const payer =
      mode === 'merchant'
        ? { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }
        : { sp_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' };

    beforeAll(async () => {
      simulator = await new WechatPaySimulator().start();
      ({ app, wechatPay } = await bootWechatPay(
        simulator.moduleOptions({
          notifyUrl: NO_RECEIVER_NOTIFY_URL,
          ...(mode === 'partner'
            ? { mode: 'partner', subMchid, subAppid: 'wx8888888888888888' }
            : {}),
        }),
      ));
    });
    afterAll(async () => {
      await app.close();
      await simulator.stop();
    });

    it('prepays JSAPI and builds client parameters the payer key verifies', async () => {
      const { prepay_id } = await wechatPay.payments.prepayJsapi({
        description: '咖啡',
        out_trade_no: orderNo(),
        amount: { total: 1800 },
        payer,
      });
      expect(prepay_id).toMatch(/^wx/);
      const params = wechatPay.payments.jsapiPayParams(prepay_id);
      expect(params).toMatchObject({ package: `prepay_id=${prepay_id}`, signType: 'RSA' });
      expect(params.appId).toBe(
        mode === 'partner' ? 'wx8888888888888888' : simulator.merchant.appid,
      );
      const message = buildV3Message(
        params.appId,
        params.timeStamp,
        params.nonceStr,
        params.package,
      );
      expect(verifyV3Message(message, params.paySign, simulator.merchant.publicKey)).toBe(true);
    });

    it('prepays App and builds App parameters with the right partnerid', async () => {
      const { prepay_id } = await wechatPay.payments.prepayApp({
        description: 'App order',
        out_trade_no: orderNo(),
        amount: { total: 1 },
      });
      const params = wechatPay.payments.appPayParams(prepay_id);
      expect(params).toMatchObject({
        prepayid: prepay_id,
        package: 'Sign=WXPay',
        partnerid: mode === 'partner' ? subMchid : simulator.merchant.mchid,
      });
      const message = buildV3Message(
        params.appid,
        params.timestamp,
        params.noncestr,
        params.prepayid,
      );
      expect(verifyV3Message(message, params.sign, simulator.merchant.publicKey)).toBe(true);
    });

    it('prepays H5 and Native', async () => {
      const h5 = await wechatPay.payments.prepayH5({
        description: 'H5 order',
        out_trade_no: orderNo(),
        amount: { total: 2 },
        scene_info: { payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } },
      });
      expect(h5.h5_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/simulator\/h5\?prepay_id=wx/);
      const native = await wechatPay.payments.prepayNative({
        description: 'Native order',
        out_trade_no: orderNo(),
        amount: { total: 3 },
      });
      expect(native.code_url).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    });

    it('queries an order before and after payment, by out_trade_no and by transaction_id', async () => {
      const outTradeNo = orderNo();
      await wechatPay.payments.prepayNative({
        description: 'Query me',
        out_trade_no: outTradeNo,
        amount: { total: 990 },
        attach: 'cart=7',
      });
      expect(await wechatPay.payments.queryByOutTradeNo(outTradeNo)).toMatchObject({
        trade_state: 'NOTPAY',
        out_trade_no: outTradeNo,
      });
      simulator.pay(outTradeNo);
      const paid = await wechatPay.payments.queryByOutTradeNo(outTradeNo);
      expect(paid).toMatchObject({
        trade_state: 'SUCCESS',
        attach: 'cart=7',
        amount: { total: 990, payer_total: 990, currency: 'CNY' },
      });
      if (mode === 'partner')
        expect(paid).toMatchObject({ sp_mchid: simulator.merchant.mchid, sub_mchid: subMchid });
      else expect(paid).toMatchObject({ mchid: simulator.merchant.mchid });
      expect(await wechatPay.payments.queryById(paid.transaction_id!)).toEqual(paid);
    });

    it('closes an unpaid order', async () => {
      const outTradeNo = orderNo();
      await wechatPay.payments.prepayNative({
        description: 'Close me',
        out_trade_no: outTradeNo,
        amount: { total: 5 },
      });
      await expect(wechatPay.payments.close(outTradeNo)).resolves.toBeUndefined();
      expect((await wechatPay.payments.queryByOutTradeNo(outTradeNo)).trade_state).toBe('CLOSED');
    });

    it('refunds, and queries the refund until it succeeds', async () => {
      const outTradeNo = orderNo();
      await wechatPay.payments.prepayNative({
        description: 'Refund me',
        out_trade_no: outTradeNo,
        amount: { total: 1000 },
      });
      simulator.pay(outTradeNo);
      const refund = await wechatPay.refunds.create({
        out_trade_no: outTradeNo,
        out_refund_no: `R${outTradeNo}`,
        reason: '不想要了',
        amount: { refund: 400, total: 1000, currency: 'CNY' },
      });
      expect(refund).toMatchObject({
        status: 'PROCESSING',
        out_trade_no: outTradeNo,
        amount: { refund: 400, total: 1000 },
      });
      simulator.completeRefund(`R${outTradeNo}`);
      expect(await wechatPay.refunds.query(`R${outTradeNo}`)).toMatchObject({
        status: 'SUCCESS',
        refund_id: refund.refund_id,
      });
      await expect(
        wechatPay.refunds.create({
          out_trade_no: outTradeNo,
          out_refund_no: `S${outTradeNo}`,
          amount: { refund: 700, total: 1000 },
        }),
      ).rejects.toMatchObject({ status: 403, code: 'NOT_ENOUGH' });
    });

    it('applies for and downloads trade and fund-flow bills, plain and gzip, hash checked', async () => {
      const outTradeNo = orderNo('BILL');
      await wechatPay.payments.prepayNative({
        description: 'Billed',
        out_trade_no: outTradeNo,
        amount: { total: 4321 },
      });
      simulator.pay(outTradeNo);
      const plain = await wechatPay.bills.tradeBill({ bill_date: today(), bill_type: 'ALL' });
      const text = await wechatPay.bills.downloadText(plain);
      expect(text).toContain(`\`${outTradeNo}`);
      expect(createHash('sha1').update(text).digest('hex')).toBe(plain.hash_value);
      const gzip = await wechatPay.bills.tradeBill({ bill_date: today(), tar_type: 'GZIP' });
      expect(await wechatPay.bills.downloadText(gzip, { gzip: true })).toBe(text);
      const fundFlow = await wechatPay.bills.fundFlowBill({
        bill_date: today(),
        account_type: 'BASIC',
      });
      expect(await wechatPay.bills.downloadText(fundFlow)).toContain('43.21');
    });

    it('fails the bill stream when the file does not match its hash', async () => {
      const bill = await wechatPay.bills.tradeBill({ bill_date: today() });
      const wrong = { ...bill, hash_value: '0'.repeat(40) };
      await expect(wechatPay.bills.downloadText(wrong)).rejects.toThrow(
        /does not match its SHA1 hash/,
      );
    });

    it('encrypts sensitive fields for the platform key and names its serial', async () => {
      const { ciphertext, serial } = await wechatPay.encryptSensitive('张三');
      expect(serial).toBe(simulator.platformSerial);
      expect(simulator.decryptSensitive(ciphertext, serial)).toBe('张三');
    });

    it('calls any v3 endpoint through request() with the same signing and verification', async () => {
      const outTradeNo = orderNo();
      await wechatPay.payments.prepayNative({
        description: 'Generic',
        out_trade_no: outTradeNo,
        amount: { total: 8 },
      });
      const path =
        mode === 'partner'
          ? '/v3/pay/partner/transactions/out-trade-no/'
          : '/v3/pay/transactions/out-trade-no/';
      const query =
        mode === 'partner'
          ? { sp_mchid: simulator.merchant.mchid, sub_mchid: subMchid }
          : { mchid: simulator.merchant.mchid };
      const response = await wechatPay.request<{ out_trade_no: string }>(
        'GET',
        path + outTradeNo,
        undefined,
        { query },
      );
      expect(response.status).toBe(200);
      expect(response.data.out_trade_no).toBe(outTradeNo);
      expect(response.requestId).toMatch(/^08/);
    });

    it('signs the path exactly as sent, so non-ASCII and spaces in a path verify', async () => {
      for (const path of [
        '/v3/refund/domestic/refunds/R咖啡1',
        '/v3/refund/domestic/refunds/R 1',
      ]) {
        const error = await wechatPay.request('GET', path).catch((e: unknown) => e);
        expect(error).toMatchObject({ status: 404, code: 'RESOURCE_NOT_EXISTS' });
      }
    });

    it('maps an error answer to WechatPayApiError with status, code, message and Request-ID', async () => {
      const error = await wechatPay.payments
        .queryByOutTradeNo('NO_SUCH_ORDER')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WechatPayApiError);
      expect(error).toMatchObject({
        status: 404,
        code: 'ORDER_NOT_EXIST',
        requestId: expect.stringMatching(/^08/),
      });
      expect((error as Error).message).toContain('订单不存在');
    });

    it('rejects invalid input before any request reaches the simulator', async () => {
      const before = simulator.requests.length;
      const attempts = [
        wechatPay.payments.prepayNative({
          description: 'x',
          out_trade_no: 'abc',
          amount: { total: 1 },
        }),
        wechatPay.payments.prepayNative({
          description: 'x',
          out_trade_no: orderNo(),
          amount: { total: 9.99 },
        }),
        wechatPay.payments.prepayNative({
          description: 'x'.repeat(128),
          out_trade_no: orderNo(),
          amount: { total: 1 },
        }),
        wechatPay.payments.prepayJsapi({
          description: 'x',
          out_trade_no: orderNo(),
          amount: { total: 1 },
        } as never),
        wechatPay.refunds.create({
          out_trade_no: orderNo(),
          out_refund_no: 'R1',
          amount: { refund: 2, total: 1 },
        }),
        wechatPay.bills.tradeBill({ bill_date: '2026/06/08' }),
      ];
      const fields = [
        'out_trade_no',
        'amount.total',
        'description',
        'payer',
        'amount.refund',
        'bill_date',
      ];
      const results = await Promise.allSettled(attempts);
      results.forEach((result, index) => {
        expect(result.status).toBe('rejected');
        const reason = (result as PromiseRejectedResult).reason as WechatPayValidationError;
        expect(reason).toBeInstanceOf(WechatPayValidationError);
        expect(reason.problems.map((p) => p.field)).toContain(fields[index]);
      });
      expect(simulator.requests.length).toBe(before);
    });

    if (mode === 'partner') {
      it('lets each call override the sub-merchant', async () => {
        const outTradeNo = orderNo();
        await wechatPay.payments.prepayNative({
          description: 'Other shop',
          out_trade_no: outTradeNo,
          amount: { total: 6 },
          sub_mchid: '1900000222',
        });
        await expect(wechatPay.payments.queryByOutTradeNo(outTradeNo)).rejects.toMatchObject({
          code: 'ORDER_NOT_EXIST',
        });
        expect(
          await wechatPay.payments.queryByOutTradeNo(outTradeNo, { subMchid: '1900000222' }),
        ).toMatchObject({ sub_mchid: '1900000222' });
        expect(simulator.requests.at(-1)?.path).toContain('sub_mchid=1900000222');
      });
    }
  },
);
