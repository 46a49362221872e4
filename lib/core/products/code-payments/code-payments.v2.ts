import { WechatPayApiError } from '../../errors.js';
import type { V2Fields } from '../../v2/xml.js';
import type { V2Payments } from '../payments/payments.v2.js';
import type { V2Micropay } from '../payments/payments.v2.types.js';
import type { TillOptions, V2MicropayTillOutcome } from './code-payments.types.js';
import { type ReverseAnswer, runTill, tillStateOf } from './till-loop.js';

/**
 * Code payments (付款码支付) over API v2 (`wechatPay.v2.codePayments`): the same till state
 * machine as API v3 on `micropay`, `orderquery` and `reverse` (which needs the client
 * certificate). The single calls are `wechatPay.v2.payments.micropay/query/reverse`.
 * @see https://pay.weixin.qq.com/doc/v2/merchant/4011937125
 * @see https://pay.weixin.qq.com/doc/v2/partner/4011941293 (partner mode)
 */
export class V2CodePayments {
  constructor(private readonly payments: V2Payments) {}

  /**
   * The till's whole state machine in one call: micropay; on USERPAYING, SYSTEMERROR,
   * BANKERROR or a broken connection queries until the order is final or the deadline passes;
   * then reverses (never before `reverseNotBeforeMs`), again while the answer says `recall: Y`.
   * @see https://pay.weixin.qq.com/doc/v2/merchant/4011937125
   * @see https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=9_11&index=3 (撤销订单)
   * @param options the schedule (defaults: first query after 5 s, then every 5 s, reverse after
   *   45 s, not before 15 s, up to 5 reversals 5 s apart)
   * @throws WechatPayValidationError before sending when the payment or schedule is not valid
   * @example
   * const outcome = await wechatPay.v2.codePayments.payAtTill({
   *   body: 'Coffee', out_trade_no: 'TILL20260608001', total_fee: 1800,
   *   spbill_create_ip: '10.0.0.12', auth_code: '134567890123456789',
   * });
   */
  payAtTill(order: V2Micropay, options: TillOptions = {}): Promise<V2MicropayTillOutcome> {
    const ref = {
      out_trade_no: order.out_trade_no,
      ...(order.sub_mch_id === undefined ? {} : { sub_mch_id: order.sub_mch_id }),
      ...(order.appid === undefined ? {} : { appid: order.appid }),
    };
    return runTill(
      {
        outTradeNo: order.out_trade_no,
        pay: async () => {
          const paid = await this.payments.micropay(order);
          // micropay answers SUCCESS only once paid, without a trade_state.
          return tillStateOf(paid.trade_state ?? 'SUCCESS', paid.trade_state_desc, paid);
        },
        query: async () => {
          const found = await this.payments.query(ref);
          return tillStateOf(found.trade_state, found.trade_state_desc, found);
        },
        reverse: () => reverseAnswer(() => this.payments.reverse(ref)),
      },
      options,
    );
  }
}

/** `recall: Y` — in a success or a failure — asks for another reversal. */
async function reverseAnswer(send: () => Promise<V2Fields>): Promise<ReverseAnswer> {
  try {
    const fields = await send();
    return fields.recall === 'Y'
      ? { state: 'again', message: 'the reversal answered recall: Y' }
      : { state: 'reversed' };
  } catch (error) {
    if (
      error instanceof WechatPayApiError &&
      (error.detail as V2Fields | undefined)?.recall === 'Y'
    ) {
      return { state: 'again', message: error.message };
    }
    throw error;
  }
}
