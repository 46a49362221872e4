import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WechatPayApiError, WechatPayNetworkError } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import {
  bootWechatPay,
  NO_RECEIVER_NOTIFY_URL,
  orderNo,
  useWarmSimulatorApp,
} from '../support/wechatpay-app.js';

// Every request here that is not delayed on purpose must be answered within it, on a loaded
// CI machine too.
const timeout = 1500;

const context = useWarmSimulatorApp(timeout, NO_RECEIVER_NOTIFY_URL);

describe('domains and failover', () => {
  it('a connection reset on the primary domain: the call succeeds on the backup', async () => {
    const outTradeNo = orderNo();
    context.simulator.injectFault({ type: 'reset' });
    await expect(
      context.wechatPay.payments.prepayNative({
        description: 'Fail over',
        out_trade_no: outTradeNo,
        amount: { total: 1 },
      }),
    ).resolves.toHaveProperty('code_url');
    expect(context.simulator.requestsTo('primary').map((r) => r.status)).toEqual([-1]);
    expect(context.simulator.requestsTo('backup').map((r) => r.status)).toEqual([200]);
    // Exactly one order exists: the re-sent request was the same order.
    expect(
      context.simulator.state.allOrders().filter((o) => o.outTradeNo === outTradeNo),
    ).toHaveLength(1);
  });

  it.each([400, 500, 503])('an HTTP %i answer is not failed over', async (status) => {
    context.simulator.injectFault({
      type: 'status',
      status,
      code: 'SYSTEM_ERROR',
      message: '系统繁忙',
    });
    const error = await context.wechatPay.payments
      .queryByOutTradeNo(orderNo())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayApiError);
    expect(error).toMatchObject({ status, code: 'SYSTEM_ERROR' });
    expect(context.simulator.requestsTo('backup')).toHaveLength(0);
  });

  it('a timeout of a request that is not idempotent is reported, naming the domain tried, and not re-sent', async () => {
    context.simulator.injectFault({ type: 'delay', ms: timeout * 3 });
    const error = await context.wechatPay
      .request('POST', '/v3/marketing/favor/users/o1/coupons', { stock_id: '1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayNetworkError);
    expect((error as WechatPayNetworkError).domains).toEqual([context.simulator.url]);
    expect((error as Error).message).toContain(
      `${context.simulator.url}: timed out after ${timeout} ms`,
    );
    expect((error as Error).message).toMatch(/not idempotent/);
    expect(context.simulator.requestsTo('backup')).toHaveLength(0);
    // Nothing of the request (Authorization, body) is reachable from the error, at any depth.
    const everything = inspect(error, { depth: Infinity, showHidden: true });
    expect(everything).not.toContain('WECHATPAY2-SHA256-RSA2048');
    expect(everything).not.toContain('stock_id');
  });

  it('an idempotent request that times out everywhere names both domains', async () => {
    context.simulator.injectFault(
      { type: 'delay', ms: timeout * 3 },
      { count: 2, listener: 'any' },
    );
    const error = await context.wechatPay.payments
      .queryByOutTradeNo(orderNo())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayNetworkError);
    expect((error as WechatPayNetworkError).domains).toEqual([
      context.simulator.url,
      context.simulator.backupUrl,
    ]);
    expect((error as Error).message).toContain(context.simulator.backupUrl);
  });

  it('a refused connection fails over even for a request that is not idempotent', async () => {
    const down = await new WechatPaySimulator({
      merchant: context.simulator.merchant,
      backup: false,
    }).start();
    const deadUrl = down.url;
    await down.stop();
    const { app: other, wechatPay: client } = await bootWechatPay(
      context.simulator.moduleOptions({
        domain: deadUrl,
        backupDomain: context.simulator.url,
        notifyUrl: NO_RECEIVER_NOTIFY_URL,
      }),
    );
    try {
      const outTradeNo = orderNo();
      await client.payments.prepayNative({
        description: 'x',
        out_trade_no: outTradeNo,
        amount: { total: 1 },
      });
      const response = await client.request(
        'POST',
        `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`,
        {
          mchid: context.simulator.merchant.mchid,
        },
      );
      expect(response.status).toBe(204);
    } finally {
      await other.close();
    }
  });
});
