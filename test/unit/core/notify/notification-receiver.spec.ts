import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  receiveNotification,
  resolveWechatPayConfig,
  V2_SUCCESS_ACK,
  WechatPayClient,
} from '../../../../lib/index.js';
import { WechatPaySimulator } from '../../../../lib/testing/index.js';

let simulator: WechatPaySimulator;
let client: WechatPayClient;
beforeAll(async () => {
  simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
  client = new WechatPayClient(resolveWechatPayConfig(simulator.moduleOptions()));
});
afterAll(async () => {
  client.close();
  await simulator.stop();
});

function capture() {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    logger: {
      warn: (message: string) => lines.push({ level: 'warn', message }),
      error: (message: string) => lines.push({ level: 'error', message }),
    },
  };
}

let orders = 0;
/** A signed notification of a paid order, as node:http hands it over (lower-case headers). */
function delivery(contentType = 'application/json') {
  const outTradeNo = `RECEIVER${Date.now()}${(orders += 1)}`;
  simulator.state.addOrder({
    mchid: simulator.merchant.mchid,
    appid: simulator.merchant.appid,
    channel: 'native',
    outTradeNo,
    description: 'receiver',
    total: 1,
    currency: 'CNY',
    notifyUrl: 'http://127.0.0.1:9/notify',
  });
  simulator.pay(outTradeNo);
  const { body, headers } = simulator.signedTransactionNotification(outTradeNo);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: { ...lower, 'content-type': contentType }, rawBody: Buffer.from(body) };
}

describe('receiveNotification', () => {
  it('acknowledges a handled event in the v3 format, and later deliveries without running it again', async () => {
    const request = delivery();
    let runs = 0;
    const first = await receiveNotification(client, request, () => {
      runs += 1;
    });
    expect(first).toEqual({
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ code: 'SUCCESS', message: '成功' }),
    });
    const again = await receiveNotification(client, request, () => {
      runs += 1;
    });
    expect(again.status).toBe(200);
    expect(runs).toBe(1);
  });

  it('answers 500 when the handler throws, logs it, and runs it again on the next delivery', async () => {
    const { lines, logger } = capture();
    const request = delivery();
    const failed = await receiveNotification(
      client,
      request,
      () => Promise.reject(new Error('database unavailable')),
      { logger },
    );
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({
      code: 'FAIL',
      message: 'the handler failed; deliver again later',
    });
    expect(lines).toContainEqual({
      level: 'error',
      message: expect.stringMatching(/handler failed/),
    });
    let runs = 0;
    const retried = await receiveNotification(client, request, () => (runs += 1), { logger });
    expect(retried.status).toBe(200);
    expect(runs).toBe(1);
  });

  it('refuses an event the route does not take with 400, without running the handler', async () => {
    const { lines, logger } = capture();
    let runs = 0;
    const answer = await receiveNotification(client, delivery(), () => (runs += 1), {
      events: ['REFUND.SUCCESS'],
      logger,
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).message).toMatch(/no handler for TRANSACTION\.SUCCESS/);
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    expect(runs).toBe(0);
  });

  it('refuses a Content-Type WeChat Pay does not send with 415, and a forged body with 401', async () => {
    const { logger } = capture();
    let runs = 0;
    const wrongType = await receiveNotification(client, delivery('text/plain'), () => (runs += 1), {
      logger,
    });
    expect(wrongType.status).toBe(415);
    const request = delivery();
    const forged = await receiveNotification(
      client,
      { ...request, rawBody: Buffer.from(request.rawBody.toString().replace('"id"', '"id" ')) },
      () => (runs += 1),
      { logger },
    );
    expect(forged.status).toBe(401);
    expect(runs).toBe(0);
  });

  it('answers a v2 route in XML: a v3 body there is refused in the v2 FAIL format', async () => {
    const { logger } = capture();
    const answer = await receiveNotification(client, delivery('text/xml'), () => undefined, {
      version: 'v2',
      logger,
    });
    expect(answer.headers).toEqual({ 'Content-Type': 'text/xml; charset=utf-8' });
    expect(answer.status).toBe(400);
    expect(answer.body).toBe(
      '<xml><return_code>FAIL</return_code><return_msg><![CDATA[malformed XML]]></return_msg></xml>',
    );
    expect(answer.body).not.toBe(V2_SUCCESS_ACK);
  });
});
