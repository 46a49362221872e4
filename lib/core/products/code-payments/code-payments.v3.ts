import { WechatPayApiError } from '../../errors.js';
import type { SubMerchantOptions } from '../../merchant/merchant-identity.js';
import { v3AppFields } from '../../merchant/v3-merchant-fields.js';
import { assertValid } from '../../validation/validate.js';
import type { Payments } from '../payments/payments.v3.js';
import type { Transaction } from '../payments/payments.types.js';
import type { V3ProductContext } from '../product-context.js';
import { CodepayDto, CodepayReverseDto } from './code-payments.dto.js';
import { codepayPath, reversePath } from './code-payments.paths.js';
import type {
  CodepayOrder,
  CodepayReverseResult,
  CodepayTillOutcome,
  TillOptions,
} from './code-payments.types.js';
import { runTill, tillStateOf } from './till-loop.js';

/**
 * Code payments (付款码支付) over API v3 (`wechatPay.codePayments`): the till scans the code in
 * the payer's WeChat and charges it. {@link payAtTill} runs the whole state machine the guide
 * asks for; {@link pay} and {@link reverse} are the single calls. Queries are
 * `wechatPay.payments.queryByOutTradeNo`. There is no payment notification for code payments.
 * @see https://pay.weixin.qq.com/docs/merchant/apis/code-payment-v3/direct/code-pay.html
 * @see https://pay.weixin.qq.com/docs/partner/apis/partner-code-payment-v3/partner/partner-code-pay.html (partner mode)
 */
export class CodePayments {
  constructor(
    private readonly context: V3ProductContext,
    private readonly payments: Payments,
  ) {}

  /**
   * 付款码支付: charges the scanned code once. Resolves with the paid order; an order that waits
   * for the payer's password is thrown as `WechatPayApiError` with code `USERPAYING` (HTTP 202),
   * which, like SYSTEM_ERROR and BANK_ERROR, means *query, then reverse* — what
   * {@link payAtTill} does.
   * @see https://pay.weixin.qq.com/docs/merchant/apis/code-payment-v3/direct/code-pay.html
   * @see https://pay.weixin.qq.com/docs/partner/apis/partner-code-payment-v3/partner/partner-code-pay.html (partner mode)
   * @throws WechatPayValidationError before sending when the payment is not valid
   * @throws WechatPayApiError USERPAYING (`mayHaveTakenEffect`, not `retrySafe`), NOT_ENOUGH,
   *   TRADE_ERROR, PARAM_ERROR (an invalid code) …
   * @example
   * const paid = await wechatPay.codePayments.pay({
   *   description: 'Coffee', out_trade_no: 'TILL20260608001', amount: { total: 1800 },
   *   payer: { auth_code: '134567890123456789' }, scene_info: { device_ip: '10.0.0.12' },
   * });
   */
  async pay(order: CodepayOrder): Promise<Transaction> {
    const what = 'code payment';
    assertValid(CodepayDto, order, what);
    const { api, merchant } = this.context;
    const answer = await api.request<Transaction | { code?: string; message?: string }>(
      'POST',
      codepayPath(merchant.partner),
      // Not re-sent to the backup domain: a payment code charges once; an unclear answer is
      // settled by querying the order, then reversing it.
      { body: v3AppFields(merchant, order, what) },
    );
    if (answer.status === 202) {
      const body = answer.data as { code?: string; message?: string } | undefined;
      throw new WechatPayApiError({
        status: 202,
        code: body?.code ?? 'USERPAYING',
        message: body?.message ?? 'the payer must confirm with a password',
        requestId: answer.requestId,
        hint: 'query the order until it is final, then reverse it (payAtTill does this)',
      });
    }
    return answer.data as Transaction;
  }

  /**
   * 撤销: reverses a code payment: an unpaid order is closed for good, a paid one is returned to
   * the payer. Send it no earlier than 15 s after the payment, and again while it answers
   * SYSTEM_ERROR; orders older than 7 days are refunded instead.
   * @see https://pay.weixin.qq.com/docs/merchant/apis/code-payment-v3/direct/reverse.html
   * @see https://pay.weixin.qq.com/docs/partner/apis/partner-code-payment-v3/partner/partner-reverse.html (partner mode)
   * @param options.appid the AppID the payment was made with (default: the `appid` option)
   * @throws WechatPayValidationError before sending when the order number is not valid
   */
  async reverse(
    outTradeNo: string,
    options: SubMerchantOptions & { appid?: string } = {},
  ): Promise<CodepayReverseResult> {
    const what = 'code payment reversal';
    assertValid(CodepayReverseDto, { out_trade_no: outTradeNo }, what);
    const { api, merchant } = this.context;
    const body = v3AppFields(
      merchant,
      { appid: options.appid, sub_mchid: options.subMchid },
      what,
      { appidOptional: true },
    );
    const { data } = await api.request<CodepayReverseResult>(
      'POST',
      reversePath(merchant.partner, outTradeNo),
      // Reversing twice reverses once: WeChat Pay keys it by out_trade_no.
      { body, idempotent: true },
    );
    return data;
  }

  /**
   * The till's whole state machine in one call: pays; on USERPAYING or an unclear answer
   * queries until the order is final or the deadline passes; then reverses (never before
   * `reverseNotBeforeMs`), again while WeChat Pay asks for it. The outcome says what happened
   * to the payer's money; nothing is silently lost: an order whose fate cannot be learned comes
   * back as `unknown`.
   * @see https://pay.weixin.qq.com/doc/v2/merchant/4011937125 (the guide's schedule)
   * @param options the schedule (defaults: first query after 5 s, then every 5 s, reverse after
   *   45 s, not before 15 s, up to 5 reversals 5 s apart)
   * @throws WechatPayValidationError before sending when the payment or schedule is not valid
   * @example
   * const outcome = await wechatPay.codePayments.payAtTill({
   *   description: 'Coffee', out_trade_no: 'TILL20260608001', amount: { total: 1800 },
   *   payer: { auth_code: '134567890123456789' }, scene_info: { device_ip: '10.0.0.12' },
   * });
   * if (outcome.status === 'paid') printReceipt(outcome.transaction);
   */
  payAtTill(order: CodepayOrder, options: TillOptions = {}): Promise<CodepayTillOutcome> {
    const sub = { subMchid: order.sub_mchid };
    const appid = order.sp_appid ?? order.appid;
    return runTill(
      {
        outTradeNo: order.out_trade_no,
        pay: async () => {
          const paid = await this.pay(order);
          return tillStateOf(paid.trade_state, paid.trade_state_desc, paid);
        },
        query: async () => {
          const order_ = await this.payments.queryByOutTradeNo(order.out_trade_no, sub);
          return tillStateOf(order_.trade_state, order_.trade_state_desc, order_);
        },
        reverse: async () => {
          await this.reverse(order.out_trade_no, {
            ...sub,
            appid: typeof appid === 'string' ? appid : undefined,
          });
          return { state: 'reversed' };
        },
      },
      options,
    );
  }
}
