import {
  applyDecorators,
  Header,
  HttpCode,
  SetMetadata,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ACK_CONTENT_TYPE } from '../../core/notify/acknowledgement.js';
import { WechatPayNotifyExceptionFilter } from './notify-exception.filter.js';
import { WechatPayNotifyGuard } from './notify.guard.js';
import { runOnceHandler } from './run-once-handler.js';
import { WECHAT_NOTIFY_OPTIONS, type WechatNotifyOptions } from './wechat-notify.options.js';

/**
 * Turns a controller method into a WeChat Pay notification handler: the notification is
 * verified and decrypted before the method runs (by `WechatPayNotifyGuard`, or the subclass
 * given as `guard`), the method runs once per event however often it is delivered, and WeChat
 * Pay gets the acknowledgement it expects. The method's return value is not sent.
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
  const decorators = applyDecorators(
    SetMetadata(WECHAT_NOTIFY_OPTIONS, options),
    HttpCode(200),
    ...(options.version === 'v2' ? [Header('Content-Type', ACK_CONTENT_TYPE.v2)] : []),
    UseGuards(options.guard ?? WechatPayNotifyGuard),
    UseFilters(WechatPayNotifyExceptionFilter),
  );
  return (target, key, descriptor) => {
    runOnceHandler(target, key, descriptor as TypedPropertyDescriptor<unknown>);
    decorators(target, key, descriptor);
  };
}
