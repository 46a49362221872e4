import {
  WechatPayApiError,
  WechatPayNetworkError,
  WechatPaySignatureError,
  WechatPayValidationError,
} from 'nestjs-wechatpay';

/** Codes that mean "send the same request again": v3 and v2 spellings. */
const RETRY_CODES = new Set([
  'SYSTEM_ERROR',
  'SYSTEMERROR',
  'FREQUENCY_LIMITED',
  'FREQUENCY_LIMIT',
  'BIZERR_NEED_RETRY',
]);

/**
 * Whether WeChat Pay may have acted on a request that failed: the network failed, its answer
 * could not be trusted, or WeChat Pay asked for a retry. The safe next step is the same request
 * again (same out_trade_no / out_refund_no), never a new one. Anything else, including errors
 * raised before sending (validation, configuration, a missing client certificate), means nothing
 * happened.
 */
export function mayHaveTakenEffect(error: unknown): boolean {
  if (error instanceof WechatPayNetworkError || error instanceof WechatPaySignatureError) {
    return true;
  }
  return (
    error instanceof WechatPayApiError &&
    (error.status >= 500 || error.status === 429 || RETRY_CODES.has(error.code))
  );
}

/** The HTTP status this app answers for a WeChat Pay error. */
export function httpStatusOf(error: unknown): number {
  if (error instanceof WechatPayValidationError) return 400;
  if (mayHaveTakenEffect(error)) return 503; // retry the same request
  if (error instanceof WechatPayApiError) return 409; // WeChat Pay refused (ORDERPAID, NOT_ENOUGH…)
  return 500; // configuration and the like: the server's to fix
}
