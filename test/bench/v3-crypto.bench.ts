import { sign, verify } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveWechatPayConfig, WechatPayClient } from 'nestjs-wechatpay';
import { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { ratio, report } from './measure.js';

// Nothing listens on port 9: notifications, if any, go nowhere.
const NO_RECEIVER_NOTIFY_URL = 'http://127.0.0.1:9/wechatpay/notify';

let simulator: WechatPaySimulator;
let client: WechatPayClient;
beforeAll(async () => {
  simulator = await new WechatPaySimulator({ backup: false }).start();
  client = new WechatPayClient(
    resolveWechatPayConfig(simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL })),
  );
});
afterAll(async () => {
  client.close();
  await simulator.stop();
});

it('signs request headers at ≥ 0.95 of bare crypto.sign', async () => {
  const body = JSON.stringify({
    mchid: simulator.merchant.mchid,
    out_trade_no: 'BENCH000001',
    amount: { total: 1 },
  });
  const path = '/v3/pay/transactions/native';
  const message = Buffer.from(`POST\n${path}\n1700000000\n${'N'.repeat(32)}\n${body}\n`);
  const privateKey = simulator.merchant.privateKey;
  const value = await ratio({
    // Blocks of ~30 ms: shorter ones let timer noise dominate a 0.3 ms signature.
    iterations: 100,
    baseline: () => sign('sha256', message, privateKey),
    ours: () => client.authorization('POST', path, body),
  });
  report('v3-sign-request-headers', { ratio: value });
  expect(value).toBeGreaterThanOrEqual(0.95);
});

it('verifies answers through the certificate store at ≥ 0.95 of bare crypto.verify', async () => {
  await client.payments.prepayNative({
    description: 'warm-up',
    out_trade_no: 'BENCH000002',
    amount: { total: 1 },
  });
  const answers = Array.from({ length: 64 }, (_, i) => {
    const text = JSON.stringify({ code_url: `weixin://wxpay/bizpayurl?pr=${i}` });
    // Lower-case names, as the transport hands answers over.
    const headers = Object.fromEntries(
      Object.entries(simulator.signMessage(text)).map(([name, value]) => [
        name.toLowerCase(),
        value,
      ]),
    );
    const signed = Buffer.from(
      `${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${text}\n`,
    );
    return {
      headers,
      bytes: Buffer.from(text),
      signed,
      signature: headers['wechatpay-signature']!,
    };
  });
  const platformKey = simulator.platformPublicKey;
  const value = await ratio({
    iterations: 300,
    // Both sides start from the answer as received: the signature arrives as base64 text in a
    // header, so the bare loop decodes it too.
    baseline: (i) => {
      const a = answers[i % answers.length]!;
      if (!verify('sha256', a.signed, platformKey, Buffer.from(a.signature, 'base64'))) {
        throw new Error('baseline did not verify');
      }
    },
    ours: (i) => {
      const a = answers[i % answers.length]!;
      return client.verifier.verify(a.headers, a.bytes, 'bench answer');
    },
  });
  report('v3-verify-response', { ratio: value });
  expect(value).toBeGreaterThanOrEqual(0.95);
});
