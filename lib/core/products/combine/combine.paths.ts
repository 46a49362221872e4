import { segment } from '../path-segment.js';
import type { PrepayChannel } from '../payments/payments.types.js';

/** API v3 combine payments: one path in both modes; the body says who combines. */
const COMBINE_BASE = '/v3/combine-transactions';

/** Where a combine order of `channel` is placed. */
export const combinePrepayPath = (channel: PrepayChannel): string => `${COMBINE_BASE}/${channel}`;

/** A combine order by its number (query; `/close` closes it). */
export const combineOrderPath = (combineOutTradeNo: string): string =>
  `${COMBINE_BASE}/out-trade-no/${segment(combineOutTradeNo)}`;
