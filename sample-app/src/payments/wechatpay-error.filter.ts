import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WechatPayApiError, WechatPayError } from 'nestjs-wechatpay';
import { httpStatusOf } from './wechatpay-errors.js';

/**
 * WeChat Pay's errors as answers for this app's clients: a refusal is a 409 with WeChat Pay's
 * code, a failure worth retrying as is a 503, invalid input a 400. The library's messages never
 * hold secrets. (@WechatNotify routes keep their own filter and acknowledgements.)
 */
@Catch(WechatPayError)
export class WechatPayErrorFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: WechatPayError, host: ArgumentsHost): void {
    const statusCode = httpStatusOf(error);
    const code = error instanceof WechatPayApiError ? error.code : error.name;
    this.adapterHost.httpAdapter.reply(
      host.switchToHttp().getResponse(),
      { statusCode, code, message: error.message },
      statusCode,
    );
  }
}
