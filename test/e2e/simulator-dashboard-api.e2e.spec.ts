import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatPayApiError, type WechatPayService } from '../../lib/index.js';
import type { DashboardState } from '../../lib/testing/dashboard/dashboard-state.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { type NotifyApp, startNotifyApp } from '../support/notify-app.js';
import { bootWechatPay, NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

/** The dashboard API of `simulator`, as the page calls it. */
function dashboardApi(simulator: WechatPaySimulator) {
  const api = `${simulator.dashboardUrl}api/`;
  return {
    async state() {
      const response = await fetch(`${api}state`);
      expect(response.status).toBe(200);
      return (await response.json()) as DashboardState;
    },
    async post(path: string, body: unknown = {}, contentType = 'application/json') {
      const response = await fetch(api + path, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
  };
}

/** A request with headers `fetch` will not let a test set (Host, Origin). */
function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe.each(ADAPTERS)('simulator dashboard API with a Nest app on %s', (adapter) => {
  let simulator: WechatPaySimulator;
  let shop: NotifyApp;
  let api: ReturnType<typeof dashboardApi>;

  beforeAll(async () => {
    // Redelivery 1000 times faster than WeChat Pay's schedule: 15 s become 15 ms.
    simulator = await new WechatPaySimulator({ notifications: { timeScale: 0.001 } }).start();
    shop = await startNotifyApp(adapter, simulator.moduleOptions());
    api = dashboardApi(simulator);
  });
  afterAll(async () => {
    await shop.app.close();
    await simulator.stop();
  });

  const placeOrder = async (prefix: string) => {
    const outTradeNo = orderNo(prefix);
    await shop.wechatPay.payments.prepayNative({
      description: `dashboard ${prefix}`,
      out_trade_no: outTradeNo,
      amount: { total: 88 },
      notify_url: shop.notifyUrl,
    });
    return outTradeNo;
  };

  it('lists the order the app placed, pays it as the user, and logs the delivery the app acknowledged', async () => {
    const outTradeNo = await placeOrder('DASHPAY');
    const before = (await api.state()).orders.find((o) => o.outTradeNo === outTradeNo);
    expect(before).toMatchObject({
      mchid: simulator.merchant.mchid,
      state: 'NOTPAY',
      total: 88,
      description: 'dashboard DASHPAY',
      apiVersion: 'v3',
    });

    const paid = await api.post(`orders/${outTradeNo}/pay`);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ out_trade_no: outTradeNo, trade_state: 'SUCCESS' });
    await simulator.waitForDelivery((d) => d.url === shop.notifyUrl && d.status === 200);
    expect(shop.ledger.paid.map((t) => t.out_trade_no)).toContain(outTradeNo);

    const state = await api.state();
    expect(state.orders.find((o) => o.outTradeNo === outTradeNo)?.state).toBe('SUCCESS');
    const delivery = state.deliveries.find(
      (d) => d.eventType === 'TRANSACTION.SUCCESS' && d.status === 200,
    )!;
    expect(delivery).toMatchObject({ url: shop.notifyUrl, attempt: 1 });
    // The body as sent: the envelope, its resource still encrypted.
    expect(JSON.parse(delivery.requestBody)).toMatchObject({
      event_type: 'TRANSACTION.SUCCESS',
      resource: { algorithm: 'AEAD_AES_256_GCM' },
    });
    expect(delivery.requestBody).not.toContain(outTradeNo);

    const again = await api.post(`orders/${outTradeNo}/pay`);
    expect(again).toEqual({
      status: 409,
      body: { error: `simulator: order ${outTradeNo} is SUCCESS, not NOTPAY` },
    });
  });

  it('drops the next notification: the attempt is logged without an answer, the redelivery is handled once', async () => {
    expect((await api.post('faults/drop-next-notification')).body).toEqual({
      dropNotifications: 1,
    });
    expect((await api.state()).faults.dropNotifications).toBe(1);
    const outTradeNo = await placeOrder('DASHDROP');
    await api.post(`orders/${outTradeNo}/pay`);

    await expect
      .poll(() => shop.ledger.paid.filter((t) => t.out_trade_no === outTradeNo).length)
      .toBe(1);
    const id = shop.ledger.envelopes.at(-1)!.id;
    // The app answered after handling it; the simulator logs the attempt once it read the answer.
    await simulator.waitForDelivery((d) => d.id === id && d.status === 200);
    const attempts = (await api.state()).deliveries.filter((d) => d.id === id);
    expect(attempts.map((d) => [d.attempt, d.status ?? null])).toEqual([
      [1, null],
      [2, 200],
    ]);
    expect(attempts[0]?.error).toMatch(/^dropped/);
    expect((await api.state()).faults.dropNotifications).toBe(0);
  });

  it('simulator.dropNextNotifications(2) loses two attempts; the third reaches the app', async () => {
    simulator.dropNextNotifications(2);
    const outTradeNo = await placeOrder('DASHDROP2');
    simulator.pay(outTradeNo);
    await expect
      .poll(() => shop.ledger.paid.filter((t) => t.out_trade_no === outTradeNo).length)
      .toBe(1);
    const id = shop.ledger.envelopes.at(-1)!.id;
    // The app answered after handling it; the simulator logs the attempt once it read the answer.
    await simulator.waitForDelivery((d) => d.id === id && d.status === 200);
    expect(
      simulator.deliveries.filter((d) => d.id === id).map((d) => [d.attempt, d.status ?? null]),
    ).toEqual([
      [1, null],
      [2, null],
      [3, 200],
    ]);
  });

  it('completes a refund the app asked for, and the app gets REFUND.SUCCESS', async () => {
    const outTradeNo = await placeOrder('DASHREFUND');
    await api.post(`orders/${outTradeNo}/pay`);
    const outRefundNo = orderNo('RDASH');
    await shop.wechatPay.refunds.create({
      out_trade_no: outTradeNo,
      out_refund_no: outRefundNo,
      amount: { refund: 88, total: 88, currency: 'CNY' },
      notify_url: shop.refundNotifyUrl,
    });
    const listed = (await api.state()).refunds.find((r) => r.outRefundNo === outRefundNo);
    expect(listed).toMatchObject({ outTradeNo, refund: 88, status: 'PROCESSING' });

    const done = await api.post(`refunds/${outRefundNo}/complete`, { status: 'SUCCESS' });
    expect(done).toMatchObject({ status: 200, body: { status: 'SUCCESS' } });
    await expect.poll(() => shop.ledger.refunds.map((r) => r.out_refund_no)).toContain(outRefundNo);
    expect((await api.post(`refunds/${outRefundNo}/complete`)).status).toBe(409);
  });
});

describe('simulator dashboard API', () => {
  let simulator: WechatPaySimulator;
  let wechatPay: WechatPayService;
  let close: () => Promise<void>;
  let api: ReturnType<typeof dashboardApi>;

  beforeAll(async () => {
    simulator = await new WechatPaySimulator().start();
    const booted = await bootWechatPay(
      simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
    );
    wechatPay = booted.wechatPay;
    close = () => booted.app.close();
    api = dashboardApi(simulator);
  });
  afterAll(async () => {
    await close();
    await simulator.stop();
  });

  it('fail next request: the app’s next call gets the injected error, the one after works', async () => {
    const outTradeNo = orderNo('DASHFAIL');
    await wechatPay.payments.prepayNative({
      description: 'fault',
      out_trade_no: outTradeNo,
      amount: { total: 1 },
    });
    const armed = await api.post('faults/fail-next-request', { status: 503, code: 'SYSTEM_ERROR' });
    expect(armed).toEqual({
      status: 200,
      body: {
        fault: { type: 'status', status: 503, code: 'SYSTEM_ERROR' },
        count: 1,
        listener: 'primary',
      },
    });
    // The dashboard's own requests neither use up the fault nor appear in the request log.
    const requestsBefore = simulator.requests.length;
    expect((await api.state()).faults.pending).toEqual([
      {
        fault: { type: 'status', status: 503, code: 'SYSTEM_ERROR' },
        remaining: 1,
        listener: 'primary',
      },
    ]);
    expect(simulator.requests.length).toBe(requestsBefore);

    const failed = await wechatPay.payments.queryByOutTradeNo(outTradeNo).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(WechatPayApiError);
    expect(failed).toMatchObject({ status: 503, code: 'SYSTEM_ERROR' });
    const state = await api.state();
    expect(state.faults.pending).toEqual([]);
    expect(state.requests.at(-1)).toMatchObject({
      listener: 'primary',
      method: 'GET',
      status: 503,
    });
    expect((await wechatPay.payments.queryByOutTradeNo(outTradeNo)).trade_state).toBe('NOTPAY');
  });

  it('reset next connection: the app’s query fails over to the backup domain', async () => {
    const outTradeNo = orderNo('DASHRESET');
    await wechatPay.payments.prepayNative({
      description: 'reset',
      out_trade_no: outTradeNo,
      amount: { total: 1 },
    });
    await api.post('faults/fail-next-request', { kind: 'reset' });
    expect((await wechatPay.payments.queryByOutTradeNo(outTradeNo)).trade_state).toBe('NOTPAY');
    expect((await api.state()).requests.slice(-2)).toEqual([
      expect.objectContaining({ listener: 'primary', status: -1 }),
      expect.objectContaining({ listener: 'backup', status: 200 }),
    ]);
  });

  it('rotates the platform certificate; the app verifies answers signed with the new one', async () => {
    const before = simulator.platformSerial;
    const rotated = await api.post('platform-certificate/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body.serial).not.toBe(before);
    expect(simulator.platformSerial).toBe(rotated.body.serial);
    const serials = (await api.state()).simulator.certificates.map((c) => c.serial);
    expect(serials.slice(-2)).toEqual([before, rotated.body.serial]);

    const outTradeNo = orderNo('DASHROT');
    const prepay = await wechatPay.payments.prepayNative({
      description: 'after rotation',
      out_trade_no: outTradeNo,
      amount: { total: 1 },
    });
    expect(prepay.code_url).toMatch(/^weixin:\/\//);
  });

  it('confirms a transfer as the user, and shows it without the decrypted name', async () => {
    const outBillNo = orderNo('DASHXFER');
    await wechatPay.transfers.create({
      out_bill_no: outBillNo,
      transfer_scene_id: '1000',
      openid: 'o-dashboard-user',
      transfer_amount: 300,
      transfer_remark: '新会员奖励',
      user_name: '李四',
      transfer_scene_report_infos: [
        { info_type: '活动名称', info_content: '新会员有礼' },
        { info_type: '奖励说明', info_content: '注册奖励3元' },
      ],
    });
    const listed = (await api.state()).transfers.find((t) => t.outBillNo === outBillNo);
    expect(listed).toMatchObject({ amount: 300, remark: '新会员奖励', state: 'WAIT_USER_CONFIRM' });

    const confirmed = await api.post(`transfers/${outBillNo}/confirm`);
    expect(confirmed).toMatchObject({ status: 200, body: { state: 'SUCCESS' } });
    expect((await wechatPay.transfers.query(outBillNo)).state).toBe('SUCCESS');
    expect((await api.post(`transfers/${outBillNo}/confirm`)).status).toBe(409);
    expect(JSON.stringify(await api.state())).not.toContain('李四');
  });

  it('pays a combine order (合单) as a whole: a sub-order alone is refused, naming its combine order', async () => {
    const combineNo = orderNo('DASHCMB');
    const [coffee, cake] = [orderNo('DASHSUBA'), orderNo('DASHSUBB')];
    await wechatPay.combine.prepayNative({
      combine_out_trade_no: combineNo,
      sub_orders: [
        {
          out_trade_no: coffee,
          description: 'Coffee',
          attach: 'bar',
          amount: { total_amount: 1800 },
        },
        {
          out_trade_no: cake,
          description: 'Cake',
          attach: 'bakery',
          amount: { total_amount: 2200 },
        },
      ],
    });
    const listed = (await api.state()).orders.filter((o) => o.combineOutTradeNo === combineNo);
    expect(listed.map((o) => [o.outTradeNo, o.state])).toEqual([
      [coffee, 'NOTPAY'],
      [cake, 'NOTPAY'],
    ]);

    expect(await api.post(`orders/${coffee}/pay`)).toEqual({
      status: 409,
      body: {
        error: `order ${coffee} is part of combine order ${combineNo}: pay that one (combine-orders/${combineNo}/pay)`,
      },
    });
    const paid = await api.post(`combine-orders/${combineNo}/pay`);
    expect(paid).toMatchObject({ status: 200, body: { combine_out_trade_no: combineNo } });
    expect((await wechatPay.combine.query(combineNo)).sub_orders.map((o) => o.trade_state)).toEqual(
      ['SUCCESS', 'SUCCESS'],
    );
    expect((await api.post('combine-orders/NO-SUCH/pay')).status).toBe(404);
  });

  it('simulator.dropNextNotifications() refuses a count that is not a positive integer', async () => {
    for (const count of [0, -1, 1.5, Number.NaN]) {
      expect(() => simulator.dropNextNotifications(count)).toThrow(
        `simulator: count must be a positive integer, not ${count}`,
      );
    }
    expect((await api.state()).faults.dropNotifications).toBe(0);
  });

  it('never shows a merchant’s private key, APIv3 key or API v2 key', async () => {
    const text = JSON.stringify(await api.state());
    const { merchant } = simulator;
    expect(text).toContain(merchant.mchid);
    expect(text).not.toContain(merchant.apiV3Key);
    expect(text).not.toContain(merchant.apiKey);
    expect(text).not.toContain('PRIVATE KEY');
    const keyBody = merchant.privateKeyPem.split('\n')[1]!;
    expect(text).not.toContain(keyBody);
  });

  it.each([
    ['an unknown order', 'orders/NO-SUCH-ORDER/pay', {}, 404, 'no order NO-SUCH-ORDER'],
    ['an unknown refund', 'refunds/NO-SUCH/complete', {}, 404, 'no refund NO-SUCH'],
    ['an unknown transfer', 'transfers/NO-SUCH/confirm', {}, 404, 'no transfer NO-SUCH'],
    ['an unknown action', 'orders/X/ship', {}, 404, 'no dashboard API orders/X/ship'],
    [
      'a refund outcome that is not one',
      'refunds/R/complete',
      { status: 'PENDING' },
      400,
      'status must be one of SUCCESS, ABNORMAL, CLOSED',
    ],
    [
      'a count of 0',
      'faults/drop-next-notification',
      { count: 0 },
      400,
      'count must be an integer from 1 to 100',
    ],
    [
      'a status out of range',
      'faults/fail-next-request',
      { status: 200 },
      400,
      'status must be an integer from 400 to 599',
    ],
    [
      'a code in lower case',
      'faults/fail-next-request',
      { code: 'oops' },
      400,
      'code must be an error code such as SYSTEM_ERROR',
    ],
    [
      'an unknown listener',
      'faults/fail-next-request',
      { listener: 'mars' },
      400,
      'listener must be one of primary, backup, secure, any',
    ],
    [
      'keepOld not a boolean',
      'platform-certificate/rotate',
      { keepOld: 'yes' },
      400,
      'keepOld must be a boolean',
    ],
    ['an array body', 'faults/drop-next-notification', [1], 400, 'the body must be a JSON object'],
    [
      'a body that is not JSON',
      'faults/drop-next-notification',
      '{count:',
      400,
      'the body is not valid JSON',
    ],
  ])('refuses %s', async (_what, path, body, status, error) => {
    const before = simulator.platformSerial;
    const answer = await api.post(path, body);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error });
    expect(simulator.platformSerial).toBe(before);
  });

  it('refuses an action not sent as JSON (a form post from another page), and GET on an action', async () => {
    const form = await api.post('faults/drop-next-notification', 'count=5', 'text/plain');
    expect(form).toEqual({
      status: 415,
      body: { error: 'send actions as Content-Type: application/json (got text/plain)' },
    });
    const get = await fetch(`${simulator.dashboardUrl}api/faults/drop-next-notification`);
    expect(get.status).toBe(405);
    expect((await api.state()).faults.dropNotifications).toBe(0);
  });

  it('answers only to 127.0.0.1 itself: another Host (DNS rebinding) or a cross-site Origin is refused', async () => {
    const url = `${simulator.dashboardUrl}api/state`;
    const rebound = await rawRequest(url, 'GET', { Host: 'attacker.example' });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain(simulator.merchant.mchid);
    const crossSite = await rawRequest(
      `${simulator.dashboardUrl}api/faults/drop-next-notification`,
      'POST',
      {
        Origin: 'http://attacker.example',
        'Content-Type': 'application/json',
      },
    );
    expect(crossSite.status).toBe(403);
    expect((await api.state()).faults.dropNotifications).toBe(0);
    const sameOrigin = await rawRequest(url, 'GET', { Origin: new URL(simulator.url).origin });
    expect(sameOrigin.status).toBe(200);
  });

  it('serves the page with a policy that allows only its own script, stylesheet and API', async () => {
    const redirect = await fetch(simulator.dashboardUrl.slice(0, -1), { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/_simulator/');
    const page = await fetch(simulator.dashboardUrl);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<style>|https?:\/\//);
    const script = await (await fetch(`${simulator.dashboardUrl}dashboard.js`)).text();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect((await fetch(`${simulator.dashboardUrl}nothing.js`)).status).toBe(404);
  });
});
