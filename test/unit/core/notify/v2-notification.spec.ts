import { describe, expect, it } from 'vitest';
import { buildV2Xml } from '../../../../lib/core/v2/xml.js';
import { encryptV2RefundInfo, signV2 } from '../../../../lib/core/crypto/index.js';
import { verifyV2Notification } from '../../../../lib/core/notify/v2-notification.js';
import { WechatPayNotificationError, WechatPaySignatureError } from '../../../../lib/index.js';

const apiKey = 'k'.repeat(32);
const context = {
  signingKey: apiKey,
  apiKey,
  mchid: '1900000109',
  appid: 'wx0000000000000000',
  appids: ['wx1111111111111111'],
};

function payment(appid: string, { signed = true } = {}): Buffer {
  const fields: Record<string, string> = {
    return_code: 'SUCCESS',
    result_code: 'SUCCESS',
    appid,
    mch_id: context.mchid,
    nonce_str: 'n0nce',
    out_trade_no: 'ORDER1',
    transaction_id: '4200000000000000000000000001',
    total_fee: '100',
  };
  fields.sign = signed ? signV2(fields, apiKey) : 'F'.repeat(32);
  return Buffer.from(buildV2Xml(fields));
}

function refund(appid: string): Buffer {
  const reqInfo = encryptV2RefundInfo(
    buildV2Xml({ out_refund_no: 'R1', refund_id: '5000', refund_status: 'SUCCESS' }).replace(
      /xml>/g,
      'root>',
    ),
    apiKey,
  );
  return Buffer.from(
    buildV2Xml({ return_code: 'SUCCESS', appid, mch_id: context.mchid, req_info: reqInfo }),
  );
}

describe('verifyV2Notification AppIDs', () => {
  it('accepts appid and every one of appids', () => {
    for (const appid of [context.appid, ...context.appids]) {
      expect(verifyV2Notification(payment(appid), context).payload).toMatchObject({ appid });
      expect(verifyV2Notification(refund(appid), context).payload).toMatchObject({ appid });
    }
  });

  it('refuses a genuine payment or refund for an undeclared AppID, naming the accepted ones', () => {
    for (const body of [payment('wx9999999999999999'), refund('wx9999999999999999')]) {
      expect(() => verifyV2Notification(body, context)).toThrow(WechatPayNotificationError);
      expect(() => verifyV2Notification(body, context)).toThrow(
        /wx9999999999999999.*wx0000000000000000, wx1111111111111111.*appids/,
      );
    }
  });

  it('tells a forger nothing about the AppIDs: the signature is checked first', () => {
    const forged = payment('wx9999999999999999', { signed: false });
    expect(() => verifyV2Notification(forged, context)).toThrow(WechatPaySignatureError);
  });
});
