import { SetMetadata } from '@nestjs/common';

/** Options of `@WechatRecoveryOutcome()`. */
export interface WechatRecoveryOutcomeOptions {
  /**
   * The registration whose orders this method hears about.
   * @default the unnamed registration
   */
  merchant?: string;
}

export const WECHAT_RECOVERY_OUTCOME = 'wechatpay:recovery-outcome';

/**
 * Marks a method of a provider or controller as the hook told how each watched order's
 * recovery ended (`RecoveryOutcome`): `CLOSED` at expiry, `REVOKED`, `PAID` (with
 * `paidAtClose` when the payer paid between the last query and the close: refund it if the
 * order was given up), `NEEDS_ATTENTION` when a person must look. A hook that throws is logged,
 * not retried.
 * @example
 * @WechatRecoveryOutcome()
 * async ended(outcome: RecoveryOutcome) {
 *   if (outcome.type === 'CLOSED') await this.orders.cancel(outcome.order.outTradeNo);
 * }
 */
export function WechatRecoveryOutcome(options: WechatRecoveryOutcomeOptions = {}): MethodDecorator {
  return SetMetadata(WECHAT_RECOVERY_OUTCOME, options);
}
