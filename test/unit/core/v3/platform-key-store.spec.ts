import { createSecretKey, generateKeyPairSync, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptResource } from '../../../../lib/core/crypto/index.js';
import { PlatformKeyStore } from '../../../../lib/core/v3/platform-key-store.js';
import {
  WechatPayApiError,
  WechatPayConfigError,
  WechatPaySignatureError,
} from '../../../../lib/index.js';
import type { TransportResponse } from '../../../../lib/core/http/transport.js';
import {
  createPlatformCertificate,
  type PlatformCertificate,
} from '../../../../lib/testing/index.js';

const apiV3KeyText = 'Yw9uD3rVzq8YkLx2Pp5sT7nB1cF4hJ6m';
const apiV3Key = createSecretKey(Buffer.from(apiV3KeyText));
let certA: PlatformCertificate;
let certB: PlatformCertificate;

beforeAll(async () => {
  [certA, certB] = await Promise.all([createPlatformCertificate(), createPlatformCertificate()]);
});

/** A `/v3/certificates` answer listing `certs`, signed by `signer`, at `now`. */
function listAnswer(
  certs: PlatformCertificate[],
  signer: PlatformCertificate,
  now: number,
  status = 200,
): TransportResponse {
  const body = Buffer.from(
    JSON.stringify({
      data: certs.map((c) => ({
        serial_no: c.serial,
        effective_time: c.notBefore.toISOString(),
        expire_time: c.notAfter.toISOString(),
        encrypt_certificate: encryptResource(c.pem, apiV3KeyText, {
          associatedData: 'certificate',
        }),
      })),
    }),
  );
  const timestamp = String(Math.floor(now / 1000));
  const nonce = 'NONCE';
  const signature = sign(
    'sha256',
    Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), body, Buffer.from('\n')]),
    signer.privateKey,
  ).toString('base64');
  return {
    status,
    body,
    baseUrl: 'http://test',
    headers: {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-serial': signer.serial,
      'wechatpay-signature': signature,
    },
  };
}

function storeWith(answers: () => TransportResponse, clock: { now: number }) {
  let downloads = 0;
  const store = new PlatformKeyStore({
    apiV3Key,
    now: () => clock.now,
    fetchCertificates: () => {
      downloads += 1;
      return Promise.resolve(answers());
    },
  });
  return { store, downloads: () => downloads };
}

