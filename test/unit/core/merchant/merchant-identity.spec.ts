import { describe, expect, it } from 'vitest';
import { WechatPayNotificationError, WechatPayValidationError } from '../../../../lib/index.js';
import {
  acceptedAppids,
  assertNotificationAppid,
  MerchantIdentity,
  type MerchantIdentityConfig,
  notificationMerchants,
} from '../../../../lib/core/merchant/merchant-identity.js';

const OFFICIAL_ACCOUNT = 'wx0000000000000000';
const MINI_PROGRAM = 'wx1111111111111111';
const STRANGER = 'wx9999999999999999';

function identity(config: Partial<MerchantIdentityConfig> = {}): MerchantIdentity {
  return new MerchantIdentity({
    mode: 'merchant',
    mchid: '1900000109',
    appid: OFFICIAL_ACCOUNT,
    appids: [MINI_PROGRAM],
    subMchid: undefined,
    subAppid: undefined,
    notifyUrl: 'https://shop.example.com/notify',
    refundNotifyUrl: 'https://shop.example.com/refund-notify',
    ...config,
  });
}

/** The problems of the WechatPayValidationError `run` throws. */
function problems(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WechatPayValidationError);
    return (error as WechatPayValidationError).problems;
  }
  throw new Error('expected a WechatPayValidationError');
}

describe('MerchantIdentity', () => {
  it('names the merchant complained about: itself, or the sub-merchant in partner mode', () => {
    expect(identity().complaintedMchid(undefined, 'complaint')).toBe('1900000109');
    expect(identity().complaintedMchid('1900000222', 'complaint')).toBe('1900000222');
    const partner = identity({ mode: 'partner', subMchid: '1900000333' });
    expect(partner.complaintedMchid(undefined, 'complaint')).toBe('1900000333');
    expect(
      problems(() => identity({ mode: 'partner' }).complaintedMchid(undefined, 'complaint')),
    ).toEqual([{ field: 'complainted_mchid', message: expect.stringMatching(/subMchid/) }]);
  });

  it('accepts appid and every one of appids, appid first, each once', () => {
    expect(identity({ appids: [MINI_PROGRAM, OFFICIAL_ACCOUNT] }).appids).toEqual([
      OFFICIAL_ACCOUNT,
      MINI_PROGRAM,
    ]);
    expect(acceptedAppids(undefined, [MINI_PROGRAM])).toEqual([MINI_PROGRAM]);
  });

  it('places an order with the AppID given when declared, else with appid', () => {
    const merchant = identity();
    expect(merchant.orderAppid(MINI_PROGRAM, 'order')).toBe(MINI_PROGRAM);
    expect(merchant.orderAppid(undefined, 'order')).toBe(OFFICIAL_ACCOUNT);
  });

  it('refuses an undeclared AppID before sending, naming the field, the AppIDs and the option', () => {
    expect(problems(() => identity().orderAppid(STRANGER, 'order', 'sp_appid'))).toEqual([
      {
        field: 'sp_appid',
        message: expect.stringMatching(
          new RegExp(`${OFFICIAL_ACCOUNT}, ${MINI_PROGRAM}.*appids option \\(WECHATPAY_APPIDS\\)`),
        ),
      },
    ]);
    expect(() => identity().requestAppid(STRANGER, 'query')).toThrow(WechatPayValidationError);
  });

  it('checks nothing when no AppID is configured, but an order still needs one', () => {
    const merchant = identity({ appid: undefined, appids: [] });
    expect(merchant.orderAppid(STRANGER, 'order')).toBe(STRANGER);
    expect(merchant.requestAppid(undefined, 'query')).toBeUndefined();
    expect(problems(() => merchant.orderAppid(undefined, 'order'))).toEqual([
      { field: 'appid', message: expect.stringMatching(/set appid in the module options/) },
    ]);
  });

  it('partner mode: the sub-merchant given per call, else subMchid, is required', () => {
    const partner = identity({ mode: 'partner', subMchid: '1900000111' });
    expect(partner.subMchid('1900000112', 'refund')).toBe('1900000112');
    expect(partner.subMchid(undefined, 'refund')).toBe('1900000111');
    expect(
      problems(() => identity({ mode: 'partner' }).subMchid(undefined, 'refund', 'sub_mch_id')),
    ).toEqual([{ field: 'sub_mch_id', message: expect.stringMatching(/subMchid/) }]);
  });

  it('sub_appid exists in partner mode only', () => {
    expect(identity({ mode: 'partner', subAppid: 'wxsub' }).subAppid(undefined)).toBe('wxsub');
    expect(identity({ mode: 'partner', subAppid: 'wxsub' }).subAppid('wxother')).toBe('wxother');
    expect(identity().subAppid('wxsub')).toBeUndefined();
  });

  it('notify URLs: given, else the defaults; an order needs one', () => {
    const merchant = identity();
    expect(merchant.notifyUrl('https://a.example/n', 'order')).toBe('https://a.example/n');
    expect(merchant.notifyUrl(undefined, 'order')).toBe('https://shop.example.com/notify');
    expect(merchant.refundNotifyUrl(undefined)).toBe('https://shop.example.com/refund-notify');
    expect(
      identity({ transferNotifyUrl: 'https://a.example/t' }).transferNotifyUrl(undefined),
    ).toBe('https://a.example/t');
    expect(merchant.transferNotifyUrl('https://a.example/given')).toBe('https://a.example/given');
    expect(problems(() => identity({ notifyUrl: undefined }).notifyUrl(undefined, 'o'))).toEqual([
      { field: 'notify_url', message: expect.stringMatching(/notifyUrl/) },
    ]);
  });

  it('client parameters: the AppID given, the sub-merchant AppID in partner mode, else appid', () => {
    expect(identity().clientAppid(MINI_PROGRAM)).toBe(MINI_PROGRAM);
    expect(identity().clientAppid(undefined)).toBe(OFFICIAL_ACCOUNT);
    expect(identity({ mode: 'partner', subAppid: 'wxsub' }).clientAppid(undefined)).toBe('wxsub');
    expect(identity({ mode: 'partner' }).clientAppid(undefined)).toBe(OFFICIAL_ACCOUNT);
    expect(problems(() => identity({ appid: undefined }).clientAppid(undefined))).toEqual([
      { field: 'appId', message: expect.stringMatching(/appid/) },
    ]);
  });

  it('App partnerid: the merchant, or in partner mode the sub-merchant, never the provider', () => {
    expect(identity().appPartnerid('1900000112')).toBe('1900000109');
    const partner = identity({ mode: 'partner', subMchid: '1900000111' });
    expect(partner.appPartnerid(undefined)).toBe('1900000111');
    expect(partner.appPartnerid('1900000112')).toBe('1900000112');
    expect(() => identity({ mode: 'partner' }).appPartnerid(undefined)).toThrow(
      WechatPayValidationError,
    );
  });
});

