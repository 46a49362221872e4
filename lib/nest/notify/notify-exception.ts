import { HttpException } from '@nestjs/common';

/**
 * A failure acknowledgement: WeChat Pay reads any 4xx/5xx as "deliver again later" and the body
 * `{"code":"FAIL","message":"…"}` as the reason.
 */
export class WechatPayNotifyException extends HttpException {
  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super({ code: 'FAIL', message }, status, options);
  }
}

/** The success acknowledgement of API v3 notifications. */
export const V3_SUCCESS_ACK = { code: 'SUCCESS', message: '成功' } as const;
