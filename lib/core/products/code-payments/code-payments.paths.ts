import { segment } from '../path-segment.js';

/**
 * API v3 paths of code payments (付款码支付): `/v3/pay/transactions/…` for ordinary merchants,
 * `/v3/pay/partner/transactions/…` for service providers. Queries use the payments paths.
 */
const base = (partner: boolean): string => `/v3/pay/${partner ? 'partner/' : ''}transactions`;

/** Where a code payment is submitted. */
export const codepayPath = (partner: boolean): string => `${base(partner)}/codepay`;

/** Where a code payment is reversed (撤销), by the merchant's order number. */
export const reversePath = (partner: boolean, outTradeNo: string): string =>
  `${base(partner)}/out-trade-no/${segment(outTradeNo)}/reverse`;
