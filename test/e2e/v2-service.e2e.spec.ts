import type { INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveWechatPayConfig,
  type V2SignType,
  WechatPayApiError,
  WechatPayConfigError,
  WechatPayError,
  type WechatPayOptions,
  WechatPayService,
  WechatPaySignatureError,
  WechatPayValidationError,
} from '../../lib/index.js';
import { verifyV2 } from '../../lib/core/crypto/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { bootWechatPay, NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const today = () =>
  new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
const order = (extra: Record<string, unknown> = {}) => ({
  body: '腾讯充值中心-QQ会员充值',
  out_trade_no: orderNo('V2'),
  total_fee: 88,
  spbill_create_ip: '123.12.12.123',
  trade_type: 'NATIVE' as const,
  ...extra,
});

let simulator: WechatPaySimulator;
beforeAll(async () => {
  simulator = await new WechatPaySimulator({ https: true }).start();
});
afterAll(() => simulator.stop());

async function boot(options: Partial<WechatPayOptions> = {}) {
  return bootWechatPay(
    simulator.moduleOptions({ https: true, notifyUrl: NO_RECEIVER_NOTIFY_URL, ...options }),
  );
}

describe.each(['MD5', 'HMAC-SHA256'] as V2SignType[])('service.v2 with %s', (v2SignType) => {
  let app: INestApplication;
  let wechatPay: WechatPayService;
  beforeAll(async () => {
    ({ app, wechatPay } = await boot({ v2SignType }));
  });
  afterAll(() => app.close());
  const key = () => simulator.merchant.apiKey;

  it('unifiedorder for NATIVE, JSAPI, APP and MWEB', async () => {
    const native = await wechatPay.v2.payments.unifiedOrder(order());
    expect(native).toMatchObject({
      return_code: 'SUCCESS',
      result_code: 'SUCCESS',
      trade_type: 'NATIVE',
    });
    expect(native.code_url).toMatch(/^weixin:\/\/wxpay\/bizpayurl/);
    const jsapi = await wechatPay.v2.payments.unifiedOrder(
      order({ trade_type: 'JSAPI', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }),
    );
    expect(jsapi.prepay_id).toMatch(/^wx/);
    expect(
      (await wechatPay.v2.payments.unifiedOrder(order({ trade_type: 'APP' }))).prepay_id,
    ).toMatch(/^wx/);
    expect(
      (await wechatPay.v2.payments.unifiedOrder(order({ trade_type: 'MWEB' }))).mweb_url,
    ).toMatch(/^https:\/\//);
  });

  it('JSAPI and App client parameters verify with verifyV2 and have the documented fields', async () => {
    const { prepay_id } = await wechatPay.v2.payments.unifiedOrder(
      order({ trade_type: 'JSAPI', openid: 'o1' }),
    );
    const jsapi = await wechatPay.v2.payments.jsapiPayParams(prepay_id);
    expect(Object.keys(jsapi).sort()).toEqual([
      'appId',
      'nonceStr',
      'package',
      'paySign',
      'signType',
      'timeStamp',
    ]);
    expect(jsapi).toMatchObject({
      appId: simulator.merchant.appid,
      package: `prepay_id=${prepay_id}`,
      signType: v2SignType,
    });
    expect(verifyV2({ ...jsapi, sign: jsapi.paySign, paySign: undefined }, key(), v2SignType)).toBe(
      true,
    );
    const appParams = await wechatPay.v2.payments.appPayParams(prepay_id);
    expect(Object.keys(appParams).sort()).toEqual([
      'appid',
      'noncestr',
      'package',
      'partnerid',
      'prepayid',
      'sign',
      'timestamp',
    ]);
    expect(appParams).toMatchObject({
      partnerid: simulator.merchant.mchid,
      package: 'Sign=WXPay',
      prepayid: prepay_id,
    });
    expect(verifyV2({ ...appParams }, key(), v2SignType)).toBe(true);
  });

  it('orderquery before and after payment, and closeorder', async () => {
    const placed = order();
    await wechatPay.v2.payments.unifiedOrder(placed);
    expect(
      (await wechatPay.v2.payments.query({ out_trade_no: placed.out_trade_no })).trade_state,
    ).toBe('NOTPAY');
    simulator.pay(placed.out_trade_no);
    const paid = await wechatPay.v2.payments.query({ out_trade_no: placed.out_trade_no });
    expect(paid).toMatchObject({ trade_state: 'SUCCESS', total_fee: '88' });
    expect(
      await wechatPay.v2.payments.query({ transaction_id: paid.transaction_id }),
    ).toMatchObject({
      out_trade_no: placed.out_trade_no,
    });
    const other = order();
    await wechatPay.v2.payments.unifiedOrder(other);
    await wechatPay.v2.payments.close(other.out_trade_no);
    expect(
      (await wechatPay.v2.payments.query({ out_trade_no: other.out_trade_no })).trade_state,
    ).toBe('CLOSED');
    await expect(wechatPay.v2.payments.close(other.out_trade_no)).rejects.toMatchObject({
      code: 'ORDERCLOSED',
    });
  });

  it('an injected v2Error fault answers a signed result_code FAIL with that err_code', async () => {
    simulator.injectFault({ type: 'v2Error', code: 'SYSTEMERROR' }, { listener: 'any' });
    await expect(wechatPay.v2.payments.query({ out_trade_no: 'ANY' })).rejects.toMatchObject({
      status: 200,
      code: 'SYSTEMERROR',
    });
  });

  it('micropay, then reverse with the client certificate', async () => {
    const paid = await wechatPay.v2.payments.micropay({
      ...order(),
      auth_code: '134567890123456789',
    });
    expect(paid).toMatchObject({ result_code: 'SUCCESS', trade_state: 'SUCCESS' });
    expect(await wechatPay.v2.payments.reverse({ out_trade_no: paid.out_trade_no })).toMatchObject({
      recall: 'N',
    });
  });

  it('refund with the client certificate, and refundquery', async () => {
    const placed = order({ total_fee: 1000 });
    await wechatPay.v2.payments.unifiedOrder(placed);
    simulator.pay(placed.out_trade_no);
    const refund = await wechatPay.v2.refunds.create({
      out_trade_no: placed.out_trade_no,
      out_refund_no: `R${placed.out_trade_no}`,
      total_fee: 1000,
      refund_fee: 300,
    });
    expect(refund).toMatchObject({ result_code: 'SUCCESS', refund_fee: '300' });
    expect(
      (await wechatPay.v2.refunds.query({ out_refund_no: `R${placed.out_trade_no}` }))
        .refund_status_0,
    ).toBe('PROCESSING');
    simulator.completeRefund(`R${placed.out_trade_no}`);
    expect(
      (await wechatPay.v2.refunds.query({ out_trade_no: placed.out_trade_no })).refund_status_0,
    ).toBe('SUCCESS');
  });

  it('downloadbill and downloadfundflow', async () => {
    const placed = order({ total_fee: 4321 });
    await wechatPay.v2.payments.unifiedOrder(placed);
    simulator.pay(placed.out_trade_no);
    expect(await wechatPay.v2.bills.downloadTradeBill({ bill_date: today() })).toContain(
      `\`${placed.out_trade_no}`,
    );
    expect(
      await wechatPay.v2.bills.downloadFundFlowBill({ bill_date: today(), account_type: 'Basic' }),
    ).toContain('43.21');
  });

  it('maps result_code FAIL to WechatPayApiError with err_code and err_code_des', async () => {
    const error = await wechatPay.v2.payments
      .query({ out_trade_no: 'NOSUCHORDER' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayApiError);
    expect(error).toMatchObject({
      code: 'ORDERNOTEXIST',
      message: expect.stringContaining('此交易订单号不存在'),
    });
  });

  it('rejects an answer whose sign does not verify, returning no data', async () => {
    const placed = order();
    await wechatPay.v2.payments.unifiedOrder(placed);
    simulator.tamperNextResponse({ body: true });
    await expect(
      wechatPay.v2.payments.query({ out_trade_no: placed.out_trade_no }),
    ).rejects.toBeInstanceOf(WechatPaySignatureError);
  });

  it('calls any endpoint through request()', async () => {
    const placed = order();
    await wechatPay.v2.payments.unifiedOrder(placed);
    expect(
      await wechatPay.v2.request('/pay/orderquery', {
        appid: simulator.merchant.appid,
        out_trade_no: placed.out_trade_no,
      }),
    ).toMatchObject({ trade_state: 'NOTPAY' });
  });
});

describe('client certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-p12-'));
  const pem = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const p12 = (name: string, passphrase: string, legacy = false) => {
    const keyPath = pem('key.pem', simulator.merchant.privateKeyPem);
    const certPath = pem('cert.pem', simulator.clientCertificatePem());
    const out = join(dir, name);
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      ...(legacy ? ['-legacy'] : []),
      '-inkey',
      keyPath,
      '-in',
      certPath,
      '-out',
      out,
      '-passout',
      `pass:${passphrase}`,
    ]);
    return out;
  };
  const paidOrder = async (wechatPay: WechatPayService) => {
    const placed = order({ total_fee: 10 });
    await wechatPay.v2.payments.unifiedOrder(placed);
    simulator.pay(placed.out_trade_no);
    return placed.out_trade_no;
  };

  it('refund and reverse fail without it: refused before sending, and by WeChat Pay if sent anyway', async () => {
    const { app, wechatPay } = await boot({ clientCert: undefined });
    try {
      const outTradeNo = await paidOrder(wechatPay);
      await expect(
        wechatPay.v2.refunds.create({
          out_trade_no: outTradeNo,
          out_refund_no: 'RX1',
          total_fee: 10,
          refund_fee: 1,
        }),
      ).rejects.toThrow(/needs the merchant client certificate/);
      await expect(
        wechatPay.v2.payments.reverse({ out_trade_no: outTradeNo }),
      ).rejects.toBeInstanceOf(WechatPayError);
      const sentAnyway = await wechatPay.v2
        .request('/secapi/pay/refund', {
          appid: simulator.merchant.appid,
          out_trade_no: outTradeNo,
          out_refund_no: 'RX1',
          total_fee: 10,
          refund_fee: 1,
        })
        .catch((e: unknown) => e);
      expect(sentAnyway).toBeInstanceOf(WechatPayApiError);
      expect((sentAnyway as Error).message).toMatch(/证书错误/);
    } finally {
      await app.close();
    }
  });

  it('works from a PKCS#12 file with the default passphrase (the mchid)', async () => {
    const { app, wechatPay } = await boot({
      clientCert: undefined,
      pfxPath: p12('apiclient_cert.p12', simulator.merchant.mchid),
    });
    try {
      const outTradeNo = await paidOrder(wechatPay);
      expect(
        await wechatPay.v2.refunds.create({
          out_trade_no: outTradeNo,
          out_refund_no: `R${outTradeNo}`,
          total_fee: 10,
          refund_fee: 10,
        }),
      ).toMatchObject({ result_code: 'SUCCESS' });
    } finally {
      await app.close();
    }
  });

  it('works from PEM files (clientCertPath + the private key)', async () => {
    const { app, wechatPay } = await boot({
      clientCert: undefined,
      clientCertPath: pem('apiclient_cert.pem', simulator.clientCertificatePem()),
    });
    try {
      const outTradeNo = await paidOrder(wechatPay);
      expect(await wechatPay.v2.payments.reverse({ out_trade_no: outTradeNo })).toMatchObject({
        result_code: 'SUCCESS',
      });
    } finally {
      await app.close();
    }
  });

  it('a wrong passphrase and an OpenSSL-3-incompatible PKCS#12 stop start-up with the fix', () => {
    const base = { ...simulator.moduleOptions({ https: true }), clientCert: undefined };
    const wrong = (() => {
      try {
        resolveWechatPayConfig({ ...base, pfx: readFileSync(p12('wrong.p12', 'something-else')) });
      } catch (e) {
        return e;
      }
    })();
    expect(wrong).toBeInstanceOf(WechatPayConfigError);
    expect((wrong as Error).message).toMatch(/passphrase is wrong/);
    const legacy = (() => {
      try {
        resolveWechatPayConfig({
          ...base,
          pfxPath: p12('legacy.p12', simulator.merchant.mchid, true),
        });
      } catch (e) {
        return e;
      }
    })();
    expect(legacy).toBeInstanceOf(WechatPayConfigError);
    expect((legacy as Error).message).toMatch(
      /OpenSSL 3 cannot read this PKCS#12.*openssl pkcs12 -legacy/s,
    );
  });
});

