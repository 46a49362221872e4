import { segment } from '../path-segment.js';
import type { PrepayChannel } from './payments.types.js';

/**
 * API v3 paths of payments: `/v3/pay/transactions/…` for ordinary merchants and
 * `/v3/pay/partner/transactions/…` for service providers.
 */
const base = (partner: boolean): string => `/v3/pay/${partner ? 'partner/' : ''}transactions`;

/** Where an order of `channel` is placed. */
export const prepayPath = (partner: boolean, channel: PrepayChannel): string =>
  `${base(partner)}/${channel}`;

/** An order by the merchant's order number (query; `/close` closes it). */
export const orderByOutTradeNoPath = (partner: boolean, outTradeNo: string): string =>
  `${base(partner)}/out-trade-no/${segment(outTradeNo)}`;

/** An order by WeChat Pay's transaction id. */
export const orderByIdPath = (partner: boolean, transactionId: string): string =>
  `${base(partner)}/id/${segment(transactionId)}`;

/** API v2 paths of payments. */
export const V2_PAYMENT_PATHS = {
  unifiedOrder: '/pay/unifiedorder',
  micropay: '/pay/micropay',
  orderQuery: '/pay/orderquery',
  closeOrder: '/pay/closeorder',
  reverse: '/secapi/pay/reverse',
} as const;
