import { WechatPayValidationError } from '../../errors.js';
import { v2RefundFields } from '../../merchant/v2-merchant-fields.js';
import type { V2Fields } from '../../v2/xml.js';
import { assertValid } from '../../validation/validate.js';
import type { V2ProductContext } from '../product-context.js';
import { sendV2 } from '../v2-call.js';
import { V2_REFUND_PATHS } from './refunds.paths.js';
import { V2RefundDto, V2RefundQueryDto } from './refunds.v2.dto.js';

/** A refund request, validated before sending; other v2 fields pass through. */
export type V2RefundRequest = V2RefundDto & Record<string, unknown>;
/** A refundquery request, validated before sending. */
export type V2RefundQuery = V2RefundQueryDto & Record<string, unknown>;

/**
 * Refunds over API v2 (`wechatPay.v2.refunds`).
 * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_4
 */
export class V2Refunds {
  constructor(private readonly context: V2ProductContext) {}

  /**
   * 申请退款: needs the client certificate. Re-sending the same `out_refund_no` refunds once.
   * @throws WechatPayValidationError before sending, e.g. when `refund_fee` exceeds `total_fee`
   * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_4
   */
  async create(refund: V2RefundRequest): Promise<V2Fields> {
    const what = 'refund request';
    assertValid(V2RefundDto, refund, what);
    if (refund.refund_fee > refund.total_fee) {
      throw new WechatPayValidationError(what, [
        {
          field: 'refund_fee',
          message: 'must not exceed total_fee, the amount of the original order',
        },
      ]);
    }
    return this.context.api.request(
      V2_REFUND_PATHS.refund,
      v2RefundFields(this.context.merchant, refund, what),
      { cert: true },
    );
  }

  /**
   * 查询退款: by `out_refund_no`, `refund_id`, `out_trade_no` or `transaction_id`.
   * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_5
   */
  async query(query: V2RefundQuery): Promise<V2Fields> {
    return sendV2(
      this.context,
      { path: V2_REFUND_PATHS.refundQuery, dto: V2RefundQueryDto, what: 'refundquery request' },
      query,
    );
  }
}
