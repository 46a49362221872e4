import {
  Controller,
  Injectable,
  type INestApplication,
  Module,
  type PipeTransform,
  Post,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InjectWechatPay,
  type TransactionNotification,
  useWechatPayRawBody,
  WechatNotify,
  WechatPayModule,
  WechatPayload,
  WechatPayService,
} from '../../lib/index.js';
import { createTestMerchant, WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS } from '../support/nest-app.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

/** A pipe on @WechatPayload(): the handler gets what the pipe makes of the payload. */
@Injectable()
class OutTradeNoPipe implements PipeTransform<TransactionNotification, string> {
  transform(transaction: TransactionNotification): string {
    return `order:${transaction.out_trade_no}`;
  }
}

const received: { merchant: string; value: string }[] = [];

@Controller('wechatpay')
class ShopsController {
  @Post('notify')
  @WechatNotify()
  mainland(@WechatPayload(OutTradeNoPipe) value: string): void {
    received.push({ merchant: 'default', value });
  }

  @Post('hk/notify')
  @WechatNotify({ merchant: 'hk' })
  hongKong(@WechatPayload(OutTradeNoPipe) value: string): void {
    received.push({ merchant: 'hk', value });
  }
}

describe.each(ADAPTERS)('named registrations on %s', (adapter) => {
  let simulator: WechatPaySimulator;
  let app: INestApplication;
  let url: string;
  let mainland: WechatPayService;
  let hongKong: WechatPayService;
  const hk = createTestMerchant();

  beforeAll(async () => {
    simulator = await new WechatPaySimulator({ notifications: { autoDeliver: false } }).start();
    simulator.addMerchant(hk);
    @Injectable()
    class Services {
      constructor(
        readonly mainland: WechatPayService,
        @InjectWechatPay('hk') readonly hongKong: WechatPayService,
      ) {}
    }
    @Module({
      imports: [
        WechatPayModule.forRoot(simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL })),
        WechatPayModule.forRoot({
          name: 'hk',
          ...simulator.moduleOptions({ merchant: hk, notifyUrl: NO_RECEIVER_NOTIFY_URL }),
        }),
      ],
      controllers: [ShopsController],
      providers: [Services, OutTradeNoPipe],
    })
    class AppModule {}
    app = await NestFactory.create(
      AppModule,
      adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
      { logger: false },
    );
    useWechatPayRawBody(app);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as { port: number }).port}`;
    ({ mainland, hongKong } = app.get(Services));
  });
  afterAll(async () => {
    await app.close();
    await simulator.stop();
  });

  async function paid(service: WechatPayService): Promise<string> {
    const outTradeNo = orderNo('M');
    await service.payments.prepayNative({
      description: 'x',
      out_trade_no: outTradeNo,
      amount: { total: 1 },
    });
    simulator.pay(outTradeNo);
    return outTradeNo;
  }

  it('verifies each notification with its own registration, and pipes apply to @WechatPayload()', async () => {
    received.length = 0;
    const hkOrder = await paid(hongKong);
    const mainOrder = await paid(mainland);
    const [toHk] = await simulator.deliverTransaction(hkOrder, {
      url: `${url}/wechatpay/hk/notify`,
    });
    const [toMain] = await simulator.deliverTransaction(mainOrder, {
      url: `${url}/wechatpay/notify`,
    });
    expect([toHk!.status, toMain!.status]).toEqual([200, 200]);
    expect(received).toEqual([
      { merchant: 'hk', value: `order:${hkOrder}` },
      { merchant: 'default', value: `order:${mainOrder}` },
    ]);
  });

  it("refuses another merchant's notification at a registration's URL", async () => {
    received.length = 0;
    const hkOrder = await paid(hongKong);
    const [misrouted] = await simulator.deliverTransaction(hkOrder, {
      url: `${url}/wechatpay/notify`,
    });
    expect(misrouted!.status).toBe(400);
    expect(received).toEqual([]);
  });
});
