import { SetMetadata } from '@nestjs/common';

/** Options of `@WechatReconciliationSource()` and `@WechatReconciliationReport()`. */
export interface WechatReconciliationOptions {
  /**
   * The registration whose daily reconciliation job this method serves.
   * @default the unnamed registration
   */
  merchant?: string;
}

export const WECHAT_RECONCILIATION_SOURCE = 'wechatpay:reconciliation-source';
export const WECHAT_RECONCILIATION_REPORT = 'wechatpay:reconciliation-report';

/**
 * Marks a method of a provider as the merchant's orders for the daily reconciliation job:
 * `(date: string) => AsyncIterable<ReconciliationOrder>`, as `ReconciliationSource.orders`
 * (every order paid or refunded on the China-time `date`, in `out_trade_no` order by code point).
 * Its presence turns the job on for the registration: it needs the merchant's orders, which only
 * the app has, so there is nothing to run without it. One per registration.
 * @example
 * @WechatReconciliationSource()
 * orders(date: string): AsyncIterable<ReconciliationOrder> {
 *   return this.repository.streamForReconciliation(date);
 * }
 */
export function WechatReconciliationSource(
  options: WechatReconciliationOptions = {},
): MethodDecorator {
  return SetMetadata(WECHAT_RECONCILIATION_SOURCE, options);
}

/**
 * Marks a method of a provider as a hook of the daily reconciliation job: it receives each
 * day's `DailyReconciliationResult` (`status: 'reconciled'` with the report, or `'failed'` with
 * the error once the retries ran out). A hook that throws on a report makes the day's attempt
 * fail, so it is tried again (the report is not lost), and every hook of the registration may
 * then get the day again: make hooks idempotent (e.g. keyed by `result.date`). Every result is
 * logged too.
 * @example
 * @WechatReconciliationReport()
 * async reported(result: DailyReconciliationResult) {
 *   if (result.status === 'reconciled') await this.mail(formatReconciliationReport(result.report));
 * }
 */
export function WechatReconciliationReport(
  options: WechatReconciliationOptions = {},
): MethodDecorator {
  return SetMetadata(WECHAT_RECONCILIATION_REPORT, options);
}
