import { describe, expect, it } from 'vitest';
import { flipByte } from '../../../support/bytes.js';
import { aes256EcbDecrypt, aes256EcbEncrypt } from '../../../../lib/core/crypto/v2-refund-info.js';
import { decryptV2RefundInfo, encryptV2RefundInfo } from '../../../../lib/core/crypto/index.js';
import { WechatPayDecryptError } from '../../../../lib/index.js';
import {
  FIPS197_AES256,
  V2_REFUND_REQ_INFO as vector,
} from '../../../fixtures/published-vectors.js';

describe('AES-256-ECB primitive', () => {
  it('matches FIPS-197 C.3 on the first block (PKCS#7 adds a second)', () => {
    const key = Buffer.from(FIPS197_AES256.key, 'hex');
    const out = aes256EcbEncrypt(key, Buffer.from(FIPS197_AES256.plaintext, 'hex'));
    expect(out).toHaveLength(32);
    expect(out.subarray(0, 16).toString('hex')).toBe(FIPS197_AES256.ciphertext);
    expect(aes256EcbDecrypt(key, out).toString('hex')).toBe(FIPS197_AES256.plaintext);
  });
});

describe('decryptV2RefundInfo', () => {
  it('decrypts the published req_info to its <root> document', () => {
    const xml = decryptV2RefundInfo(vector.reqInfo, vector.apiKey);
    expect(xml.trim().startsWith('<root>')).toBe(true);
    for (const [field, value] of Object.entries(vector.expected)) {
      expect(xml).toContain(`<${field}><![CDATA[${value}]]></${field}>`);
    }
  });

  it('round-trips with encryptV2RefundInfo', () => {
    const xml = '<root><out_refund_no><![CDATA[R1]]></out_refund_no></root>';
    expect(decryptV2RefundInfo(encryptV2RefundInfo(xml, vector.apiKey), vector.apiKey)).toBe(xml);
  });

  it('throws for a wrong API key, pointing at apiKey', () => {
    const wrong = 'x' + vector.apiKey.slice(1);
    expect(() => decryptV2RefundInfo(vector.reqInfo, wrong)).toThrow(WechatPayDecryptError);
    expect(() => decryptV2RefundInfo(vector.reqInfo, wrong)).toThrow(/apiKey/);
  });

  it('throws rather than return garbage when a block was altered', () => {
    const bytes = Buffer.from(vector.reqInfo, 'base64');
    flipByte(bytes, 5, 0xff); // corrupts the first block, which holds "<root>"
    expect(() => decryptV2RefundInfo(bytes.toString('base64'), vector.apiKey)).toThrow(
      WechatPayDecryptError,
    );
  });

  it('throws for input that is not a whole number of blocks', () => {
    expect(() => decryptV2RefundInfo(Buffer.alloc(20).toString('base64'), vector.apiKey)).toThrow(
      WechatPayDecryptError,
    );
  });
});
