import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type TillOptions,
  WechatPayApiError,
  type WechatPayService,
  WechatPayValidationError,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { bootWechatPay, orderNo } from '../support/wechatpay-app.js';

// Real clocks, short schedule: the guide's 5 s / 45 s / 15 s shrunk a hundredfold.
const SCHEDULE: TillOptions = {
  firstQueryAfterMs: 50,
  queryIntervalMs: 50,
  deadlineMs: 450,
  reverseNotBeforeMs: 150,
  reverseRetryIntervalMs: 50,
  reverseAttempts: 3,
};
// For a payer who does type the password: a deadline the password (100-200 ms) cannot miss on a
// loaded machine, whose queries and timers may lag well past 450 ms.
const PATIENT: TillOptions = { ...SCHEDULE, deadlineMs: 20_000, reverseNotBeforeMs: 20_000 };
const SUB_MCHID = '1900000109';

let codeCounter = 0;
/** A fresh payment code (18 digits beginning 13), as a till scans it. */
function paymentCode(): string {
  codeCounter += 1;
  return `13${String(Date.now()).slice(-10)}${String(codeCounter).padStart(6, '0')}`;
}

let simulator: WechatPaySimulator;
beforeAll(async () => {
  simulator = await new WechatPaySimulator({ https: true }).start();
});
afterAll(() => simulator.stop());

/** The paths the simulator received since `from`, without the listener's prefix. */
function pathsSince(from: number): string[] {
  return simulator.requests.slice(from).map((r) => `${r.method} ${r.path.split('?')[0]}`);
}

