import { afterEach, describe, expect, it } from 'vitest';
import { buildV3Message, verifyV2, verifyV3Message } from '../../../../../lib/core/crypto/index.js';
import {
  resolveWechatPayConfig,
  WechatPayClient,
  type WechatPayOptions,
  WechatPayValidationError,
} from '../../../../../lib/index.js';
import { createTestMerchant } from '../../../../../lib/testing/index.js';

const merchant = createTestMerchant();
const PREPAY_ID = 'wx201410272009395522657a690389285100';
const SUB_MCHID = '1900000109';
const OTHER_SUB_MCHID = '1900000110';
const SUB_APPID = 'wx8888888888888888';

let client: WechatPayClient | undefined;
afterEach(() => client?.close());

function clientWith(options: Partial<WechatPayOptions>): WechatPayClient {
  client = new WechatPayClient(resolveWechatPayConfig({ ...merchant.options, ...options }));
  return client;
}

/** v2 and v3 App parameters for the same order, each checked to be correctly signed. */
async function appParamsBoth(
  wechatPay: WechatPayClient,
  subMchid?: string,
): Promise<{ appid: string; partnerid: string }[]> {
  const v3 = wechatPay.payments.appPayParams(PREPAY_ID, undefined, { subMchid });
  const v3Message = buildV3Message(v3.appid, v3.timestamp, v3.noncestr, v3.prepayid);
  expect(verifyV3Message(v3Message, v3.sign, merchant.publicKey)).toBe(true);
  const v2 = await wechatPay.v2.payments.appPayParams(PREPAY_ID, { subMchid });
  expect(verifyV2({ ...v2 }, merchant.apiKey, 'MD5')).toBe(true);
  return [v3, v2].map(({ appid, partnerid }) => ({ appid, partnerid }));
}

describe('App pay parameters: one rule for who the merchant is, v2 and v3 alike', () => {
  it('an ordinary merchant: its own mchid and appid', async () => {
    const both = await appParamsBoth(clientWith({}));
    expect(both).toEqual([
      { appid: merchant.appid, partnerid: merchant.mchid },
      { appid: merchant.appid, partnerid: merchant.mchid },
    ]);
  });

  it('partner mode: partnerid is the sub-merchant and appid the sub-merchant AppID', async () => {
    const wechatPay = clientWith({ mode: 'partner', subMchid: SUB_MCHID, subAppid: SUB_APPID });
    expect(await appParamsBoth(wechatPay)).toEqual([
      { appid: SUB_APPID, partnerid: SUB_MCHID },
      { appid: SUB_APPID, partnerid: SUB_MCHID },
    ]);
  });

  it('partner mode: a per-call sub-merchant is the partnerid, in v2 as in v3', async () => {
    const wechatPay = clientWith({ mode: 'partner', subMchid: SUB_MCHID, subAppid: SUB_APPID });
    expect(await appParamsBoth(wechatPay, OTHER_SUB_MCHID)).toEqual([
      { appid: SUB_APPID, partnerid: OTHER_SUB_MCHID },
      { appid: SUB_APPID, partnerid: OTHER_SUB_MCHID },
    ]);
  });

  it('partner mode without sub_appid: appid is the service provider AppID', async () => {
    const wechatPay = clientWith({ mode: 'partner', subMchid: SUB_MCHID });
    expect(await appParamsBoth(wechatPay)).toEqual([
      { appid: merchant.appid, partnerid: SUB_MCHID },
      { appid: merchant.appid, partnerid: SUB_MCHID },
    ]);
  });

  it('partner mode with no sub-merchant at all: a typed error, not the service provider as payee', async () => {
    const wechatPay = clientWith({ mode: 'partner' });
    const v3 = (() => {
      try {
        return wechatPay.payments.appPayParams(PREPAY_ID);
      } catch (error) {
        return error;
      }
    })();
    const v2 = await wechatPay.v2.payments.appPayParams(PREPAY_ID).catch((error: unknown) => error);
    for (const error of [v3, v2]) {
      expect(error).toBeInstanceOf(WechatPayValidationError);
      expect((error as WechatPayValidationError).problems).toEqual([
        { field: 'subMchid', message: expect.stringMatching(/subMchid in the module options/) },
      ]);
    }
  });
});
