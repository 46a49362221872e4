import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAuthorization,
  buildV3Message,
  verifyV3Message,
} from '../../lib/core/crypto/index.js';
import { createTestMerchant, WechatPaySimulator } from '../../lib/testing/index.js';

let simulator: WechatPaySimulator;
beforeAll(async () => {
  simulator = await new WechatPaySimulator({ backup: false }).start();
});
afterAll(() => simulator.stop());

const body = () =>
  JSON.stringify({
    appid: simulator.merchant.appid,
    mchid: simulator.merchant.mchid,
    description: 'raw',
    out_trade_no: `RAW${Date.now()}${Math.floor(Math.random() * 1000)}`,
    notify_url: 'https://example.com/notify',
    amount: { total: 1 },
  });

async function post(authorization: string | undefined, payload: string) {
  const response = await fetch(`${simulator.url}/v3/pay/transactions/native`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(authorization ? { Authorization: authorization } : {}),
    },
    body: payload,
  });
  return {
    status: response.status,
    json: (await response.json()) as { code?: string; message?: string },
    headers: response.headers,
    text: '',
  };
}

const sign = (payload: string, overrides: Partial<Parameters<typeof buildAuthorization>[0]> = {}) =>
  buildAuthorization({
    method: 'POST',
    url: '/v3/pay/transactions/native',
    body: payload,
    mchid: simulator.merchant.mchid,
    serialNo: simulator.merchant.serialNo,
    privateKey: simulator.merchant.privateKey,
    ...overrides,
  });

describe('WechatPaySimulator checks merchant signatures like WeChat Pay', () => {
  it('accepts a correctly signed request and signs its answer with the platform key', async () => {
    const payload = body();
    const response = await fetch(`${simulator.url}/v3/pay/transactions/native`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: sign(payload) },
      body: payload,
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const h = (name: string) => response.headers.get(name) ?? '';
    expect(h('wechatpay-serial')).toBe(simulator.platformSerial);
    expect(
      verifyV3Message(
        buildV3Message(h('wechatpay-timestamp'), h('wechatpay-nonce'), text),
        h('wechatpay-signature'),
        simulator.platformPublicKey,
      ),
    ).toBe(true);
  });

  it.each([
    ['no Authorization header', () => undefined, body],
    [
      'a signature by another key',
      (p: string) =>
        sign(p, { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }),
      body,
    ],
    [
      'a serial that is not the merchant certificate',
      (p: string) => sign(p, { serialNo: 'ABCDEF0123' }),
      body,
    ],
    [
      'a timestamp 301 s old',
      (p: string) => sign(p, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      body,
    ],
    ['an unknown mchid', (p: string) => sign(p, { mchid: '1234567890' }), body],
  ])('rejects %s with 401 SIGN_ERROR', async (_name, authorize, payload) => {
    const text = payload();
    const { status, json } = await post(authorize(text), text);
    expect(status).toBe(401);
    expect(json.code).toBe('SIGN_ERROR');
  });

  it('rejects a body changed after signing', async () => {
    const signed = body();
    const { status, json } = await post(sign(signed), signed.replace('"total":1', '"total":2'));
    expect([status, json.code]).toEqual([401, 'SIGN_ERROR']);
  });

  it('rejects a body whose mchid is not the signer', async () => {
    const other = createTestMerchant();
    simulator.addMerchant(other);
    const payload = body();
    const { status, json } = await post(
      sign(payload, { mchid: other.mchid, serialNo: other.serialNo, privateKey: other.privateKey }),
      payload,
    );
    expect([status, json.code]).toEqual([400, 'PARAM_ERROR']);
  });

  it('answers 404 RESOURCE_NOT_EXISTS for an unknown endpoint, still signed', async () => {
    const authorization = buildAuthorization({
      method: 'GET',
      url: '/v3/nothing',
      mchid: simulator.merchant.mchid,
      serialNo: simulator.merchant.serialNo,
      privateKey: simulator.merchant.privateKey,
    });
    const response = await fetch(`${simulator.url}/v3/nothing`, {
      headers: { Authorization: authorization },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('wechatpay-signature')).toBeTruthy();
  });

  it('keeps an order idempotent by out_trade_no and refuses the number with other parameters', async () => {
    const payload = body();
    const first = await post(sign(payload), payload);
    const again = await post(sign(payload), payload);
    expect(again.json).toEqual(first.json);
    const changed = payload.replace('"total":1', '"total":5');
    expect((await post(sign(changed), changed)).json.code).toBe('INVALID_REQUEST');
  });
});
