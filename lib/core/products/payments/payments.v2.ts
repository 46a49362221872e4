import { generateNonce, unixSeconds } from '../../crypto/nonce.js';
import { signV2 } from '../../crypto/v2-sign.js';
import { WechatPayError } from '../../errors.js';
import { v2OrderFields } from '../../merchant/v2-merchant-fields.js';
import type { PrepayRecoveryOptions } from '../../recovery/recovery.types.js';
import type { V2Fields } from '../../v2/xml.js';
import { assertValid } from '../../validation/validate.js';
import type { V2ProductContext } from '../product-context.js';
import { sendV2 } from '../v2-call.js';
import { V2_PAYMENT_PATHS } from './payments.paths.js';
import { MicropayDto, UnifiedOrderDto, V2OrderRefDto } from './payments.v2.dto.js';
import type {
  V2AppPayParams,
  V2AppPayParamsOptions,
  V2JsapiPayParams,
  V2Micropay,
  V2OrderRef,
  V2PayParamsOptions,
  V2UnifiedOrder,
  V2UnifiedOrderResult,
} from './payments.v2.types.js';

/**
 * Payments over API v2 (`wechatPay.v2.payments`): the classic XML endpoints. `appid`, and in
 * partner mode `sub_mch_id` / `sub_appid`, are filled from the options unless given.
 * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_1
 */
export class V2Payments {
  constructor(private readonly context: V2ProductContext) {}

  /**
   * 统一下单: JSAPI, NATIVE, APP and MWEB orders.
   * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_1
   * @example
   * const { prepay_id } = await wechatPay.v2.payments.unifiedOrder({
   *   body: '腾讯充值中心-QQ会员充值', out_trade_no: '20150806125346', total_fee: 88,
   *   spbill_create_ip: '123.12.12.123', trade_type: 'JSAPI', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
   * });
   * @param options.recovery whether missed-notification recovery watches this order
   *   (default: the `recovery` module option)
   */
  async unifiedOrder(
    order: V2UnifiedOrder,
    options: PrepayRecoveryOptions = {},
  ): Promise<V2UnifiedOrderResult> {
    const what = 'unifiedorder request';
    assertValid(UnifiedOrderDto, order, what);
    const fields = v2OrderFields(this.context.merchant, order, what);
    const answer = await this.context.api.request(V2_PAYMENT_PATHS.unifiedOrder, fields);
    if (!answer.prepay_id) throw new WechatPayError('unifiedorder answered without a prepay_id');
    await this.context.recovery?.track(
      {
        version: 'v2',
        outTradeNo: String(fields.out_trade_no),
        subMchid: typeof fields.sub_mch_id === 'string' ? fields.sub_mch_id : undefined,
        timeExpire: fields.time_expire,
      },
      options,
    );
    return answer as V2UnifiedOrderResult;
  }

  /**
   * 付款码支付: charges a code scanned from the payer's WeChat.
   * @see https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=9_10&index=1
   */
  async micropay(order: V2Micropay): Promise<V2Fields> {
    return sendV2(
      this.context,
      {
        path: V2_PAYMENT_PATHS.micropay,
        dto: MicropayDto,
        what: 'micropay request',
        order: true,
        // A second copy sent to the backup domain would answer ORDERPAID or USERPAYING for the
        // first one's payment; the till settles an unclear payment by querying instead.
        idempotent: false,
      },
      order,
    );
  }

  /**
   * 查询订单: an order by `out_trade_no` or `transaction_id`.
   * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_2
   */
  async query(ref: V2OrderRef): Promise<V2Fields> {
    return sendV2(
      this.context,
      { path: V2_PAYMENT_PATHS.orderQuery, dto: V2OrderRefDto, what: 'orderquery request' },
      ref,
    );
  }

  /**
   * 关闭订单: closes an unpaid order.
   * @param options.sub_mch_id partner mode: the sub-merchant (default: the configured subMchid)
   * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_3
   */
  async close(outTradeNo: string, options: { sub_mch_id?: string } = {}): Promise<V2Fields> {
    return sendV2(
      this.context,
      { path: V2_PAYMENT_PATHS.closeOrder, dto: V2OrderRefDto, what: 'closeorder request' },
      { out_trade_no: outTradeNo, ...options },
    );
  }

  /**
   * 撤销订单 (micropay): needs the client certificate.
   * @see https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=9_11&index=3
   */
  async reverse(ref: V2OrderRef): Promise<V2Fields> {
    return sendV2(
      this.context,
      { path: V2_PAYMENT_PATHS.reverse, dto: V2OrderRefDto, what: 'reverse request', cert: true },
      ref,
    );
  }

  /**
   * JSAPI / mini program parameters for `prepay_id`, signed with the order's sign type.
   * @default options.signType the configured `v2SignType`
   * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=7_7&index=6
   */
  async jsapiPayParams(
    prepayId: string,
    options: V2PayParamsOptions = {},
  ): Promise<V2JsapiPayParams> {
    const { api, merchant } = this.context;
    const signType = options.signType ?? api.signType;
    const fields = {
      appId: merchant.clientAppid(options.appId),
      timeStamp: String(unixSeconds()),
      nonceStr: generateNonce(),
      package: `prepay_id=${prepayId}`,
      signType,
    };
    return { ...fields, paySign: signV2(fields, await api.signingKey(), signType) };
  }

  /**
   * App parameters for `prepayid`, signed with the order's sign type. In partner mode `partnerid`
   * is the sub-merchant and `appid` the sub-merchant's AppID when there is one, as in API v3.
   * @see https://pay.weixin.qq.com/wiki/doc/api/app/app.php?chapter=9_12&index=2
   */
  async appPayParams(
    prepayId: string,
    options: V2AppPayParamsOptions = {},
  ): Promise<V2AppPayParams> {
    const { api, merchant } = this.context;
    const signType = options.signType ?? api.signType;
    const fields = {
      appid: merchant.clientAppid(options.appId),
      partnerid: merchant.appPartnerid(options.subMchid),
      prepayid: prepayId,
      package: 'Sign=WXPay' as const,
      noncestr: generateNonce(),
      timestamp: String(unixSeconds()),
    };
    return { ...fields, sign: signV2(fields, await api.signingKey(), signType) };
  }
}
