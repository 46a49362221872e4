import { describe, expect, it } from 'vitest';
import { WechatPayNetworkError } from '../../lib/index.js';
import { orderNo, useWarmSimulatorApp } from '../support/wechatpay-app.js';

// A server that answers, but a byte at a time: only a deadline on the whole exchange stops it.
const timeout = 1000;
// Slack above the deadline for a loaded CI machine. Every fault below lasts far longer than
// `timeout + margin` (a trickled answer about 10 s or more, a delay or stall 10 s), so a call that
// waited for the server instead of its deadline still fails.
const margin = 4000;
const trickle = { type: 'trickle', intervalMs: 200 } as const;

const context = useWarmSimulatorApp(timeout, 'https://shop.example.com/wechatpay/notify');

/** Runs `call` and returns its outcome and how long it took. */
async function timed<T>(call: () => Promise<T>) {
  const started = performance.now();
  const outcome = await call().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, ms: performance.now() - started } as {
    value?: T;
    error?: unknown;
    ms: number;
  };
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('timeout bounds the whole exchange: connect, headers and body', () => {
  it('v3: an order whose answer trickles in fails over to the backup within the timeout', async () => {
    const outTradeNo = orderNo();
    context.simulator.injectFault(trickle);
    const { value, error, ms } = await timed(() =>
      context.wechatPay.payments.prepayNative({
        description: 'Slow primary',
        out_trade_no: outTradeNo,
        amount: { total: 1 },
      }),
    );
    expect(error).toBeUndefined();
    expect(value).toHaveProperty('code_url');
    expect(ms).toBeLessThan(timeout + margin);
    expect(context.simulator.requestsTo('backup')).toHaveLength(1);
    // The order placed on the primary and the one re-sent to the backup are the same order.
    expect(
      context.simulator.state.allOrders().filter((o) => o.outTradeNo === outTradeNo),
    ).toHaveLength(1);
  });

  it('v3: a request that is not idempotent is reported within the timeout, naming the domain, and not re-sent', async () => {
    context.simulator.injectFault(trickle);
    const { error, ms } = await timed(() =>
      context.wechatPay.request('POST', '/v3/marketing/favor/users/o1/coupons', { stock_id: '1' }),
    );
    expect(ms).toBeLessThan(timeout + margin);
    expect(error).toBeInstanceOf(WechatPayNetworkError);
    const network = error as WechatPayNetworkError;
    expect(network.domains).toEqual([context.simulator.url]);
    expect(network.retrySafe).toBe(false);
    expect(network.message).toContain(`${context.simulator.url}: timed out after ${timeout} ms`);
    expect(network.message).toMatch(/not idempotent: query its result/);
    expect(context.simulator.requestsTo('backup')).toHaveLength(0);
  });

  it('v3: an idempotent request that trickles everywhere fails after both domains, marked safe to retry', async () => {
    context.simulator.injectFault(trickle, { count: 2, listener: 'any' });
    const { error, ms } = await timed(() =>
      context.wechatPay.payments.queryByOutTradeNo(orderNo()),
    );
    expect(ms).toBeLessThan(2 * timeout + margin);
    expect(error).toBeInstanceOf(WechatPayNetworkError);
    expect((error as WechatPayNetworkError).domains).toEqual([
      context.simulator.url,
      context.simulator.backupUrl,
    ]);
    expect((error as WechatPayNetworkError).retrySafe).toBe(true);
    expect((error as Error).message).toMatch(/safe to send again/);
  });

  it('v2: an order whose XML answer trickles in fails over to the backup within the timeout', async () => {
    context.simulator.injectFault({ ...trickle, bytes: 10 });
    const { value, error, ms } = await timed(() =>
      context.wechatPay.v2.payments.unifiedOrder({
        body: 'Slow primary',
        out_trade_no: orderNo('V2'),
        total_fee: 1,
        spbill_create_ip: '123.12.12.123',
        trade_type: 'NATIVE',
      }),
    );
    expect(error).toBeUndefined();
    expect(value).toMatchObject({ result_code: 'SUCCESS' });
    expect(ms).toBeLessThan(timeout + margin);
    expect(context.simulator.requestsTo('backup').map((r) => r.path)).toEqual([
      '/pay/unifiedorder',
    ]);
  });
});

describe('bill downloads: the timeout bounds the wait for headers, then each wait for more bytes', () => {
  it('a download whose headers do not come within the timeout fails over to the backup', async () => {
    const bill = await context.wechatPay.bills.tradeBill({ bill_date: today() });
    const text = await context.wechatPay.bills.downloadText(bill);
    context.simulator.requests.length = 0;
    context.simulator.injectFault({ type: 'delay', ms: timeout * 10 });
    const { value, ms } = await timed(() => context.wechatPay.bills.downloadText(bill));
    expect(value).toBe(text);
    expect(ms).toBeLessThan(timeout + margin);
    expect(context.simulator.requestsTo('backup').map((r) => r.path.split('?')[0])).toEqual([
      '/v3/billdownload/file',
    ]);
  });

  it('a download that stalls mid-body fails with a network error within the timeout', async () => {
    const bill = await context.wechatPay.bills.tradeBill({ bill_date: today() });
    context.simulator.injectFault({ type: 'trickle', intervalMs: timeout * 10 });
    const { error, ms } = await timed(() => context.wechatPay.bills.downloadText(bill));
    expect(ms).toBeLessThan(timeout + margin);
    expect(error).toBeInstanceOf(WechatPayNetworkError);
    expect((error as WechatPayNetworkError).retrySafe).toBe(true);
    expect((error as Error).message).toMatch(/no data for 1000 ms/);
  });

  it('a large bill that keeps arriving is not cut off by the timeout', async () => {
    const bill = await context.wechatPay.bills.tradeBill({ bill_date: today() });
    const text = await context.wechatPay.bills.downloadText(bill);
    // Eight pieces a quarter of the timeout apart: the download takes twice the timeout.
    const bytes = Math.ceil(Buffer.byteLength(text) / 8);
    context.simulator.injectFault({ type: 'trickle', intervalMs: timeout / 4, bytes });
    const { value, error, ms } = await timed(() => context.wechatPay.bills.downloadText(bill));
    expect(error).toBeUndefined();
    expect(value).toBe(text);
    expect(ms).toBeGreaterThan(timeout);
  });

  it('v2: a bill that keeps arriving is not cut off; one that stalls fails over within the timeout', async () => {
    const query = { bill_date: today().replace(/-/g, '') };
    const text = await context.wechatPay.v2.bills.downloadTradeBill(query);
    const bytes = Math.ceil(Buffer.byteLength(text) / 8);
    context.simulator.requests.length = 0;
    context.simulator.injectFault({ type: 'trickle', intervalMs: timeout / 4, bytes });
    const steady = await timed(() => context.wechatPay.v2.bills.downloadTradeBill(query));
    expect(steady.value).toBe(text);
    expect(steady.ms).toBeGreaterThan(timeout);
    expect(context.simulator.requestsTo('backup')).toHaveLength(0);

    context.simulator.injectFault({ type: 'trickle', intervalMs: timeout * 10 });
    const stalled = await timed(() => context.wechatPay.v2.bills.downloadTradeBill(query));
    expect(stalled.value).toBe(text);
    expect(stalled.ms).toBeLessThan(timeout + margin);
    expect(context.simulator.requestsTo('backup').map((r) => r.path)).toEqual([
      '/pay/downloadbill',
    ]);
  });
});
