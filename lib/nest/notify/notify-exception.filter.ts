import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ACK_CONTENT_TYPE, v2FailureAck, v3FailureAck } from '../../core/notify/acknowledgement.js';
import { WechatPayNotifyException } from './notify-exception.js';

/**
 * Writes failure acknowledgements in the notification's own format (JSON for v3, XML for v2),
 * whatever global exception filters the app has. Applied by `@WechatNotify()`.
 */
@Catch(WechatPayNotifyException)
export class WechatPayNotifyExceptionFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: WechatPayNotifyException, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    const { message } = exception.getResponse() as { message: string };
    if (exception.version === 'v2') {
      adapter.setHeader(response, 'Content-Type', ACK_CONTENT_TYPE.v2);
      adapter.reply(response, v2FailureAck(message), exception.getStatus());
    } else {
      adapter.reply(response, v3FailureAck(message), exception.getStatus());
    }
  }
}
