import { WechatPayApiError, WechatPayError, WechatPayValidationError } from 'nestjs-wechatpay';

/** The HTTP status this app answers for a WeChat Pay error. */
export function httpStatusOf(error: unknown): number {
  if (error instanceof WechatPayValidationError) return 400;
  // WeChat Pay may have acted on it: the client retries the same request (same order number).
  if (error instanceof WechatPayError && error.mayHaveTakenEffect) return 503;
  if (error instanceof WechatPayApiError) return 409; // WeChat Pay refused (ORDERPAID, NOT_ENOUGH…)
  return 500; // configuration and the like: the server's to fix
}