describe.each(['merchant', 'partner'] as const)('API v3 code payments, %s mode', (mode) => {
  let app: INestApplication;
  let wechatPay: WechatPayService;
  const base = mode === 'partner' ? '/v3/pay/partner/transactions' : '/v3/pay/transactions';
  beforeAll(async () => {
    ({ app, wechatPay } = await bootWechatPay(
      simulator.moduleOptions(mode === 'partner' ? { mode, subMchid: SUB_MCHID } : {}),
    ));
  });
  afterAll(() => app.close());

  const payment = (authCode: string) => ({
    description: 'Image形象店-深圳腾大-QQ公仔',
    out_trade_no: orderNo('TILL'),
    amount: { total: 1800 },
    payer: { auth_code: authCode },
    scene_info: { device_ip: '10.0.0.12', store_info: { out_id: 'SZ-001' } },
  });

  it('a payment that waits for the password, then succeeds, is paid without a reversal', async () => {
    const code = paymentCode();
    simulator.scriptPaymentCode(code, { passwordMs: 200 });
    const from = simulator.requests.length;
    const order = payment(code);
    const outcome = await wechatPay.codePayments.payAtTill(order, PATIENT);
    expect(outcome).toMatchObject({
      status: 'paid',
      outTradeNo: order.out_trade_no,
      transaction: { trade_state: 'SUCCESS', trade_type: 'MICROPAY', amount: { total: 1800 } },
    });
    const paths = pathsSince(from);
    expect(paths[0]).toBe(`POST ${base}/codepay`);
    expect(simulator.requests[from]!.status).toBe(202);
    expect(paths.slice(1).every((p) => p.startsWith(`GET ${base}/out-trade-no/`))).toBe(true);
    expect(paths.length).toBeGreaterThan(1);
  });

  it('a payment that never completes is reversed after the deadline, and stays unpaid', async () => {
    const code = paymentCode();
    simulator.scriptPaymentCode(code, { passwordMs: 'never' });
    const from = simulator.requests.length;
    const order = payment(code);
    const started = Date.now();
    const outcome = await wechatPay.codePayments.payAtTill(order, SCHEDULE);
    expect(outcome).toEqual({ status: 'reversed', outTradeNo: order.out_trade_no });
    expect(Date.now() - started).toBeGreaterThanOrEqual(SCHEDULE.deadlineMs!);
    const paths = pathsSince(from);
    expect(paths.at(-1)).toBe(`POST ${base}/out-trade-no/${order.out_trade_no}/reverse`);
    expect(paths.filter((p) => p.endsWith('/reverse'))).toHaveLength(1);
    expect((await wechatPay.payments.queryByOutTradeNo(order.out_trade_no)).trade_state).toBe(
      'REVOKED',
    );
  });

  it('a reversal that must be retried (SYSTEM_ERROR) is sent again until it succeeds', async () => {
    const code = paymentCode();
    simulator.scriptPaymentCode(code, { passwordMs: 'never' });
    simulator.failNextReversals(2);
    const from = simulator.requests.length;
    const order = payment(code);
    const outcome = await wechatPay.codePayments.payAtTill(order, SCHEDULE);
    expect(outcome.status).toBe('reversed');
    const reversals = simulator.requests.slice(from).filter((r) => r.path.endsWith('/reverse'));
    expect(reversals.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('reversals that never succeed hand the order to a person, never silently lost', async () => {
    const code = paymentCode();
    simulator.scriptPaymentCode(code, { passwordMs: 'never' });
    simulator.failNextReversals(SCHEDULE.reverseAttempts);
    const order = payment(code);
    const outcome = await wechatPay.codePayments.payAtTill(order, SCHEDULE);
    expect(outcome).toMatchObject({ status: 'unknown', outTradeNo: order.out_trade_no });
    if (outcome.status === 'unknown') expect(outcome.message).toMatch(/query the order/);
    expect(simulator.state.findAnyOrder(order.out_trade_no)?.state).toBe('USERPAYING');
  });

  it('a bad payment code fails at once: no query, no reversal', async () => {
    const from = simulator.requests.length;
    const outcome = await wechatPay.codePayments.payAtTill(payment('999999999999999999'), SCHEDULE);
    expect(outcome).toMatchObject({ status: 'failed', code: 'PARAM_ERROR' });
    expect(pathsSince(from)).toEqual([`POST ${base}/codepay`]);
  });

  it('insufficient funds fail: at once (NOT_ENOUGH), or after the password (PAYERROR)', async () => {
    const now = paymentCode();
    simulator.scriptPaymentCode(now, { outcome: 'insufficient-funds' });
    expect(await wechatPay.codePayments.payAtTill(payment(now), SCHEDULE)).toMatchObject({
      status: 'failed',
      code: 'NOT_ENOUGH',
    });
    const later = paymentCode();
    simulator.scriptPaymentCode(later, { passwordMs: 100, outcome: 'insufficient-funds' });
    expect(await wechatPay.codePayments.payAtTill(payment(later), PATIENT)).toMatchObject({
      status: 'failed',
      code: 'PAYERROR',
    });
  });

  it('an answer lost after the payment went through is settled by the query: paid', async () => {
    const from = simulator.requests.length;
    simulator.tamperNextResponse({ signature: true });
    const outcome = await wechatPay.codePayments.payAtTill(payment(paymentCode()), SCHEDULE);
    expect(outcome.status).toBe('paid');
    expect(pathsSince(from)).toHaveLength(2);
  });

  it('an order number sent again (OUT_TRADE_NO_USED) is settled by querying the first payment: paid, never failed', async () => {
    const order = payment(paymentCode());
    await wechatPay.codePayments.pay(order);
    const from = simulator.requests.length;
    const again = await wechatPay.codePayments.payAtTill(
      { ...order, payer: { auth_code: paymentCode() } },
      SCHEDULE,
    );
    expect(again).toMatchObject({ status: 'paid', transaction: { trade_state: 'SUCCESS' } });
    expect(simulator.requests[from]!.status).toBe(403);
    expect(pathsSince(from).some((p) => p.endsWith('/reverse'))).toBe(false);
  });

  it('pay and reverse as single calls: USERPAYING is a typed error that says "query"', async () => {
    const code = paymentCode();
    simulator.scriptPaymentCode(code, { passwordMs: 'never' });
    const order = payment(code);
    const error = await wechatPay.codePayments.pay(order).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayApiError);
    expect(error).toMatchObject({
      status: 202,
      code: 'USERPAYING',
      mayHaveTakenEffect: true,
      retrySafe: false,
    });
    expect(await wechatPay.codePayments.reverse(order.out_trade_no)).toMatchObject({
      out_trade_no: order.out_trade_no,
      ...(mode === 'partner'
        ? { sp_mchid: simulator.merchant.mchid, sub_mchid: SUB_MCHID }
        : { mchid: simulator.merchant.mchid, appid: simulator.merchant.appid }),
    });
    const paid = await wechatPay.codePayments.pay(payment(paymentCode()));
    expect(paid).toMatchObject({ trade_state: 'SUCCESS', trade_type: 'MICROPAY' });
  });

  it('refuses a payment without the till IP or with a malformed code before sending', async () => {
    const from = simulator.requests.length;
    const { scene_info: _scene, ...noScene } = payment(paymentCode());
    const error = await wechatPay.codePayments
      .payAtTill({ ...noScene, payer: { auth_code: '12' } } as never, SCHEDULE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayValidationError);
    expect((error as WechatPayValidationError).problems.map((p) => p.field).sort()).toEqual([
      'payer.auth_code',
      'scene_info',
    ]);
    expect(simulator.requests.length).toBe(from);
  });
});

describe.each(['merchant', 'partner'] as const)('API v2 code payments, %s mode', (mode) => {
  let app: INestApplication;
  let wechatPay: WechatPayService;
  beforeAll(async () => {
    ({ app, wechatPay } = await bootWechatPay(
      simulator.moduleOptions({
        https: true,
        ...(mode === 'partner' ? { mode, subMchid: SUB_MCHID } : {}),
      }),
    ));
  });
  afterAll(() => app.close());

  const micropay = (authCode: string) => ({
    body: 'Image形象店-深圳腾大-QQ公仔',
    out_trade_no: orderNo('V2TILL'),
    total_fee: 1800,
    spbill_create_ip: '10.0.0.12',
    auth_code: authCode,
  });

  it('a payment that waits for the password, then succeeds, is paid without a reversal', async () => {
    const code = paymentCode();
    simulator.scriptPaymentCode(code, { passwordMs: 200 });
    const from = simulator.requests.length;
    const outcome = await wechatPay.v2.codePayments.payAtTill(micropay(code), PATIENT);
    expect(outcome).toMatchObject({
      status: 'paid',
      transaction: { trade_state: 'SUCCESS', trade_type: 'MICROPAY', total_fee: '1800' },
    });
    const paths = pathsSince(from);
    expect(paths[0]).toBe('POST /pay/micropay');
    expect(paths.slice(1).every((p) => p === 'POST /pay/orderquery')).toBe(true);
  });

  it('a payment that never completes is reversed after the deadline, and stays unpaid', async () => {
    const code = paymentCode();
    simulator.scriptPaymentCode(code, { passwordMs: 'never' });
    const from = simulator.requests.length;
    const order = micropay(code);
    const outcome = await wechatPay.v2.codePayments.payAtTill(order, SCHEDULE);
    expect(outcome).toEqual({ status: 'reversed', outTradeNo: order.out_trade_no });
    expect(pathsSince(from).filter((p) => p === 'POST /secapi/pay/reverse')).toHaveLength(1);
    const found = await wechatPay.v2.payments.query({ out_trade_no: order.out_trade_no });
    expect(found.trade_state).toBe('REVOKED');
  });

  it('a reversal that answers recall: Y is sent again until it succeeds', async () => {
    const code = paymentCode();
    simulator.scriptPaymentCode(code, { passwordMs: 'never' });
    simulator.failNextReversals(2);
    const from = simulator.requests.length;
    const outcome = await wechatPay.v2.codePayments.payAtTill(micropay(code), SCHEDULE);
    expect(outcome.status).toBe('reversed');
    expect(pathsSince(from).filter((p) => p === 'POST /secapi/pay/reverse')).toHaveLength(3);
  });

  it('a bad payment code fails at once with AUTH_CODE_INVALID', async () => {
    const from = simulator.requests.length;
    const outcome = await wechatPay.v2.codePayments.payAtTill(
      micropay('999999999999999999'),
      SCHEDULE,
    );
    expect(outcome).toMatchObject({ status: 'failed', code: 'AUTH_CODE_INVALID' });
    expect(pathsSince(from)).toEqual(['POST /pay/micropay']);
  });

  it('insufficient funds fail with NOTENOUGH', async () => {
    const code = paymentCode();
    simulator.scriptPaymentCode(code, { outcome: 'insufficient-funds' });
    expect(await wechatPay.v2.codePayments.payAtTill(micropay(code), SCHEDULE)).toMatchObject({
      status: 'failed',
      code: 'NOTENOUGH',
    });
  });

  it('a SYSTEMERROR for a payment that never happened ends failed: the reversal finds no order', async () => {
    simulator.injectFault({ type: 'v2Error', code: 'SYSTEMERROR' }, { listener: 'secure' });
    const from = simulator.requests.length;
    const order = micropay(paymentCode());
    const outcome = await wechatPay.v2.codePayments.payAtTill(order, SCHEDULE);
    // The fault answered instead of WeChat Pay, so no order exists: nothing to charge or undo.
    expect(outcome).toMatchObject({ status: 'failed', code: 'ORDERNOTEXIST' });
    expect(pathsSince(from).at(-1)).toBe('POST /secapi/pay/reverse');
  });

  it('an answer spoiled after the payment went through is settled by the query: paid', async () => {
    const from = simulator.requests.length;
    simulator.tamperNextResponse({ body: true });
    const outcome = await wechatPay.v2.codePayments.payAtTill(micropay(paymentCode()), SCHEDULE);
    expect(outcome.status).toBe('paid');
    expect(pathsSince(from)).toEqual(['POST /pay/micropay', 'POST /pay/orderquery']);
  });
});

// The payment is made on the primary domain but its answer never arrives: a copy re-sent to the
// backup would be refused (ORDERPAID) and must never be taken for the outcome.
describe('API v2 code payments with a backup domain', () => {
  let plain: WechatPaySimulator;
  let app: INestApplication;
  let wechatPay: WechatPayService;
  beforeAll(async () => {
    plain = await new WechatPaySimulator().start();
    ({ app, wechatPay } = await bootWechatPay(plain.moduleOptions({ timeout: 1000 })));
  });
  afterAll(async () => {
    await app.close();
    await plain.stop();
  });

  it('a micropay whose answer is lost is not re-sent to the backup: the query finds it paid', async () => {
    const order = {
      body: 'Image形象店-深圳腾大-QQ公仔',
      out_trade_no: orderNo('V2LOST'),
      total_fee: 1800,
      spbill_create_ip: '10.0.0.12',
      auth_code: paymentCode(),
    };
    plain.injectFault({ type: 'trickle', intervalMs: 5000 }, { listener: 'any' });
    const from = plain.requests.length;
    const outcome = await wechatPay.v2.codePayments.payAtTill(order, SCHEDULE);
    expect(outcome).toMatchObject({ status: 'paid', outTradeNo: order.out_trade_no });
    const micropays = plain.requests.slice(from).filter((r) => r.path.endsWith('/pay/micropay'));
    expect(micropays.map((r) => r.listener)).toEqual(['primary']);
  });

  it('an order number sent again (ORDERPAID) is settled by querying: paid, never failed', async () => {
    const order = {
      body: 'Image形象店-深圳腾大-QQ公仔',
      out_trade_no: orderNo('V2AGAIN'),
      total_fee: 1800,
      spbill_create_ip: '10.0.0.12',
      auth_code: paymentCode(),
    };
    await wechatPay.v2.payments.micropay(order);
    const outcome = await wechatPay.v2.codePayments.payAtTill(
      { ...order, auth_code: paymentCode() },
      SCHEDULE,
    );
    expect(outcome).toMatchObject({ status: 'paid', outTradeNo: order.out_trade_no });
  });
});
