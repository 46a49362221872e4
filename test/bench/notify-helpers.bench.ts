import { createDecipheriv, verify } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decryptResource, type EncryptedResource, verifyV3Message } from 'nestjs-wechatpay/crypto';
import { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { ratio, report } from './measure.js';
import { paidBenchOrder } from './paid-order.js';

let simulator: WechatPaySimulator;
beforeAll(async () => {
  simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
});
afterAll(() => simulator.stop());

it('the exported verify + decrypt helpers keep ≥ 0.97 of bare node:crypto on a notification', async () => {
  const outTradeNo = paidBenchOrder(simulator, `BENCHH${Date.now()}`, 'http://127.0.0.1:9/notify');
  // As a plain Node user holds them: headers and body text as received, the platform key as a
  // KeyObject parsed at start-up, the APIv3 key as the configured string.
  const notifications = Array.from({ length: 64 }, (_, i) =>
    simulator.signedTransactionNotification(outTradeNo, { id: `H-${i}` }),
  ).map(({ body, headers }) => ({
    body,
    timestamp: headers['Wechatpay-Timestamp']!,
    nonce: headers['Wechatpay-Nonce']!,
    signature: headers['Wechatpay-Signature']!,
  }));
  const platformKey = simulator.platformPublicKey;
  const apiV3Key = simulator.merchant.apiV3Key;
  const apiV3KeyBytes = Buffer.from(apiV3Key);
  const value = await ratio({
    iterations: 200,
    baseline: (i) => {
      const n = notifications[i % notifications.length]!;
      const message = Buffer.from(`${n.timestamp}\n${n.nonce}\n${n.body}\n`);
      if (!verify('sha256', message, platformKey, Buffer.from(n.signature, 'base64'))) {
        throw new Error('baseline did not verify');
      }
      const { resource } = JSON.parse(n.body) as { resource: Required<EncryptedResource> };
      const data = Buffer.from(resource.ciphertext, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', apiV3KeyBytes, Buffer.from(resource.nonce));
      decipher.setAuthTag(data.subarray(-16));
      decipher.setAAD(Buffer.from(resource.associated_data));
      const plain = Buffer.concat([decipher.update(data.subarray(0, -16)), decipher.final()]);
      return JSON.parse(plain.toString()) as unknown;
    },
    ours: (i) => {
      const n = notifications[i % notifications.length]!;
      if (!verifyV3Message(`${n.timestamp}\n${n.nonce}\n${n.body}\n`, n.signature, platformKey)) {
        throw new Error('ours did not verify');
      }
      const { resource } = JSON.parse(n.body) as { resource: EncryptedResource };
      return JSON.parse(decryptResource(resource, apiV3Key)) as unknown;
    },
  });
  report('notify-helpers-verify-decrypt', { ratio: value });
  expect(value).toBeGreaterThanOrEqual(0.97);
});
