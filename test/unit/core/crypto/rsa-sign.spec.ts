import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { flipByte } from '../../../support/bytes.js';
import {
  buildAuthorization,
  buildV3Message,
  signV3Message,
  verifyV3Message,
} from '../../../../lib/core/crypto/index.js';
import { V3_SIGN_EXAMPLE as example } from '../../../fixtures/published-vectors.js';
import { OpenSslKey } from '../../../support/openssl.js';

const key = new OpenSslKey();
afterAll(() => key.dispose());

describe('signV3Message', () => {
  it('equals the signature the OpenSSL command line makes (SHA256withRSA is deterministic)', () => {
    const message = buildV3Message(
      'POST',
      '/v3/pay/transactions/native',
      1554208460,
      'N',
      '{"a":"中文"}',
    );
    const expected = key
      .run(['dgst', '-sha256', '-sign', key.privatePath], message)
      .toString('base64');
    expect(signV3Message(message, key.privateKey)).toBe(expected);
  });

  it('accepts the PEM text as well as a KeyObject', () => {
    const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(signV3Message('m\n', pem)).toBe(signV3Message('m\n', key.privateKey));
  });
});

describe('verifyV3Message', () => {
  const message = 'ts\nnonce\n{"id":"EV-2018022511223320873"}\n';

  it('accepts a signature made by OpenSSL', () => {
    const signature = key
      .run(['dgst', '-sha256', '-sign', key.privatePath], message)
      .toString('base64');
    expect(verifyV3Message(message, signature, key.publicKey)).toBe(true);
  });

  it('OpenSSL accepts our signature', () => {
    const signaturePath = key.file(
      'sig.bin',
      Buffer.from(signV3Message(message, key.privateKey), 'base64'),
    );
    const out = key.run(
      ['dgst', '-sha256', '-verify', key.publicPath, '-signature', signaturePath],
      message,
    );
    expect(out.toString()).toContain('Verified OK');
  });

  it('rejects a changed message, a flipped signature byte, another key and garbage', () => {
    const signature = signV3Message(message, key.privateKey);
    expect(verifyV3Message(message.replace('EV', 'EW'), signature, key.publicKey)).toBe(false);
    const flipped = Buffer.from(signature, 'base64');
    flipByte(flipped, 100, 0x01);
    expect(verifyV3Message(message, flipped.toString('base64'), key.publicKey)).toBe(false);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(verifyV3Message(message, signature, other)).toBe(false);
    expect(verifyV3Message(message, 'not base64 at all', key.publicKey)).toBe(false);
    expect(verifyV3Message(message, '', key.publicKey)).toBe(false);
  });

  it('rejects WeChat Pay probe signatures (WECHATPAY/SIGNTEST/)', () => {
    const probe = `WECHATPAY/SIGNTEST/${signV3Message(message, key.privateKey)}`;
    expect(verifyV3Message(message, probe, key.publicKey)).toBe(false);
  });
});

describe('buildAuthorization', () => {
  const parse = (header: string) => {
    const [scheme, rest] = [
      header.slice(0, header.indexOf(' ')),
      header.slice(header.indexOf(' ') + 1),
    ];
    const fields: Record<string, string> = Object.fromEntries(
      [...rest.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    return { scheme, fields };
  };

  it('signs the official example request message and names every field', () => {
    const header = buildAuthorization({ ...example, privateKey: key.privateKey });
    const { scheme, fields } = parse(header);
    expect(scheme).toBe('WECHATPAY2-SHA256-RSA2048');
    expect(fields).toMatchObject({
      mchid: example.mchid,
      nonce_str: example.nonce,
      timestamp: String(example.timestamp),
      serial_no: example.serialNo,
    });
    expect(header).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="[^"]+",nonce_str="[^"]+",timestamp="\d+",serial_no="[^"]+",signature="[^"]+"$/,
    );
    expect(verifyV3Message(example.message, fields.signature ?? '', key.publicKey)).toBe(true);
  });

  it('signs the path and query of a full URL, the upper-case method, and the exact body', () => {
    const body = '{"mchid":"1900009191","out_trade_no":"T1"}';
    const header = buildAuthorization({
      method: 'post',
      url: 'https://api.mch.weixin.qq.com/v3/refund/domestic/refunds?x=1',
      body,
      mchid: '1900009191',
      serialNo: 'ABC',
      privateKey: key.privateKey,
      timestamp: 1700000000,
      nonce: 'NONCE',
    });
    const signature = parse(header).fields.signature!;
    expect(
      verifyV3Message(
        `POST\n/v3/refund/domestic/refunds?x=1\n1700000000\nNONCE\n${body}\n`,
        signature,
        key.publicKey,
      ),
    ).toBe(true);
  });

  it('fills a fresh timestamp and a 32-character alphanumeric nonce', () => {
    const { fields } = parse(
      buildAuthorization({
        method: 'GET',
        url: '/v3/certificates',
        mchid: '1',
        serialNo: 'A',
        privateKey: key.privateKey,
      }),
    );
    expect(Math.abs(Number(fields.timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(fields.nonce_str).toMatch(/^[0-9A-Za-z]{32}$/);
  });
});
