import { Controller, Injectable, type INestApplication, Module, Post } from '@nestjs/common';
import {
  type CombineTransactionNotification,
  type RefundNotification,
  useWechatPayRawBody,
  WechatNotify,
  type WechatPayOptions,
  WechatPayModule,
  WechatPayload,
  WechatPayService,
} from '../../lib/index.js';
import { type AdapterName, startApp } from './nest-app.js';

/** What the combine app's handlers received. */
@Injectable()
export class CombineLedger {
  readonly paid: CombineTransactionNotification[] = [];
  readonly refunds: RefundNotification[] = [];
  /** Payment handler invocations. */
  calls = 0;
}

@Controller('wechatpay')
class CombineNotifyController {
  constructor(private readonly ledger: CombineLedger) {}

  @Post('combine-notify')
  @WechatNotify({ events: ['TRANSACTION.SUCCESS'] })
  paid(@WechatPayload() payment: CombineTransactionNotification): void {
    this.ledger.calls += 1;
    this.ledger.paid.push(payment);
  }

  @Post('refund-notify')
  @WechatNotify({ events: ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'] })
  refunded(@WechatPayload() refund: RefundNotification): void {
    this.ledger.refunds.push(refund);
  }
}

/** A shop taking combine payments and refunds, listening on 127.0.0.1. */
export interface CombineApp {
  app: INestApplication;
  wechatPay: WechatPayService;
  ledger: CombineLedger;
  notifyUrl: string;
  refundNotifyUrl: string;
}

/**
 * Starts a real Nest app whose `@WechatNotify` routes receive combine payment and refund
 * notifications; orders and refunds name its URLs as their `notify_url`.
 */
export async function startCombineApp(
  adapter: AdapterName,
  options: WechatPayOptions,
): Promise<CombineApp> {
  @Module({
    imports: [WechatPayModule.forRoot(options)],
    controllers: [CombineNotifyController],
    providers: [CombineLedger],
  })
  class CombineAppModule {}
  const { app, url } = await startApp(CombineAppModule, adapter, false, (nest) =>
    useWechatPayRawBody(nest),
  );
  return {
    app,
    wechatPay: app.get(WechatPayService),
    ledger: app.get(CombineLedger),
    notifyUrl: `${url}/wechatpay/combine-notify`,
    refundNotifyUrl: `${url}/wechatpay/refund-notify`,
  };
}
