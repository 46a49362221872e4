import { describe, expect, it } from 'vitest';
import { WechatPayValidationError } from '../../../../../lib/index.js';
import { MerchantIdentity } from '../../../../../lib/core/merchant/merchant-identity.js';
import type { V3ProductContext } from '../../../../../lib/core/products/product-context.js';
import { assertValid } from '../../../../../lib/core/validation/validate.js';
import { TransferBillDto } from '../../../../../lib/core/products/transfers/transfers.dto.js';
import { TRANSFER_PATHS } from '../../../../../lib/core/products/transfers/transfers.paths.js';
import { Transfers } from '../../../../../lib/core/products/transfers/transfers.v3.js';

const APPID = 'wx0000000000000000';
const SUB_APPID = 'wx2222222222222222';

/** Transfers whose context has no API: enough for what is decided before any request. */
function transfers(mode: 'merchant' | 'partner', subMchid?: string): Transfers {
  const merchant = new MerchantIdentity({
    mode,
    mchid: '1900000109',
    appid: APPID,
    appids: [],
    subMchid,
    subAppid: undefined,
    notifyUrl: undefined,
    refundNotifyUrl: undefined,
  });
  return new Transfers({ merchant } as unknown as V3ProductContext);
}

const valid = {
  out_bill_no: 'RW20260608001',
  transfer_scene_id: '1000',
  openid: 'o-user',
  transfer_amount: 500,
  transfer_remark: '新会员奖励',
  transfer_scene_report_infos: [{ info_type: '活动名称', info_content: '新会员有礼' }],
};

function fields(input: object): string[] {
  try {
    assertValid(TransferBillDto, input, 'transfer');
  } catch (error) {
    expect(error).toBeInstanceOf(WechatPayValidationError);
    return [...new Set((error as WechatPayValidationError).problems.map((p) => p.field))];
  }
  return [];
}

describe('TransferBillDto', () => {
  it('accepts a reward without a name below ¥2,000', () => {
    expect(fields(valid)).toEqual([]);
    expect(fields({ ...valid, transfer_amount: 199_999 })).toEqual([]);
  });

  it('requires the name from ¥2,000 (200000 fen)', () => {
    expect(fields({ ...valid, transfer_amount: 200_000 })).toEqual(['user_name']);
    expect(fields({ ...valid, transfer_amount: 200_000, user_name: '张三' })).toEqual([]);
  });

  it('refuses what WeChat Pay would: out_bill_no beyond letters and digits, a long remark, fractional fen, empty scene reports', () => {
    expect(
      fields({
        ...valid,
        out_bill_no: 'RW-2026',
        transfer_remark: '备'.repeat(33),
        transfer_amount: 1.5,
        transfer_scene_report_infos: [{ info_type: '', info_content: 'x' }],
      }),
    ).toEqual([
      'out_bill_no',
      'transfer_amount',
      'transfer_remark',
      'transfer_scene_report_infos.0.info_type',
    ]);
  });
});

describe('Transfers.confirmParams (wx.requestMerchantTransfer)', () => {
  const created = { package_info: 'affffddafdfafddffda==' };

  it('merchant mode: mchId, appId, package', () => {
    expect(transfers('merchant').confirmParams(created)).toEqual({
      mchId: '1900000109',
      appId: APPID,
      package: created.package_info,
    });
  });

  it('partner mode: the service provider, the sub-merchant, and appId or subAppId', () => {
    const partner = transfers('partner', '1900000111');
    expect(partner.confirmParams(created)).toEqual({
      mchId: '1900000109',
      subMchId: '1900000111',
      appId: APPID,
      package: created.package_info,
    });
    expect(partner.confirmParams(created, { subAppid: SUB_APPID })).toEqual({
      mchId: '1900000109',
      subMchId: '1900000111',
      subAppId: SUB_APPID,
      package: created.package_info,
    });
  });

  it('refuses a transfer without package_info, and partner mode without a sub-merchant', () => {
    expect(() => transfers('merchant').confirmParams({})).toThrow(/WAIT_USER_CONFIRM/);
    expect(() => transfers('partner').confirmParams(created)).toThrow(/subMchid/);
  });
});

describe('TRANSFER_PATHS', () => {
  it('merchant and partner paths, numbers escaped', () => {
    expect(TRANSFER_PATHS.create(false)).toBe('/v3/fund-app/mch-transfer/transfer-bills');
    expect(TRANSFER_PATHS.cancel(true, 'RW1')).toBe(
      '/v3/fund-app/mch-transfer/partner/transfer-bills/out-bill-no/RW1/cancel',
    );
    expect(TRANSFER_PATHS.applyReceipt(false)).toBe(
      '/v3/fund-app/mch-transfer/elecsign/out-bill-no',
    );
    expect(TRANSFER_PATHS.receipt(true, 'RW 1')).toBe(
      '/v3/fund-app/mch-transfer/partner/electronic-receipts/RW%201',
    );
  });
});
