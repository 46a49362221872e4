import {
  applyDecorators,
  HttpCode,
  SetMetadata,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { WechatPayNotifyExceptionFilter } from './notify-exception.filter.js';
import { WechatPayNotifyGuard } from './notify.guard.js';
import { WechatPayNotifyInterceptor } from './notify.interceptor.js';
import { WECHAT_NOTIFY_OPTIONS, type WechatNotifyOptions } from './wechat-notify.options.js';

/**
 * Turns a controller method into a WeChat Pay notification handler: the notification is
 * verified and decrypted before the method runs, the method runs once per event however often
 * it is delivered, and WeChat Pay gets the acknowledgement it expects. The method's return
 * value is not sent.
 *
 * Needs `useWechatPayRawBody(app)` in main.ts.
 * @example
 * @Post('wechatpay/notify')
 * @WechatNotify({ events: ['TRANSACTION.SUCCESS'] })
 * async paid(@WechatPayload() transaction: TransactionNotification) {
 *   await this.orders.markPaid(transaction.out_trade_no, transaction.amount.total);
 * }
 */
export function WechatNotify(options: WechatNotifyOptions = {}): MethodDecorator {
  return applyDecorators(
    SetMetadata(WECHAT_NOTIFY_OPTIONS, options),
    HttpCode(200),
    UseGuards(WechatPayNotifyGuard),
    UseInterceptors(WechatPayNotifyInterceptor),
    UseFilters(WechatPayNotifyExceptionFilter),
  );
}
