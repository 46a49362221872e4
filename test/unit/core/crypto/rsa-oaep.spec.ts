import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { flipByte } from '../../../support/bytes.js';
import { decryptSensitive, encryptSensitive } from '../../../../lib/core/crypto/index.js';
import { WechatPayDecryptError } from '../../../../lib/index.js';
import { OpenSslKey } from '../../../support/openssl.js';

const key = new OpenSslKey();
afterAll(() => key.dispose());
const oaepSha1 = [
  '-pkeyopt',
  'rsa_padding_mode:oaep',
  '-pkeyopt',
  'rsa_oaep_md:sha1',
  '-pkeyopt',
  'rsa_mgf1_md:sha1',
];

describe('encryptSensitive / decryptSensitive (RSA-OAEP, SHA-1, MGF1)', () => {
  it('round-trips UTF-8 text', () => {
    const cipher = encryptSensitive('张三 13800138000', key.publicKey);
    expect(decryptSensitive(cipher, key.privateKey)).toBe('张三 13800138000');
  });

  it('is randomised: the same plaintext encrypts differently each time', () => {
    expect(encryptSensitive('x', key.publicKey)).not.toBe(encryptSensitive('x', key.publicKey));
  });

  it('OpenSSL decrypts what we encrypt with OAEP SHA-1', () => {
    const cipher = Buffer.from(encryptSensitive('李四', key.publicKey), 'base64');
    const plain = key.run(['pkeyutl', '-decrypt', '-inkey', key.privatePath, ...oaepSha1], cipher);
    expect(plain.toString('utf8')).toBe('李四');
  });

  it('we decrypt what OpenSSL encrypts with OAEP SHA-1', () => {
    const cipher = key.run(
      ['pkeyutl', '-encrypt', '-pubin', '-inkey', key.publicPath, ...oaepSha1],
      '王五',
    );
    expect(decryptSensitive(cipher.toString('base64'), key.privateKey)).toBe('王五');
  });

  it('throws a decrypt error for a flipped byte or another key', () => {
    const cipher = Buffer.from(encryptSensitive('x', key.publicKey), 'base64');
    flipByte(cipher, 7, 0x01);
    expect(() => decryptSensitive(cipher.toString('base64'), key.privateKey)).toThrow(
      WechatPayDecryptError,
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() => decryptSensitive(encryptSensitive('x', key.publicKey), other)).toThrow(
      WechatPayDecryptError,
    );
  });
});
