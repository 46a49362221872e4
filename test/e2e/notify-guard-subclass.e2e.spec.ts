import { Controller, Injectable, Module, Post } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type TransactionNotification,
  type VerifiedNotification,
  WechatNotify,
  WechatPayload,
  WechatPayModule,
  WechatPayNotifyGuard,
  WechatPayService,
  useWechatPayRawBody,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { orderNo } from '../support/wechatpay-app.js';

/** What the user's guard saw: its overridden hooks record every call. */
const seen = { verified: [] as string[], rejected: [] as unknown[], handled: [] as string[] };

/** A user's guard: the library's, with two protected hooks overridden. */
@Injectable()
class AuditingNotifyGuard extends WechatPayNotifyGuard {
  protected override verify(
    ...args: Parameters<WechatPayNotifyGuard['verify']>
  ): VerifiedNotification | Promise<VerifiedNotification> {
    const verified = super.verify(...args);
    const record = (notification: VerifiedNotification) => {
      seen.verified.push(notification.id);
      return notification;
    };
    return verified instanceof Promise ? verified.then(record) : record(verified);
  }

  protected override reject(...args: Parameters<WechatPayNotifyGuard['reject']>): never {
    seen.rejected.push(args[0]);
    return super.reject(...args);
  }
}

@Controller('wechatpay')
class AuditedController {
  @Post('notify')
  @WechatNotify({ events: ['TRANSACTION.SUCCESS'], guard: AuditingNotifyGuard })
  paid(@WechatPayload() transaction: TransactionNotification): void {
    seen.handled.push(transaction.out_trade_no);
  }
}

describe.each(ADAPTERS)(
  'a subclass of the notify guard given to @WechatNotify on %s',
  (adapter) => {
    let simulator: WechatPaySimulator;
    let close: () => Promise<void>;
    let notifyUrl: string;
    let wechatPay: WechatPayService;

    beforeAll(async () => {
      simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
      @Module({
        imports: [WechatPayModule.forRoot(simulator.moduleOptions())],
        controllers: [AuditedController],
      })
      class AppModule {}
      const { app, url } = await startApp(AppModule, adapter, false, useWechatPayRawBody);
      close = () => app.close();
      notifyUrl = `${url}/wechatpay/notify`;
      wechatPay = app.get(WechatPayService);
    });
    afterAll(async () => {
      await close();
      await simulator.stop();
    });

    async function paidOrder(): Promise<string> {
      const outTradeNo = orderNo('GUARD');
      await wechatPay.payments.prepayNative({
        description: 'x',
        out_trade_no: outTradeNo,
        amount: { total: 1 },
        notify_url: notifyUrl,
      });
      simulator.pay(outTradeNo);
      return outTradeNo;
    }

    it('runs the overridden hook for a genuine notification, then the handler once', async () => {
      seen.verified.length = 0;
      seen.handled.length = 0;
      const outTradeNo = await paidOrder();
      const [delivery] = await simulator.deliverTransaction(outTradeNo, { url: notifyUrl });
      expect(delivery!.status).toBe(200);
      expect(seen.verified).toHaveLength(1);
      expect(seen.handled).toEqual([outTradeNo]);
    });

    it('runs the overridden rejection hook for a forged one, which keeps its format and never reaches the handler', async () => {
      seen.rejected.length = 0;
      seen.handled.length = 0;
      const outTradeNo = await paidOrder();
      const [delivery] = await simulator.deliverTransaction(outTradeNo, {
        url: notifyUrl,
        tamperSignature: true,
      });
      expect(delivery!.status).toBe(401);
      expect(JSON.parse(delivery!.responseBody)).toMatchObject({ code: 'FAIL' });
      expect(seen.rejected).toHaveLength(1);
      expect(seen.handled).toEqual([]);
    });
  },
);
