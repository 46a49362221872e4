import {
  Controller,
  Injectable,
  type INestApplication,
  Module,
  Post,
  type Type,
} from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryRecoveryStore,
  type NotificationEnvelope,
  type RecoveryOutcome,
  type RefundNotification,
  useWechatPayRawBody,
  WechatNotification,
  WechatNotify,
  type WechatPayOptions,
  WechatPayModule,
  WechatPayload,
  WechatPayService,
  WechatRecoveryOutcome,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS, type AdapterName, startApp } from '../support/nest-app.js';
import { until } from '../support/recovery-app.js';
import { orderNo } from '../support/wechatpay-app.js';

const FAST = { recovery: true, recoverySchedule: [60, 120], recoveryIntervalMs: 120 } as const;
const SUB_MCHID = '1900000109';

/** What the handlers and the outcome hook saw. */
@Injectable()
class RefundLedger {
  readonly refunds: {
    handler: string;
    refund: RefundNotification;
    envelope: NotificationEnvelope;
  }[] = [];
  readonly outcomes: RecoveryOutcome[] = [];
  /** Milliseconds the refund handler takes. */
  delayMs = 0;
}

@Controller('wechatpay')
class NotifyController {
  constructor(private readonly ledger: RefundLedger) {}

  @Post('notify')
  @WechatNotify({ events: ['TRANSACTION.SUCCESS'] })
  paid(): void {}

  @Post('refund-notify')
  @WechatNotify({ events: ['REFUND.SUCCESS', 'REFUND.CLOSED'] })
  async refunded(
    @WechatPayload() refund: RefundNotification,
    @WechatNotification() envelope: NotificationEnvelope,
  ): Promise<void> {
    if (this.ledger.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, this.ledger.delayMs));
    }
    this.ledger.refunds.push({ handler: 'refunded', refund, envelope });
  }

  @Post('refund-abnormal')
  @WechatNotify({ events: ['REFUND.ABNORMAL'] })
  abnormal(
    @WechatPayload() refund: RefundNotification,
    @WechatNotification() envelope: NotificationEnvelope,
  ): void {
    this.ledger.refunds.push({ handler: 'abnormal', refund, envelope });
  }
}

/** A second handler of REFUND.SUCCESS: which of the two recovery should run would be a guess. */
@Controller('elsewhere')
class SecondRefundController {
  constructor(private readonly ledger: RefundLedger) {}

  @Post('refund-notify')
  @WechatNotify({ events: ['REFUND.SUCCESS'] })
  refunded(@WechatPayload() refund: RefundNotification): void {
    this.ledger.refunds.push({ handler: 'second', refund, envelope: {} as NotificationEnvelope });
  }
}

@Injectable()
class Outcomes {
  constructor(private readonly ledger: RefundLedger) {}

  @WechatRecoveryOutcome()
  ended(outcome: RecoveryOutcome): void {
    this.ledger.outcomes.push(outcome);
  }
}

interface RefundApp {
  app: INestApplication;
  ledger: RefundLedger;
  wechatPay: WechatPayService;
  url: string;
}

let simulator: WechatPaySimulator;
const apps: RefundApp[] = [];
beforeAll(async () => {
  // Redeliveries 100 times faster: 15 s → 150 ms.
  simulator = await new WechatPaySimulator({ notifications: { timeScale: 0.01 } }).start();
});
afterEach(async () => {
  simulator.stopDroppingNotifications();
  for (const shop of apps.splice(0)) await shop.app.close();
});
afterAll(() => simulator.stop());

async function shop(
  adapter: AdapterName,
  options: Partial<WechatPayOptions> = {},
  controllers: Type[] = [NotifyController],
) {
  @Module({
    imports: [WechatPayModule.forRoot({ ...simulator.moduleOptions(), ...FAST, ...options })],
    controllers,
    providers: [RefundLedger, Outcomes],
  })
  class RefundAppModule {}
  const { app, url } = await startApp(RefundAppModule, adapter, false, useWechatPayRawBody);
  const started = { app, url, ledger: app.get(RefundLedger), wechatPay: app.get(WechatPayService) };
  apps.push(started);
  return started;
}

/** A paid order (not watched itself) and a refund of 1.00 of it, watched by recovery. */
async function refundOfPaidOrder(shop: RefundApp, prefix: string) {
  const outTradeNo = orderNo(prefix);
  await shop.wechatPay.payments.prepayNative(
    {
      description: prefix,
      out_trade_no: outTradeNo,
      amount: { total: 300 },
      notify_url: `${shop.url}/wechatpay/notify`,
    },
    { recovery: false },
  );
  simulator.pay(outTradeNo);
  const outRefundNo = orderNo(`${prefix}R`);
  const created = await shop.wechatPay.refunds.create({
    out_trade_no: outTradeNo,
    out_refund_no: outRefundNo,
    amount: { refund: 100, total: 300, currency: 'CNY' },
    notify_url: `${shop.url}/wechatpay/refund-notify`,
  });
  expect(created.status).toBe('PROCESSING');
  return { outTradeNo, outRefundNo };
}

const refundsOf = (shop: RefundApp, outRefundNo: string) =>
  shop.ledger.refunds.filter((r) => r.refund.out_refund_no === outRefundNo);