describe('PlatformKeyStore', () => {
  it('downloads, decrypts and verifies the list on first use, then answers from memory', async () => {
    const clock = { now: Date.now() };
    const { store, downloads } = storeWith(() => listAnswer([certA], certA, clock.now), clock);
    expect((await store.keyFor(certA.serial))?.equals(certA.publicKey)).toBe(true);
    expect(store.lookup(certA.serial)?.equals(certA.publicKey)).toBe(true);
    expect(downloads()).toBe(1);
  });

  it('coalesces concurrent downloads into one', async () => {
    const clock = { now: Date.now() };
    const { store, downloads } = storeWith(() => listAnswer([certA], certA, clock.now), clock);
    await Promise.all(Array.from({ length: 10 }, () => store.keyFor(certA.serial)));
    expect(downloads()).toBe(1);
  });

  it('rate-limits downloads for unknown serials to two per window, then allows more later', async () => {
    const clock = { now: Date.now() };
    const { store, downloads } = storeWith(() => listAnswer([certA], certA, clock.now), clock);
    for (let i = 0; i < 20; i++) expect(await store.keyFor(`UNKNOWN${i}`)).toBeUndefined();
    expect(downloads()).toBe(2);
    clock.now += 60_001;
    await store.keyFor('UNKNOWN-LATER');
    expect(downloads()).toBe(3);
  });

  it('refreshes in the background once the list is older than 12 hours', async () => {
    const clock = { now: Date.now() };
    let list = [certA];
    const { store, downloads } = storeWith(() => listAnswer(list, certA, clock.now), clock);
    await store.keyFor(certA.serial);
    list = [certA, certB];
    clock.now += 11 * 3_600_000;
    store.lookup(certA.serial);
    expect(downloads()).toBe(1);
    clock.now += 2 * 3_600_000;
    store.lookup(certA.serial);
    await store.refresh(); // joins the background download
    expect(downloads()).toBe(2);
    expect(store.lookup(certB.serial)).toBeDefined();
  });

  it('installs nothing from a list whose signature does not verify', async () => {
    const clock = { now: Date.now() };
    const forged = () => {
      const answer = listAnswer([certA], certA, clock.now);
      return { ...answer, headers: { ...answer.headers, 'wechatpay-serial': certB.serial } };
    };
    const { store } = storeWith(forged, clock);
    await expect(store.refresh()).rejects.toBeInstanceOf(WechatPaySignatureError);
    expect(store.knownSerials).toEqual([]);
  });

  it('installs nothing from a list signed by another key under a listed serial', async () => {
    const clock = { now: Date.now() };
    const forged = () => {
      const genuine = listAnswer([certA], certA, clock.now);
      const bySomeoneElse = listAnswer([certA], certB, clock.now);
      return {
        ...genuine,
        headers: { ...bySomeoneElse.headers, 'wechatpay-serial': certA.serial },
      };
    };
    const { store } = storeWith(forged, clock);
    await expect(store.refresh()).rejects.toThrow(/does not verify/);
    expect(store.knownSerials).toEqual([]);
  });

  it('turns a 404 into a configuration error that names the public key, unless one is configured', async () => {
    const clock = { now: Date.now() };
    const notFound = () => ({ ...listAnswer([], certA, clock.now), status: 404 });
    const { store } = storeWith(notFound, clock);
    await expect(store.refresh()).rejects.toBeInstanceOf(WechatPayConfigError);
    expect(store.usesCertificates).toBe(false);

    const publicKey = {
      serial: 'PUB_KEY_ID_0001',
      key: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
    };
    const withKey = new PlatformKeyStore({
      apiV3Key,
      publicKey,
      fetchCertificates: () => Promise.resolve(notFound()),
    });
    await expect(withKey.refresh()).resolves.toBeUndefined();
    expect(await withKey.keyFor('PUB_KEY_ID_0001')).toBe(publicKey.key);
    expect((await withKey.encryptionKey()).serial).toBe('PUB_KEY_ID_0001');
  });

  describe('a first download refused by WeChat Pay names the public-key options as the likely fix', () => {
    const publicKeyHint = /platformPublicKey \(or platformPublicKeyPath\) and platformPublicKeyId/;
    const refusal = (status: number, code: string): TransportResponse => ({
      status,
      body: Buffer.from(JSON.stringify({ code, message: '无可用的平台证书' })),
      headers: { 'request-id': 'REQ-1' },
      baseUrl: 'http://test',
    });

    it.each([
      [400, 'PARAM_ERROR'],
      [401, 'SIGN_ERROR'],
      [403, 'NO_AUTH'],
      [500, 'SYSTEM_ERROR'],
    ])('%i %s: still the API error, with the hint', async (status, code) => {
      const store = new PlatformKeyStore({
        apiV3Key,
        fetchCertificates: () => Promise.resolve(refusal(status, code)),
      });
      const error = await store.refresh().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WechatPayApiError);
      expect(error).toMatchObject({ status, code, requestId: 'REQ-1' });
      expect((error as Error).message).toMatch(publicKeyHint);
    });

    it('not when a public key is configured, nor once certificates were downloaded', async () => {
      const withKey = new PlatformKeyStore({
        apiV3Key,
        publicKey: {
          serial: 'PUB_KEY_ID_0001',
          key: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
        },
        fetchCertificates: () => Promise.resolve(refusal(403, 'NO_AUTH')),
      });
      const withKeyError = await withKey.refresh().catch((e: unknown) => e);
      expect(withKeyError).toBeInstanceOf(WechatPayApiError);
      expect((withKeyError as Error).message).not.toMatch(/platformPublicKey/);

      const clock = { now: Date.now() };
      let answer = () => listAnswer([certA], certA, clock.now);
      const { store } = storeWith(() => answer(), clock);
      await store.refresh();
      answer = () => refusal(500, 'SYSTEM_ERROR');
      const later = await store.refresh().catch((e: unknown) => e);
      expect(later).toBeInstanceOf(WechatPayApiError);
      expect((later as Error).message).not.toMatch(/platformPublicKey/);
    });
  });
});