describe('assertNotificationAppid', () => {
  const accepted = [OFFICIAL_ACCOUNT, MINI_PROGRAM];

  it('passes a declared AppID, a missing one, and anything when none is declared', () => {
    expect(() => assertNotificationAppid(MINI_PROGRAM, 'appid', accepted)).not.toThrow();
    expect(() => assertNotificationAppid(undefined, 'appid', accepted)).not.toThrow();
    expect(() => assertNotificationAppid(STRANGER, 'appid', [])).not.toThrow();
  });

  it('refuses another, saying what arrived, what is accepted and which option to set', () => {
    for (const value of [STRANGER, 42, '']) {
      expect(() => assertNotificationAppid(value, 'sp_appid', accepted)).toThrow(
        WechatPayNotificationError,
      );
    }
    expect(() => assertNotificationAppid(STRANGER, 'sp_appid', accepted)).toThrow(
      `the notification is for sp_appid "${STRANGER}", which is not one of this merchant's AppIDs (${OFFICIAL_ACCOUNT}, ${MINI_PROGRAM}): if it is yours, add it to the appids option (WECHATPAY_APPIDS)`,
    );
  });
});

describe('notificationMerchants', () => {
  it('is the order owner, sp_mchid first in partner mode', () => {
    const paid = 'TRANSACTION.SUCCESS';
    expect(notificationMerchants({ mchid: '1900000109' }, paid)).toEqual(['1900000109']);
    expect(
      notificationMerchants({ sp_mchid: '1900000100', sub_mchid: '1900000109' }, paid),
    ).toEqual(['1900000100']);
    expect(notificationMerchants({}, paid)).toEqual([]);
  });

  it('adds the merchant receiver of a profit-sharing notification, never a person', () => {
    expect(
      notificationMerchants(
        {
          mchid: '1900000100',
          receiver: { type: 'MERCHANT_ID', account: '1900000200', amount: 1 },
        },
        'PROFITSHARING.SUCCESS',
      ),
    ).toEqual(['1900000100', '1900000200']);
    expect(
      notificationMerchants(
        {
          mchid: '1900000100',
          receiver: { type: 'PERSONAL_OPENID', account: '1900000200', amount: 1 },
        },
        'PROFITSHARING.SUCCESS',
      ),
    ).toEqual(['1900000100']);
  });

  it('never adds a receiver to any other event: another merchant payment carrying one is theirs', () => {
    expect(
      notificationMerchants(
        { mchid: '1900000100', receiver: { type: 'MERCHANT_ID', account: '1900000200' } },
        'TRANSACTION.SUCCESS',
      ),
    ).toEqual(['1900000100']);
  });
});
