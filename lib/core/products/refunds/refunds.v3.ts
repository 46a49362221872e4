import { WechatPayValidationError } from '../../errors.js';
import type { SubMerchantOptions } from '../../merchant/merchant-identity.js';
import { v3RefundFields, v3SubMchid } from '../../merchant/v3-merchant-fields.js';
import { assertValid } from '../../validation/validate.js';
import type { V3ProductContext } from '../product-context.js';
import { RefundDto, RefundQueryDto } from './refunds.dto.js';
import { REFUNDS_PATH, refundPath } from './refunds.paths.js';
import type { Refund, RefundRequest } from './refunds.types.js';

/**
 * Refunds over API v3 (`wechatPay.refunds`): request one, query it. The outcome arrives as a
 * `REFUND.SUCCESS` / `REFUND.ABNORMAL` / `REFUND.CLOSED` notification or by {@link query}.
 * @see https://pay.weixin.qq.com/docs/merchant/products/refund/apilist.html
 */
export class Refunds {
  constructor(private readonly context: V3ProductContext) {}

  /**
   * 申请退款: requests a refund. The answer is usually `PROCESSING`. Re-sending the same
   * `out_refund_no` cannot refund twice, so a failed call may be retried with it.
   * @throws WechatPayValidationError before sending, e.g. when `amount.refund` exceeds `amount.total`
   * @see https://pay.weixin.qq.com/docs/merchant/products/refund/apilist.html
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012886219 (partner mode)
   * @example
   * await wechatPay.refunds.create({
   *   out_trade_no: 'ORDER20260608001', out_refund_no: 'REFUND20260608001',
   *   amount: { refund: 1800, total: 1800, currency: 'CNY' },
   * });
   */
  async create(refund: RefundRequest): Promise<Refund> {
    const what = 'refund request';
    assertValid(RefundDto, refund, what);
    if (refund.amount.refund > refund.amount.total) {
      throw new WechatPayValidationError(what, [
        {
          field: 'amount.refund',
          message: 'must not exceed amount.total, the amount of the original order',
        },
      ]);
    }
    const { data } = await this.context.api.request<Refund>('POST', REFUNDS_PATH, {
      body: v3RefundFields(this.context.merchant, refund, what),
      // WeChat Pay deduplicates by out_refund_no, so re-sending cannot refund twice.
      idempotent: true,
    });
    return data;
  }

  /**
   * 查询单笔退款（通过商户退款单号）: a refund by the merchant's refund number.
   * @see https://pay.weixin.qq.com/docs/merchant/apis/refund/refunds/query-by-out-refund-no.html
   * @see https://pay.weixin.qq.com/docs/partner/apis/partner-in-app-payment/query-by-out-refund-no.html (partner mode)
   */
  async query(outRefundNo: string, options: SubMerchantOptions = {}): Promise<Refund> {
    const what = 'refund query';
    assertValid(RefundQueryDto, { out_refund_no: outRefundNo }, what);
    const { data } = await this.context.api.request<Refund>('GET', refundPath(outRefundNo), {
      query: v3SubMchid(this.context.merchant, options.subMchid, what),
    });
    return data;
  }
}
