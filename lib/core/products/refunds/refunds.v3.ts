import { WechatPayValidationError } from '../../errors.js';
import type { SubMerchantOptions } from '../../merchant/merchant-identity.js';
import { v3RefundFields, v3SubMchid } from '../../merchant/v3-merchant-fields.js';
import type { PrepayRecoveryOptions } from '../../recovery/recovery.types.js';
import { assertValid } from '../../validation/validate.js';
import type { V3ProductContext } from '../product-context.js';
import { AbnormalRefundDto, RefundDto, RefundQueryDto } from './refunds.dto.js';
import { abnormalRefundPath, REFUNDS_PATH, refundPath } from './refunds.paths.js';
import type { AbnormalRefundRequest, Refund, RefundRequest } from './refunds.types.js';

/**
 * Refunds over API v3 (`wechatPay.refunds`): request one, query it, send an ABNORMAL one
 * elsewhere ({@link applyAbnormalRefund}). The outcome arrives as a
 * `REFUND.SUCCESS` / `REFUND.ABNORMAL` / `REFUND.CLOSED` notification or by {@link query}.
 * @see https://pay.weixin.qq.com/docs/merchant/products/refund/apilist.html
 */
export class Refunds {
  constructor(private readonly context: V3ProductContext) {}

  /**
   * 申请退款: requests a refund. The answer is usually `PROCESSING`. Re-sending the same
   * `out_refund_no` cannot refund twice, so a failed call may be retried with it. With the
   * `recovery` option the refund is then watched: queried until it ends, and if its `REFUND.*`
   * notification is lost the `@WechatNotify` handler of that event runs with the queried refund.
   * @param options.recovery whether missed-notification recovery watches this refund
   *   (default: the `recovery` module option)
   * @throws WechatPayValidationError before sending, e.g. when `amount.refund` exceeds `amount.total`
   * @see https://pay.weixin.qq.com/docs/merchant/products/refund/apilist.html
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012886219 (partner mode)
   * @example
   * await wechatPay.refunds.create({
   *   out_trade_no: 'ORDER20260608001', out_refund_no: 'REFUND20260608001',
   *   amount: { refund: 1800, total: 1800, currency: 'CNY' },
   * });
   */
  async create(refund: RefundRequest, options: PrepayRecoveryOptions = {}): Promise<Refund> {
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
    const body = v3RefundFields(this.context.merchant, refund, what);
    const { data } = await this.context.api.request<Refund>('POST', REFUNDS_PATH, {
      body,
      // WeChat Pay deduplicates by out_refund_no, so re-sending cannot refund twice.
      idempotent: true,
    });
    await this.context.recovery?.track(
      {
        version: 'v3',
        outTradeNo: data.out_trade_no ?? refund.out_trade_no ?? '',
        subMchid: body.sub_mchid as string | undefined,
        refund: { outRefundNo: refund.out_refund_no },
      },
      options,
    );
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

  /**
   * 发起异常退款: sends a refund whose status is `ABNORMAL` (the payer's card was cancelled or
   * frozen…) to the payer's bank card (`USER_BANK_CARD`, with `bank_type`, `bank_account` and
   * `real_name`) or to the merchant's bank account (`MERCHANT_BANK_CARD`). The card number and
   * the name are encrypted here with WeChat Pay's key (RSA-OAEP) and its serial sent as
   * `Wechatpay-Serial`; they never appear in an error or a log. The refund then goes back to
   * `PROCESSING` and its outcome arrives as a `REFUND.*` notification, as for any refund.
   * @param refundId `refund_id`, WeChat Pay's number of the refund (from the refund, its query
   *   or its `REFUND.ABNORMAL` notification)
   * @param request.sub_mchid partner mode: the sub-merchant (default: the configured subMchid)
   * @returns the refund as WeChat Pay now has it
   * @throws WechatPayValidationError before sending, e.g. USER_BANK_CARD without a card number
   * @throws WechatPayApiError e.g. when the refund is not ABNORMAL
   * @see https://pay.weixin.qq.com/docs/merchant/apis/refund/refunds/create-abnormal-refund.html
   * @see https://pay.weixin.qq.com/docs/partner/apis/refund/refunds/create-abnormal-refund.html (partner mode)
   * @example
   * await wechatPay.refunds.applyAbnormalRefund(refund.refund_id, {
   *   out_refund_no: refund.out_refund_no, type: 'USER_BANK_CARD',
   *   bank_type: 'ICBC_DEBIT', bank_account: '6222020000000000000', real_name: '张三',
   * });
   */
  async applyAbnormalRefund(refundId: string, request: AbnormalRefundRequest): Promise<Refund> {
    const what = 'abnormal refund request';
    if (!/^\w{1,32}$/.test(refundId)) {
      throw new WechatPayValidationError(what, [
        {
          field: 'refund_id',
          message: "must be WeChat Pay's refund id (up to 32 letters and digits)",
        },
      ]);
    }
    assertValid(AbnormalRefundDto, request, what);
    const { bank_account, real_name, sub_mchid, ...rest } = request;
    const { api, merchant } = this.context;
    const identity = v3SubMchid(merchant, sub_mchid, what);
    let body: Record<string, unknown> = { ...rest, ...identity };
    let wechatpaySerial: string | undefined;
    if (bank_account !== undefined || real_name !== undefined) {
      // One key for every encrypted field, named once in Wechatpay-Serial.
      const encryptor = await this.context.sensitiveFields();
      wechatpaySerial = encryptor.serial;
      body = {
        ...body,
        ...(bank_account !== undefined ? { bank_account: encryptor.encrypt(bank_account) } : {}),
        ...(real_name !== undefined ? { real_name: encryptor.encrypt(real_name) } : {}),
      };
    }
    const { data } = await api.request<Refund>('POST', abnormalRefundPath(refundId), {
      body,
      wechatpaySerial,
    });
    return data;
  }
}
