import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Headers,
  Injectable,
  type INestApplication,
  type LoggerService,
  Module,
  Post,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  type NotificationEnvelope,
  type RefundNotification,
  type TransactionNotification,
  type V2PaymentNotification,
  type V2RefundNotification,
  isWechatNotifyHandler,
  useWechatPayRawBody,
  WechatNotification,
  WechatNotify,
  type WechatPayOptions,
  WechatPayModule,
  WechatPayload,
  WechatPayService,
} from '../../lib/index.js';
import type { WechatPaySimulator } from '../../lib/testing/index.js';
import type { AdapterName } from './nest-app.js';
import { orderNo } from './wechatpay-app.js';

/** What the handlers did: the side effects the tests count. */
@Injectable()
export class Ledger {
  readonly paid: TransactionNotification[] = [];
  readonly refunds: RefundNotification[] = [];
  readonly envelopes: NotificationEnvelope[] = [];
  readonly userAgents: (string | undefined)[] = [];
  readonly v2Paid: V2PaymentNotification[] = [];
  readonly v2Refunds: V2RefundNotification[] = [];
  /** Handler invocations, including failed ones. */
  calls = 0;
  /** Throw on this many upcoming invocations. */
  failNext = 0;
  /** Milliseconds each handler takes. */
  delayMs = 0;
  /**
   * Gates for the next invocations of the v3 payment handler, in order: each waits for its gate
   * before it records anything, and throws if the gate rejects (a hung or late handler).
   */
  readonly gates: Promise<void>[] = [];
}

@Controller('wechatpay')
class NotifyController {
  constructor(private readonly ledger: Ledger) {}

  @Post('notify')
  @WechatNotify({ events: ['TRANSACTION.SUCCESS'] })
  async paid(
    @WechatPayload() transaction: TransactionNotification,
    @WechatNotification() envelope: NotificationEnvelope,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<string> {
    this.ledger.calls += 1;
    const gate = this.ledger.gates.shift();
    if (gate) await gate;
    if (this.ledger.delayMs)
      await new Promise((resolve) => setTimeout(resolve, this.ledger.delayMs));
    if (this.ledger.failNext > 0) {
      this.ledger.failNext -= 1;
      throw new Error('database unavailable');
    }
    this.ledger.paid.push(transaction);
    this.ledger.envelopes.push(envelope);
    this.ledger.userAgents.push(userAgent);
    return 'ignored: the acknowledgement is written by the interceptor';
  }

  @Post('v2/notify')
  @WechatNotify({ version: 'v2', events: ['TRANSACTION.SUCCESS'] })
  async paidV2(@WechatPayload() payment: V2PaymentNotification): Promise<void> {
    this.ledger.calls += 1;
    if (this.ledger.delayMs)
      await new Promise((resolve) => setTimeout(resolve, this.ledger.delayMs));
    this.ledger.v2Paid.push(payment);
  }

  @Post('v2/refund-notify')
  @WechatNotify({ version: 'v2', events: ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'] })
  refundedV2(@WechatPayload() refund: V2RefundNotification): void {
    this.ledger.calls += 1;
    this.ledger.v2Refunds.push(refund);
  }

  @Get('orders')
  orders(): number {
    return this.ledger.paid.length;
  }

  @Post('refund-notify')
  @WechatNotify({ events: ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'] })
  refunded(@WechatPayload() refund: RefundNotification): void {
    this.ledger.calls += 1;
    this.ledger.refunds.push(refund);
  }
}

export interface NotifyApp {
  app: INestApplication;
  url: string;
  ledger: Ledger;
  wechatPay: WechatPayService;
  notifyUrl: string;
  refundNotifyUrl: string;
  v2NotifyUrl: string;
  v2RefundNotifyUrl: string;
}

/** A real app with notification handlers, listening on 127.0.0.1. */
/** A global guard that refuses every request but WeChat Pay's callbacks, as an app's auth would. */
@Injectable()
class DenyAllButWechatPay implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    return isWechatNotifyHandler(this.reflector, context);
  }
}

export async function startNotifyApp(
  adapter: AdapterName,
  options: WechatPayOptions,
  setup: {
    rawBody?: boolean;
    globalAuthGuard?: boolean;
    logger?: LoggerService;
    /** Runs before `useWechatPayRawBody(app)`, e.g. to register a body parser of the app's own. */
    beforeRawBody?: (app: INestApplication) => void;
  } = {},
): Promise<NotifyApp> {
  @Module({
    imports: [WechatPayModule.forRoot(options)],
    controllers: [NotifyController],
    providers: [
      Ledger,
      ...(setup.globalAuthGuard ? [{ provide: APP_GUARD, useClass: DenyAllButWechatPay }] : []),
    ],
  })
  class AppModule {}
  const app = await NestFactory.create(
    AppModule,
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    // A bad configuration fails the test instead of aborting the test worker.
    { logger: setup.logger ?? false, abortOnError: false },
  );
  setup.beforeRawBody?.(app);
  if (setup.rawBody !== false) useWechatPayRawBody(app);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as import('node:http').Server).address() as {
    port: number;
  };
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    ledger: app.get(Ledger),
    wechatPay: app.get(WechatPayService),
    notifyUrl: `${url}/wechatpay/notify`,
    refundNotifyUrl: `${url}/wechatpay/refund-notify`,
    v2NotifyUrl: `${url}/wechatpay/v2/notify`,
    v2RefundNotifyUrl: `${url}/wechatpay/v2/refund-notify`,
  };
}

/**
 * Places a Native order through the app's registration, with the app's notify URL, and has the
 * payer pay it in the simulator.
 * @returns its out_trade_no
 */
export async function paidOrder(
  shop: NotifyApp,
  simulator: WechatPaySimulator,
  prefix: string,
): Promise<string> {
  const outTradeNo = orderNo(prefix);
  await shop.wechatPay.payments.prepayNative({
    description: prefix.toLowerCase(),
    out_trade_no: outTradeNo,
    amount: { total: 1 },
    notify_url: shop.notifyUrl,
  });
  simulator.pay(outTradeNo);
  return outTradeNo;
}