describe.each(['merchant', 'partner'] as const)('refund recovery in %s mode', (mode) => {
  describe.each(ADAPTERS)('on %s', (adapter) => {
    it('the REFUND.SUCCESS notification dropped: its handler runs once, from a query, with the notification shape; the late notification is a duplicate', async () => {
      const app = await shop(adapter, mode === 'partner' ? { mode, subMchid: SUB_MCHID } : {});
      simulator.dropNotifications('all');
      const { outTradeNo, outRefundNo } = await refundOfPaidOrder(app, 'RRDROP');
      simulator.completeRefund(outRefundNo, 'SUCCESS');
      await until(() => app.ledger.outcomes.length === 1);
      // The outcome ends the recovery and no notification went out: the count is final.
      expect(app.ledger.refunds).toHaveLength(1);
      const [seen] = app.ledger.refunds;
      expect(seen!.handler).toBe('refunded');
      expect(seen!.envelope).toMatchObject({
        event_type: 'REFUND.SUCCESS',
        resource_type: 'recovery',
      });
      expect(seen!.refund).toMatchObject({
        out_trade_no: outTradeNo,
        out_refund_no: outRefundNo,
        refund_status: 'SUCCESS',
        amount: { total: 300, refund: 100, payer_total: 300, payer_refund: 100 },
        ...(mode === 'partner'
          ? { sp_mchid: simulator.merchant.mchid, sub_mchid: SUB_MCHID }
          : { mchid: simulator.merchant.mchid }),
      });
      expect(app.ledger.outcomes[0]).toMatchObject({
        type: 'REFUND',
        status: 'SUCCESS',
        handledBy: 'recovery',
        order: { kind: 'refund', outRefundNo, outTradeNo },
      });

      const [delivery] = await simulator.deliverRefund(outRefundNo);
      expect(delivery!.status).toBe(200);
      expect(app.ledger.refunds).toHaveLength(1);
    });
  });
});

describe.each(ADAPTERS)('refund recovery (%s)', (adapter) => {
  it('the notification and a query racing: the refund handler runs once', async () => {
    const app = await shop(adapter, { recoverySchedule: [1, 20, 40, 60], recoveryIntervalMs: 20 });
    app.ledger.delayMs = 50; // both in flight at once
    const { outRefundNo } = await refundOfPaidOrder(app, 'RRRACE');
    const settledAt = new Date();
    simulator.completeRefund(outRefundNo, 'SUCCESS');
    await until(() => app.ledger.outcomes.length === 1);
    await simulator.waitForDelivery(
      (d) =>
        d.url === `${app.url}/wechatpay/refund-notify` && d.at >= settledAt && d.status === 200,
    );
    expect(refundsOf(app, outRefundNo)).toHaveLength(1);
    expect(app.ledger.outcomes[0]).toMatchObject({
      type: 'REFUND',
      status: 'SUCCESS',
      order: { outRefundNo },
    });
  });

  it('an ABNORMAL refund runs the handler routed for REFUND.ABNORMAL', async () => {
    const app = await shop(adapter);
    simulator.dropNotifications('all');
    const { outRefundNo } = await refundOfPaidOrder(app, 'RRABN');
    simulator.completeRefund(outRefundNo, 'ABNORMAL');
    await until(() => app.ledger.outcomes.length === 1);
    expect(app.ledger.refunds.map((r) => [r.handler, r.envelope.event_type])).toEqual([
      ['abnormal', 'REFUND.ABNORMAL'],
    ]);
    expect(app.ledger.refunds[0]!.refund).toMatchObject({ refund_status: 'ABNORMAL' });
    expect(app.ledger.outcomes[0]).toMatchObject({
      type: 'REFUND',
      status: 'ABNORMAL',
      handledBy: 'recovery',
    });
  });

  it('with recovery off a refund is watched only when the call asks', async () => {
    const store = new MemoryRecoveryStore();
    const app = await shop(adapter, { recovery: false, recoveryStore: store });
    simulator.dropNotifications('all');
    const { outTradeNo, outRefundNo: unwatched } = await refundOfPaidOrder(app, 'RROPT');
    expect(store.list()).toEqual([]);
    const outRefundNo = orderNo('RROPTIN');
    await app.wechatPay.refunds.create(
      {
        out_trade_no: outTradeNo,
        out_refund_no: outRefundNo,
        amount: { refund: 50, total: 300, currency: 'CNY' },
      },
      { recovery: true },
    );
    expect(store.list()).toMatchObject([
      {
        id: `${simulator.merchant.mchid}:v3-refund:${outRefundNo}`,
        kind: 'refund',
        outRefundNo,
        outTradeNo,
      },
    ]);
    simulator.completeRefund(outRefundNo, 'SUCCESS');
    await until(() => app.ledger.outcomes.length === 1);
    expect(app.ledger.outcomes[0]).toMatchObject({ type: 'REFUND', order: { outRefundNo } });
    expect(app.ledger.refunds.map((r) => r.refund.out_refund_no)).toEqual([outRefundNo]);
    expect(unwatched).not.toBe(outRefundNo);
  });
});

describe('refund handlers recovery runs', () => {
  it('two handlers of one REFUND.* event: neither runs, the refund is reported handledBy none', async () => {
    const app = await shop('express', {}, [NotifyController, SecondRefundController]);
    simulator.dropNotifications('all');
    const { outRefundNo } = await refundOfPaidOrder(app, 'RRTWO');
    simulator.completeRefund(outRefundNo, 'SUCCESS');
    await until(() => app.ledger.outcomes.length === 1);
    expect(app.ledger.outcomes[0]).toMatchObject({
      type: 'REFUND',
      status: 'SUCCESS',
      handledBy: 'none',
      order: { outRefundNo },
    });
    expect(app.ledger.refunds).toEqual([]);
  });
});
