import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSensitive, encryptSensitive } from '../../../../../lib/core/crypto/rsa-oaep.js';
import {
  MerchantIdentity,
  type MerchantIdentityConfig,
} from '../../../../../lib/core/merchant/merchant-identity.js';
import type { V3ProductContext } from '../../../../../lib/core/products/product-context.js';
import { ProfitSharing } from '../../../../../lib/core/products/profit-sharing/profit-sharing.v3.js';
import type { WechatPayV3Client } from '../../../../../lib/core/v3/v3-client.js';
import { WechatPayValidationError } from '../../../../../lib/index.js';

const APPID = 'wx0000000000000000';
const SERIAL = 'PUB_KEY_ID_0114232134912410000000000000';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface SentRequest {
  method: string;
  path: string;
  options: { body?: Record<string, unknown>; query?: object; wechatpaySerial?: string };
}

/** The product over a client that records what it would send (real encryption, no network). */
function profitSharing(config: Partial<MerchantIdentityConfig> = {}) {
  const sent: SentRequest[] = [];
  const api = {
    request: (method: string, path: string, options: SentRequest['options'] = {}) => {
      sent.push({ method, path, options });
      return Promise.resolve({ status: 200, data: {}, requestId: undefined });
    },
  } as unknown as WechatPayV3Client;
  const context: V3ProductContext = {
    api,
    merchant: new MerchantIdentity({
      mode: 'merchant',
      mchid: '1900000100',
      appid: APPID,
      appids: [],
      subMchid: undefined,
      subAppid: undefined,
      notifyUrl: undefined,
      refundNotifyUrl: undefined,
      ...config,
    }),
    signingKey: () => privateKey,
    sensitiveFields: () =>
      Promise.resolve({ serial: SERIAL, encrypt: (plain) => encryptSensitive(plain, publicKey) }),
  };
  return { product: new ProfitSharing(context), sent };
}

const receiver = {
  type: 'PERSONAL_OPENID' as const,
  account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  amount: 100,
  description: 'referral',
};
const order = {
  transaction_id: '4208450740201411110007820472',
  out_order_no: 'SPLIT20260608001',
  receivers: [receiver],
  unfreeze_unsplit: false,
};

describe('ProfitSharing', () => {
  it('encrypts each receiver name for one key, sends its serial, and keeps the rest as given', async () => {
    const { product, sent } = profitSharing();
    await product.split({
      ...order,
      receivers: [
        { ...receiver, name: '张三' },
        { ...receiver, account: 'o2' },
      ],
    });
    const [request] = sent;
    expect(request).toMatchObject({ method: 'POST', path: '/v3/profitsharing/orders' });
    expect(request!.options.wechatpaySerial).toBe(SERIAL);
    const [named, unnamed] = request!.options.body!.receivers as Record<string, unknown>[];
    expect(named!.name).not.toContain('张三');
    expect(decryptSensitive(named!.name as string, privateKey)).toBe('张三');
    expect(unnamed).not.toHaveProperty('name');
    // A PERSONAL_OPENID receiver needs the AppID its openid belongs to.
    expect(request!.options.body).toMatchObject({ appid: APPID, unfreeze_unsplit: false });
  });

  it('partner mode names the sub-merchant in bodies and queries', async () => {
    const { product, sent } = profitSharing({ mode: 'partner', subMchid: '1900000109' });
    await product.returnSplit({
      out_order_no: 'SPLIT1',
      out_return_no: 'RETURN1',
      return_mchid: '1900000200',
      amount: 10,
      description: 'x',
    });
    await product.query('SPLIT1', '4208450740201411110007820472');
    await product.queryReturn('RETURN1', 'SPLIT1', { subMchid: '1900000110' });
    expect(sent.map((s) => s.options.body?.sub_mchid ?? s.options.query)).toEqual([
      '1900000109',
      { sub_mchid: '1900000109', transaction_id: '4208450740201411110007820472' },
      { sub_mchid: '1900000110', out_order_no: 'SPLIT1' },
    ]);
  });

  it('a bill covers every sub-merchant unless one is given: no default sub_mchid', async () => {
    const { product, sent } = profitSharing({ mode: 'partner', subMchid: '1900000109' });
    await product.bill({ bill_date: '2026-06-08' });
    await product.bill({ bill_date: '2026-06-08', sub_mchid: '1900000110', tar_type: 'GZIP' });
    expect(sent.map((s) => s.options.query)).toEqual([
      { bill_date: '2026-06-08' },
      { bill_date: '2026-06-08', tar_type: 'GZIP', sub_mchid: '1900000110' },
    ]);
  });

  it('refuses bad requests before sending, naming the field', async () => {
    const { product, sent } = profitSharing();
    const refused = async (call: Promise<unknown>, field: string) => {
      const error: unknown = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WechatPayValidationError);
      expect((error as WechatPayValidationError).problems.map((p) => p.field)).toContain(field);
    };
    await refused(product.split({ ...order, receivers: [] }), 'receivers');
    await refused(
      product.split({ ...order, receivers: [{ ...receiver, amount: 1.5 }] }),
      'receivers.0.amount',
    );
    await refused(
      product.split({ ...order, receivers: [{ ...receiver, type: 'PERSONAL_SUB_OPENID' }] }),
      'receivers',
    );
    await refused(
      product.split({ ...order, unfreeze_unsplit: undefined as unknown as boolean }),
      'unfreeze_unsplit',
    );
    await refused(
      product.addReceiver({ type: 'MERCHANT_ID', account: '1900000200', relation_type: 'STORE' }),
      'name',
    );
    await refused(
      product.addReceiver({
        type: 'PERSONAL_OPENID',
        account: 'o1',
        relation_type: 'CUSTOM',
      }),
      'custom_relation',
    );
    await refused(
      product.returnSplit({
        out_return_no: 'R1',
        return_mchid: '1900000200',
        amount: 1,
        description: 'x',
      }),
      'order_id',
    );
    await refused(product.unsplitAmount(''), 'transaction_id');
    expect(sent).toEqual([]);
  });

  it('a PERSONAL_SUB_OPENID receiver needs the sub-merchant AppID in partner mode', async () => {
    const { product } = profitSharing({ mode: 'partner', subMchid: '1900000109' });
    await expect(
      product.split({ ...order, receivers: [{ ...receiver, type: 'PERSONAL_SUB_OPENID' }] }),
    ).rejects.toThrow(/sub_appid/);
  });
});
