import { describe, expect, it } from 'vitest';
import { WechatPayValidationError } from '../../../../lib/index.js';
import {
  MerchantIdentity,
  type MerchantIdentityConfig,
} from '../../../../lib/core/merchant/merchant-identity.js';
import {
  v2MerchantFields,
  v2OrderFields,
  v2RefundFields,
} from '../../../../lib/core/merchant/v2-merchant-fields.js';
import {
  v3AppFields,
  v3OrderFields,
  v3ProfitSharingFields,
  v3RefundFields,
  v3Requester,
  v3WithSubMchid,
} from '../../../../lib/core/merchant/v3-merchant-fields.js';

const APPID = 'wx0000000000000000';
const SUB_APPID = 'wx2222222222222222';
const NOTIFY = 'https://shop.example.com/notify';
const REFUND_NOTIFY = 'https://shop.example.com/refund-notify';

function identity(config: Partial<MerchantIdentityConfig> = {}): MerchantIdentity {
  return new MerchantIdentity({
    mode: 'merchant',
    mchid: '1900000109',
    appid: APPID,
    appids: [],
    subMchid: undefined,
    subAppid: undefined,
    notifyUrl: NOTIFY,
    refundNotifyUrl: REFUND_NOTIFY,
    ...config,
  });
}

const partner = () =>
  identity({ mode: 'partner', mchid: '1900000100', subMchid: '1900000109', subAppid: SUB_APPID });

describe('API v3 merchant fields, shared by every v3 product', () => {
  it('an ordinary order names appid and mchid and gets the default notify_url', () => {
    expect(v3OrderFields(identity(), { out_trade_no: 'ORDER1' }, 'order')).toEqual({
      out_trade_no: 'ORDER1',
      appid: APPID,
      mchid: '1900000109',
      notify_url: NOTIFY,
    });
  });

  it('a partner order names sp_appid, sp_mchid, sub_mchid and sub_appid; a given appid becomes sp_appid', () => {
    expect(
      v3OrderFields(
        partner(),
        { out_trade_no: 'ORDER1', appid: APPID, sub_mchid: '1900000110' },
        'order',
      ),
    ).toEqual({
      out_trade_no: 'ORDER1',
      sp_appid: APPID,
      sp_mchid: '1900000100',
      sub_mchid: '1900000110',
      sub_appid: SUB_APPID,
      notify_url: NOTIFY,
    });
  });

  it('code payments name the merchant and AppID without a notify_url; a partner reversal may go without sp_appid', () => {
    expect(v3AppFields(identity({ notifyUrl: undefined }), { out_trade_no: 'T1' }, 'pay')).toEqual({
      out_trade_no: 'T1',
      appid: APPID,
      mchid: '1900000109',
    });
    const noAppid = identity({
      mode: 'partner',
      mchid: '1900000100',
      appid: undefined,
      subMchid: '1900000109',
    });
    expect(v3AppFields(noAppid, {}, 'reverse', { appidOptional: true })).toEqual({
      sp_mchid: '1900000100',
      sub_mchid: '1900000109',
    });
    expect(() => v3AppFields(noAppid, {}, 'pay')).toThrow(/appid: is required/);
    expect(() =>
      v3AppFields(identity({ appid: undefined }), {}, 'reverse', { appidOptional: true }),
    ).toThrow(/appid: is required/);
  });

  it('queries, closes and trade bills name the requester by mode; sub_mchid is dropped outside partner mode', () => {
    expect(v3Requester(identity(), '1900000110', 'query')).toEqual({ mchid: '1900000109' });
    expect(v3Requester(partner(), undefined, 'query')).toEqual({
      sp_mchid: '1900000100',
      sub_mchid: '1900000109',
    });
    expect(v3WithSubMchid(identity(), { bill_date: '2026-06-08', sub_mchid: '1' }, 'bill')).toEqual(
      {
        bill_date: '2026-06-08',
      },
    );
    expect(v3WithSubMchid(partner(), { bill_date: '2026-06-08' }, 'bill')).toEqual({
      bill_date: '2026-06-08',
      sub_mchid: '1900000109',
    });
  });

  it('a refund gets refundNotifyUrl unless it names its own, and partners name the sub-merchant', () => {
    expect(v3RefundFields(identity(), { out_refund_no: 'R1' }, 'refund')).toEqual({
      out_refund_no: 'R1',
      notify_url: REFUND_NOTIFY,
    });
    expect(
      v3RefundFields(
        partner(),
        { out_refund_no: 'R1', notify_url: 'https://x.example/n' },
        'refund',
      ),
    ).toEqual({ out_refund_no: 'R1', sub_mchid: '1900000109', notify_url: 'https://x.example/n' });
  });

  it('a partner call without any sub-merchant is refused before sending', () => {
    const noSub = identity({ mode: 'partner' });
    expect(() => v3Requester(noSub, undefined, 'query')).toThrow(WechatPayValidationError);
    expect(() => v3OrderFields(noSub, { out_trade_no: 'ORDER1' }, 'order')).toThrow(
      /sub_mchid: is required in partner mode/,
    );
  });
});

describe('API v2 merchant fields, shared by every v2 product', () => {
  it('names appid, and in partner mode sub_mch_id and sub_appid, from the options unless given', () => {
    expect(v2MerchantFields(identity(), { out_trade_no: 'O1' }, 'orderquery')).toEqual({
      out_trade_no: 'O1',
      appid: APPID,
    });
    expect(
      v2MerchantFields(partner(), { out_trade_no: 'O1', sub_mch_id: '1900000110' }, 'q'),
    ).toEqual({
      out_trade_no: 'O1',
      appid: APPID,
      sub_mch_id: '1900000110',
      sub_appid: SUB_APPID,
    });
  });

  it('an order needs a notify_url; a refund defaults to refundNotifyUrl', () => {
    expect(v2OrderFields(identity(), { out_trade_no: 'O1' }, 'unifiedorder')).toMatchObject({
      notify_url: NOTIFY,
    });
    expect(() =>
      v2OrderFields(identity({ notifyUrl: undefined }), { out_trade_no: 'O1' }, 'unifiedorder'),
    ).toThrow(/notify_url: is required/);
    expect(v2RefundFields(identity(), { out_refund_no: 'R1' }, 'refund')).toMatchObject({
      notify_url: REFUND_NOTIFY,
    });
  });

  it('profit sharing: merchants name an AppID only; partners add sub_mchid and sub_appid', () => {
    expect(
      v3ProfitSharingFields(identity(), { type: 'MERCHANT_ID', sub_appid: SUB_APPID }, 'x', true),
    ).toEqual({
      appid: APPID,
      type: 'MERCHANT_ID',
    });
    expect(v3ProfitSharingFields(partner(), { type: 'MERCHANT_ID' }, 'x', true)).toEqual({
      sub_mchid: '1900000109',
      appid: APPID,
      sub_appid: SUB_APPID,
      type: 'MERCHANT_ID',
    });
  });

  it('profit sharing: a split sends the AppID when there is one, a receiver call requires it', () => {
    const noAppid = identity({ appid: undefined });
    expect(v3ProfitSharingFields(noAppid, { out_order_no: 'S1' }, 'split', false)).toEqual({
      out_order_no: 'S1',
    });
    expect(() => v3ProfitSharingFields(noAppid, {}, 'receiver', true)).toThrow(
      WechatPayValidationError,
    );
    expect(() =>
      v3ProfitSharingFields(identity({ mode: 'partner', subMchid: undefined }), {}, 'split', false),
    ).toThrow(/sub_mchid/);
  });
});
