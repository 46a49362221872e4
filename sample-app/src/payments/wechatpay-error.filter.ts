import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WechatPayApiError, WechatPayError, WechatPayValidationError } from 'nestjs-wechatpay';

/**
 * WeChat Pay's answers as HTTP answers for this app's clients: a refusal (ORDERPAID,
 * NOT_ENOUGH…) is a 409 with WeChat Pay's code and message, invalid input a 400, and trouble
 * reaching or trusting WeChat Pay a 502. The library's messages never hold secrets.
 */
@Catch(WechatPayError)
export class WechatPayErrorFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: WechatPayError, host: ArgumentsHost): void {
    const statusCode =
      error instanceof WechatPayValidationError
        ? 400
        : error instanceof WechatPayApiError && error.status < 500
          ? 409
          : 502;
    const code = error instanceof WechatPayApiError ? error.code : error.name;
    const { httpAdapter } = this.adapterHost;
    httpAdapter.reply(
      host.switchToHttp().getResponse(),
      { statusCode, code, message: error.message },
      statusCode,
    );
  }
}
