import { describe, expect, it } from 'vitest';
import { WechatPayValidationError } from '../../../../lib/index.js';
import {
  MerchantIdentity,
  type MerchantIdentityConfig,
  notificationAppidField,
  notificationOwner,
} from '../../../../lib/core/merchant/merchant-identity.js';
import {
  v3CombineFields,
  v3CombineOrderFields,
} from '../../../../lib/core/merchant/v3-combine-fields.js';

const APPID = 'wx0000000000000000';
const SUB_APPID = 'wx2222222222222222';
const NOTIFY = 'https://shop.example.com/notify';

function identity(config: Partial<MerchantIdentityConfig> = {}): MerchantIdentity {
  return new MerchantIdentity({
    mode: 'merchant',
    mchid: '1900000109',
    appid: APPID,
    appids: [],
    subMchid: undefined,
    subAppid: undefined,
    notifyUrl: NOTIFY,
    refundNotifyUrl: undefined,
    ...config,
  });
}
const partner = () =>
  identity({ mode: 'partner', mchid: '1900000100', subMchid: '1900000109', subAppid: SUB_APPID });

const sub = (outTradeNo: string, extra: Record<string, string> = {}) => ({
  out_trade_no: outTradeNo,
  ...extra,
});

describe('combine payment merchant fields', () => {
  it('an ordinary merchant names combine_appid, combine_mchid and each sub-order’s mchid', () => {
    expect(
      v3CombineOrderFields(
        identity(),
        {
          combine_out_trade_no: 'CART01',
          sub_orders: [sub('CART01A'), sub('CART01B', { mchid: '1900000200' })],
        },
        'combine',
      ),
    ).toEqual({
      combine_out_trade_no: 'CART01',
      combine_appid: APPID,
      combine_mchid: '1900000109',
      notify_url: NOTIFY,
      // Another merchant bound to the AppID may take a sub-order.
      sub_orders: [
        { out_trade_no: 'CART01A', mchid: '1900000109' },
        { out_trade_no: 'CART01B', mchid: '1900000200' },
      ],
    });
  });

  it('a service provider names itself on every sub-order and the sub-merchant in sub_mchid', () => {
    const fields = v3CombineOrderFields(
      partner(),
      {
        combine_out_trade_no: 'CART02',
        sub_orders: [sub('CART02A'), sub('CART02B', { sub_mchid: '1900000110' })],
      },
      'combine',
    );
    expect(fields).toMatchObject({ combine_appid: APPID, combine_mchid: '1900000100' });
    expect(fields.sub_orders).toEqual([
      {
        out_trade_no: 'CART02A',
        mchid: '1900000100',
        sub_mchid: '1900000109',
        sub_appid: SUB_APPID,
      },
      {
        out_trade_no: 'CART02B',
        mchid: '1900000100',
        sub_mchid: '1900000110',
        sub_appid: SUB_APPID,
      },
    ]);
  });

  it.each([
    ['one sub-order of an ordinary merchant', identity(), [sub('A00001')], /2 to 10/],
    [
      'eleven sub-orders of an ordinary merchant',
      identity(),
      Array.from({ length: 11 }, (_, i) => sub(`A0000${i}X`)),
      /2 to 10/,
    ],
    ['no sub-order of a service provider', partner(), [], /1 to 50/],
    ['a repeated sub-order number', identity(), [sub('A00001'), sub('A00001')], /repeats/],
    [
      'sub_mchid in merchant mode',
      identity(),
      [sub('A00001'), sub('A00002', { sub_mchid: '1900000110' })],
      /sub_orders\[1\]\.sub_mchid.*partner mode/,
    ],
    [
      'another mchid in partner mode',
      partner(),
      [sub('A00001', { mchid: '1900000999' })],
      /sub_orders\[0\]\.mchid.*service provider/,
    ],
    [
      'no sub-merchant in partner mode',
      identity({ mode: 'partner', mchid: '1900000100' }),
      [sub('A00001')],
      /sub_orders\[0\]\.sub_mchid.*required in partner mode/,
    ],
  ])('refuses %s before sending', (_, merchant, subOrders, message) => {
    const run = () =>
      v3CombineOrderFields(
        merchant,
        { combine_out_trade_no: 'CART03', sub_orders: subOrders },
        'combine',
      );
    expect(run).toThrow(WechatPayValidationError);
    expect(run).toThrow(message);
  });

  it('refuses a combine_mchid other than the signing merchant and an undeclared combine_appid', () => {
    const merchant = identity({ appids: ['wx1111111111111111'] });
    const order = { combine_out_trade_no: 'CART04', sub_orders: [sub('A00001'), sub('A00002')] };
    expect(() =>
      v3CombineOrderFields(merchant, { ...order, combine_mchid: '1900000999' }, 'combine'),
    ).toThrow(/combine_mchid.*1900000109/);
    expect(() =>
      v3CombineOrderFields(merchant, { ...order, combine_appid: 'wx9999999999999999' }, 'combine'),
    ).toThrow(/combine_appid.*appids option/);
  });

  it('closing names the same identity without amounts or notify URL', () => {
    expect(v3CombineFields(partner(), { sub_orders: [sub('A00001')] }, 'close')).toEqual({
      combine_appid: APPID,
      sub_orders: [
        {
          out_trade_no: 'A00001',
          mchid: '1900000100',
          sub_mchid: '1900000109',
          sub_appid: SUB_APPID,
        },
      ],
    });
  });
});

describe('notificationOwner and notificationAppidField', () => {
  it.each([
    [{ mchid: '1', appid: 'a' }, '1', 'appid'],
    [{ sp_mchid: '2', sp_appid: 'b', sub_mchid: '3' }, '2', 'sp_appid'],
    [
      { combine_mchid: '4', combine_appid: 'c', sub_orders: [{ mchid: '5' }] },
      '4',
      'combine_appid',
    ],
    [{ out_refund_no: 'R1' }, undefined, 'appid'],
  ])('reads the merchant and the AppID field of %j', (payload, mchid, appidField) => {
    expect(notificationOwner(payload)).toBe(mchid);
    expect(notificationAppidField(payload)).toBe(appidField);
  });
});
