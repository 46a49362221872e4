// `npm run bench`: ratios of the package's hot paths against bare node:crypto on the same keys
// and messages, measured in one run. Exits non-zero when a ratio is below its floor.
import { sign, verify } from 'node:crypto';
import { resolveWechatPayConfig, WechatPayClient } from '../../dist/index.js';
import { WechatPaySimulator } from '../../dist/testing/index.js';
import { ratio, report } from './measure.mjs';

const failures = [];
const simulator = await new WechatPaySimulator({ backup: false }).start();
const client = new WechatPayClient(resolveWechatPayConfig(simulator.moduleOptions()));

try {
  // (a) Signing a request: the service's Authorization header against crypto.sign alone.
  const body = JSON.stringify({
    mchid: simulator.merchant.mchid,
    out_trade_no: 'BENCH000001',
    amount: { total: 1 },
  });
  const path = '/v3/pay/transactions/native';
  const message = `POST\n${path}\n1700000000\n${'N'.repeat(32)}\n${body}\n`;
  const privateKey = simulator.merchant.privateKey;
  report(
    'v3-sign-request-headers',
    await ratio({
      iterations: 200,
      rounds: 11,
      baseline: () => sign('sha256', Buffer.from(message), privateKey),
      ours: () => client.authorization('POST', path, body),
    }),
    0.9,
    failures,
  );

  // (b) Verifying an answer through the certificate store against crypto.verify alone. Both
  // sides start from the answer as received: the signature arrives as base64 text in a header,
  // so the bare loop decodes it too.
  await client.prepayNative({
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
    const bytes = Buffer.from(text);
    const signed = Buffer.from(
      `${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${text}\n`,
    );
    return { headers, bytes, signed, signature: headers['wechatpay-signature'] };
  });
  const platformKey = simulator.platformPublicKey;
  report(
    'v3-verify-response',
    await ratio({
      iterations: 4000,
      baseline: (i) => {
        const a = answers[i % answers.length];
        if (!verify('sha256', a.signed, platformKey, Buffer.from(a.signature, 'base64'))) {
          throw new Error('baseline did not verify');
        }
      },
      ours: (i) => {
        const a = answers[i % answers.length];
        return client.verifier.verify(a.headers, a.bytes, 'bench answer');
      },
    }),
    0.9,
    failures,
  );
} finally {
  client.close();
  await simulator.stop();
}

if (failures.length) {
  console.error(`bench: below floor: ${failures.join('; ')}`);
  process.exitCode = 1;
}
