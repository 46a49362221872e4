import { segment } from '../path-segment.js';

/** API v3 refunds: one path in both modes; partners name the sub-merchant in body or query. */
export const REFUNDS_PATH = '/v3/refund/domestic/refunds';

/** A refund by the merchant's refund number. */
export const refundPath = (outRefundNo: string): string =>
  `${REFUNDS_PATH}/${segment(outRefundNo)}`;

/** 发起异常退款: an ABNORMAL refund by WeChat Pay's refund id. */
export const abnormalRefundPath = (refundId: string): string =>
  `${REFUNDS_PATH}/${segment(refundId)}/apply-abnormal-refund`;

/** API v2 paths of refunds. */
export const V2_REFUND_PATHS = {
  refund: '/secapi/pay/refund',
  refundQuery: '/pay/refundquery',
} as const;