describe('sandbox', () => {
  it('fetches the sandbox sign key, uses it and the sandbox paths; live and sandbox switch by configuration', async () => {
    const sandbox = await boot({ sandbox: true });
    const live = await boot({ sandbox: false });
    try {
      const before = simulator.requests.length;
      expect((await sandbox.wechatPay.v2.payments.unifiedOrder(order())).result_code).toBe(
        'SUCCESS',
      );
      expect((await sandbox.wechatPay.v2.payments.unifiedOrder(order())).result_code).toBe(
        'SUCCESS',
      );
      const paths = simulator.requests.slice(before).map((r) => r.path);
      expect(paths).toEqual([
        '/xdc/apiv2getsignkey/sign/getsignkey',
        '/xdc/apiv2sandbox/pay/unifiedorder',
        '/xdc/apiv2sandbox/pay/unifiedorder',
      ]);
      await live.wechatPay.v2.payments.unifiedOrder(order());
      expect(simulator.requests.at(-1)?.path).toBe('/pay/unifiedorder');
    } finally {
      await sandbox.app.close();
      await live.app.close();
    }
  });
});

describe('validation', () => {
  it('rejects invalid v2 input before any request', async () => {
    const { app, wechatPay } = await boot();
    try {
      const before = simulator.requests.length;
      const attempts = [
        wechatPay.v2.payments.unifiedOrder(order({ total_fee: 1.5 })),
        wechatPay.v2.payments.unifiedOrder(order({ trade_type: 'JSAPI' })),
        wechatPay.v2.refunds.create({
          out_trade_no: 'X123456',
          out_refund_no: 'R1',
          total_fee: 1,
          refund_fee: 2,
        }),
        wechatPay.v2.payments.micropay({ ...order(), auth_code: '12' }),
      ];
      const fields = ['total_fee', 'openid', 'refund_fee', 'auth_code'];
      const results = await Promise.allSettled(attempts);
      results.forEach((result, i) => {
        const reason = (result as PromiseRejectedResult).reason as WechatPayValidationError;
        expect(reason).toBeInstanceOf(WechatPayValidationError);
        expect(reason.problems.map((p) => p.field)).toContain(fields[i]);
      });
      expect(simulator.requests.length).toBe(before);
    } finally {
      await app.close();
    }
  });
});
