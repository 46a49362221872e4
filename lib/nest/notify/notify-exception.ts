import { HttpException } from '@nestjs/common';
import { buildV2Xml } from '../../core/v2/xml.js';

/**
 * A failure acknowledgement: WeChat Pay reads any 4xx/5xx as "deliver again later". The body is
 * `{"code":"FAIL","message":"…"}` for API v3 and the XML `FAIL` message for API v2, written by
 * `WechatPayNotifyExceptionFilter`.
 */
export class WechatPayNotifyException extends HttpException {
  /** The API version of the notification, which decides the body's format. */
  readonly version: 'v3' | 'v2';

  constructor(
    status: number,
    message: string,
    options: { cause?: unknown; version?: 'v3' | 'v2' } = {},
  ) {
    super({ code: 'FAIL', message }, status, { cause: options.cause });
    this.version = options.version ?? 'v3';
  }
}

/** The success acknowledgement of API v3 notifications. */
export const V3_SUCCESS_ACK = { code: 'SUCCESS', message: '成功' } as const;

/** The success acknowledgement of API v2 notifications. */
export const V2_SUCCESS_ACK =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

/** The failure acknowledgement of API v2 notifications. */
export function v2FailureAck(message: string): string {
  return buildV2Xml({ return_code: 'FAIL', return_msg: message });
}
