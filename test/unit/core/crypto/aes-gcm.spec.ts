import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flipByte } from '../../../support/bytes.js';
import { aes256GcmDecrypt, aes256GcmEncrypt } from '../../../../lib/core/crypto/aes-gcm.js';
import { decryptResource, encryptResource } from '../../../../lib/core/crypto/index.js';
import { WechatPayConfigError, WechatPayDecryptError } from '../../../../lib/index.js';
import { GCM_TEST_CASE_16 as tc } from '../../../fixtures/published-vectors.js';

const hex = (s: string) => Buffer.from(s, 'hex');
const apiV3Key = 'Yw9uD3rVzq8YkLx2Pp5sT7nB1cF4hJ6m'; // 32 bytes, a made-up test key

describe('AES-256-GCM primitive', () => {
  it('encrypts the published test case 16 to its ciphertext and tag', () => {
    const out = aes256GcmEncrypt(hex(tc.key), hex(tc.iv), hex(tc.plaintext), hex(tc.aad));
    expect(out.toString('hex')).toBe(tc.ciphertext + tc.tag);
  });

  it('decrypts the published test case 16', () => {
    const data = hex(tc.ciphertext + tc.tag);
    expect(aes256GcmDecrypt(hex(tc.key), hex(tc.iv), data, hex(tc.aad)).toString('hex')).toBe(
      tc.plaintext,
    );
  });

  it.each([
    ['a ciphertext byte', 0],
    ['a tag byte', tc.ciphertext.length / 2 + 3],
  ])('fails on a flipped %s of the published vector', (_name, index) => {
    const data = hex(tc.ciphertext + tc.tag);
    flipByte(data, index, 0x01);
    expect(() => aes256GcmDecrypt(hex(tc.key), hex(tc.iv), data, hex(tc.aad))).toThrow(
      WechatPayDecryptError,
    );
  });

  it('fails on changed associated data and on a truncated tag', () => {
    const data = hex(tc.ciphertext + tc.tag);
    const aad = hex(tc.aad);
    flipByte(aad, 0, 0x80);
    expect(() => aes256GcmDecrypt(hex(tc.key), hex(tc.iv), data, aad)).toThrow(
      WechatPayDecryptError,
    );
    expect(() =>
      aes256GcmDecrypt(hex(tc.key), hex(tc.iv), data.subarray(0, 10), hex(tc.aad)),
    ).toThrow(/shorter than its 16-byte tag/);
  });
});

describe('decryptResource', () => {
  const plaintext = JSON.stringify({
    out_trade_no: '1217752501201407033233368018',
    amount: { total: 100 },
  });
  const resource = () =>
    encryptResource(plaintext, apiV3Key, { nonce: 'fdasflkja484', associatedData: 'transaction' });

  it('round-trips with encryptResource', () => {
    const r = resource();
    expect(r.algorithm).toBe('AEAD_AES_256_GCM');
    expect(decryptResource(r, apiV3Key)).toBe(plaintext);
  });

  it('decrypts what WeChat Pay would send: nonce and AAD used as UTF-8, ciphertext ‖ tag base64', () => {
    const key = Buffer.from(apiV3Key, 'utf8');
    const data = aes256GcmEncrypt(
      key,
      Buffer.from('0123456789ab'),
      Buffer.from('{"a":1}'),
      Buffer.from('certificate'),
    );
    expect(
      decryptResource(
        {
          ciphertext: data.toString('base64'),
          nonce: '0123456789ab',
          associated_data: 'certificate',
        },
        apiV3Key,
      ),
    ).toBe('{"a":1}');
  });

  it('accepts a missing associated_data as empty', () => {
    const r = encryptResource('x', apiV3Key);
    expect(decryptResource({ ciphertext: r.ciphertext, nonce: r.nonce }, apiV3Key)).toBe('x');
  });

  it('throws, never returns garbage, for a flipped ciphertext byte, a flipped tag byte or changed AAD', () => {
    const r = resource();
    const bytes = Buffer.from(r.ciphertext, 'base64');
    for (const index of [0, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      flipByte(tampered, index, 0x01);
      expect(() =>
        decryptResource({ ...r, ciphertext: tampered.toString('base64') }, apiV3Key),
      ).toThrow(WechatPayDecryptError);
    }
    expect(() => decryptResource({ ...r, associated_data: 'refund' }, apiV3Key)).toThrow(
      WechatPayDecryptError,
    );
    expect(() => decryptResource({ ...r, nonce: 'fdasflkja485' }, apiV3Key)).toThrow(
      WechatPayDecryptError,
    );
  });

  it('names the likely cause, a wrong APIv3 key, without echoing any key', () => {
    const wrongKey = randomBytes(16).toString('hex');
    let error: unknown;
    try {
      decryptResource(resource(), wrongKey);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WechatPayDecryptError);
    expect((error as Error).message).toMatch(/APIv3 key/);
    expect((error as Error).message).not.toContain(wrongKey);
    expect((error as Error).message).not.toContain(apiV3Key);
  });

  it.each([31, 33, 0])('refuses a %i-byte key with a config error naming apiV3Key', (length) => {
    const key = 'k'.repeat(length);
    expect(() => decryptResource(resource(), key)).toThrow(WechatPayConfigError);
    expect(() => decryptResource(resource(), key)).toThrow(/apiV3Key: must be exactly 32 bytes/);
  });

  it('counts bytes, not characters: 32 Chinese characters are 96 bytes', () => {
    expect(() => decryptResource(resource(), '密'.repeat(32))).toThrow(/got 96/);
  });

  it('refuses an unknown algorithm', () => {
    expect(() =>
      decryptResource({ ...resource(), algorithm: 'AEAD_AES_128_GCM' }, apiV3Key),
    ).toThrow(/only AEAD_AES_256_GCM/);
  });
});
