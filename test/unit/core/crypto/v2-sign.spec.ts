import { describe, expect, it } from 'vitest';
import { buildV2SignString, signV2, verifyV2 } from '../../../../lib/core/crypto/index.js';
import { V2_SIGN_EXAMPLE as example } from '../../../fixtures/published-vectors.js';

describe('signV2', () => {
  it('builds the sign string of the official example', () => {
    expect(buildV2SignString(example.params, example.apiKey)).toBe(example.signString);
  });

  it('reproduces the official MD5 signature, MD5 being the default', () => {
    expect(signV2(example.params, example.apiKey)).toBe(example.md5);
    expect(signV2(example.params, example.apiKey, 'MD5')).toBe(example.md5);
  });

  it('reproduces the official HMAC-SHA256 signature', () => {
    expect(signV2(example.params, example.apiKey, 'HMAC-SHA256')).toBe(example.hmacSha256);
  });

  it('skips sign and empty values, and signs numbers as their decimal text', () => {
    const noisy = {
      ...example.params,
      device_info: 1000,
      sign: 'ANYTHING',
      attach: '',
      detail: undefined,
      openid: null,
    };
    expect(signV2(noisy, example.apiKey)).toBe(example.md5);
  });

  it('signs nested objects as JSON text', () => {
    const withObject = { ...example.params, scene_info: { h5_info: { type: 'Wap' } } };
    const withText = { ...example.params, scene_info: '{"h5_info":{"type":"Wap"}}' };
    expect(signV2(withObject, example.apiKey)).toBe(signV2(withText, example.apiKey));
  });
});

describe('verifyV2', () => {
  const signed = (sign: string, extra: Record<string, unknown> = {}) => ({
    ...example.params,
    ...extra,
    sign,
  });

  it('accepts the official signatures, choosing the algorithm by length when not told', () => {
    expect(verifyV2(signed(example.md5), example.apiKey)).toBe(true);
    expect(verifyV2(signed(example.hmacSha256), example.apiKey)).toBe(true);
    expect(verifyV2(signed(example.md5), example.apiKey, 'MD5')).toBe(true);
    expect(verifyV2(signed(example.hmacSha256), example.apiKey, 'HMAC-SHA256')).toBe(true);
  });

  it('accepts a lower-case signature', () => {
    expect(verifyV2(signed(example.md5.toLowerCase()), example.apiKey)).toBe(true);
  });

  it('rejects a signature made with the other algorithm than the one required', () => {
    expect(verifyV2(signed(example.md5), example.apiKey, 'HMAC-SHA256')).toBe(false);
  });

  it('rejects a changed field, a changed signature, a wrong key and a missing sign', () => {
    expect(verifyV2(signed(example.md5, { body: 'test2' }), example.apiKey)).toBe(false);
    expect(verifyV2(signed(example.md5.replace(/^9/, '8')), example.apiKey)).toBe(false);
    expect(verifyV2(signed(example.md5), `${example.apiKey.slice(1)}x`)).toBe(false);
    expect(verifyV2({ ...example.params }, example.apiKey)).toBe(false);
    expect(verifyV2(signed(''), example.apiKey)).toBe(false);
  });

  it('rejects an added field, since WeChat Pay signs every field it sends', () => {
    expect(verifyV2(signed(example.md5, { total_fee: '1' }), example.apiKey)).toBe(false);
  });
});
