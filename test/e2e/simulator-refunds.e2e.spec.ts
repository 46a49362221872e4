import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWechatPayConfig, WechatPayClient } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

describe('WechatPaySimulator refunds.settleAfterMs', () => {
  let simulator: WechatPaySimulator;
  let client: WechatPayClient;

  beforeAll(async () => {
    simulator = await new WechatPaySimulator({
      backup: false,
      // Long enough that a test settles a refund itself before the delay on a loaded machine.
      refunds: { settleAfterMs: 1000 },
    }).start();
    client = new WechatPayClient(
      resolveWechatPayConfig(simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL })),
    );
  });
  afterAll(async () => {
    client.close();
    await simulator.stop();
  });

  /** A paid 300-fen order, and a way to refund it in full under a given number. */
  const paidOrder = async (prefix: string) => {
    const outTradeNo = orderNo(prefix);
    await client.payments.prepayNative({
      description: prefix,
      out_trade_no: outTradeNo,
      amount: { total: 300 },
    });
    simulator.pay(outTradeNo);
    const refund = (outRefundNo: string, notifyUrl?: string) =>
      client.refunds.create({
        out_trade_no: outTradeNo,
        out_refund_no: outRefundNo,
        amount: { refund: 300, total: 300, currency: 'CNY' },
        notify_url: notifyUrl,
      });
    return { outTradeNo, refund };
  };

  it('settles a refund by itself after the delay and sends its notification', async () => {
    const { outTradeNo, refund: refundOrder } = await paidOrder('AUTO');
    const refund = await refundOrder(`R${outTradeNo}`, 'http://127.0.0.1:9/refund-notify');
    expect(refund.status).toBe('PROCESSING');
    expect((await client.refunds.query(`R${outTradeNo}`)).status).toBe('PROCESSING');

    const delivery = await simulator.waitForDelivery(
      (d) => d.eventType === 'REFUND.SUCCESS' && d.url.endsWith('/refund-notify'),
    );
    expect(delivery.eventType).toBe('REFUND.SUCCESS');
    expect((await client.refunds.query(`R${outTradeNo}`)).status).toBe('SUCCESS');
  });

  it('leaves a refund settled by completeRefund() as the test decided', async () => {
    const { outTradeNo, refund } = await paidOrder('MANUAL');
    await refund(`R${outTradeNo}`);
    simulator.completeRefund(`R${outTradeNo}`, 'ABNORMAL');
    await new Promise((resolve) => setTimeout(resolve, 1250)); // past the delay
    expect((await client.refunds.query(`R${outTradeNo}`)).status).toBe('ABNORMAL');
  });

  it('makes a CLOSED refund’s amount refundable again', async () => {
    const { outTradeNo, refund } = await paidOrder('CLOSED');
    await refund(`R${outTradeNo}`);
    simulator.completeRefund(`R${outTradeNo}`, 'CLOSED');
    expect(() => simulator.completeRefund(`R${outTradeNo}`)).toThrow(/already CLOSED/);
    expect((await refund(`S${outTradeNo}`)).status).toBe('PROCESSING');
    await expect(refund(`T${outTradeNo}`)).rejects.toMatchObject({ code: 'NOT_ENOUGH' });
  });
});
