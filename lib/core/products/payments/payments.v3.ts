import { WechatPayValidationError } from '../../errors.js';
import type { SubMerchantOptions } from '../../merchant/merchant-identity.js';
import type { PrepayRecoveryOptions } from '../../recovery/recovery.types.js';
import { v3OrderFields, v3Requester } from '../../merchant/v3-merchant-fields.js';
import { assertValid } from '../../validation/validate.js';
import type { V3ProductContext } from '../product-context.js';
import { buildAppPayParams, buildJsapiPayParams } from './pay-params.js';
import { H5PrepayDto, JsapiPrepayDto, OutTradeNoDto, PrepayDto } from './payments.dto.js';
import { orderByIdPath, orderByOutTradeNoPath, prepayPath } from './payments.paths.js';
import type {
  AppPayParams,
  AppPrepayResult,
  H5PrepayResult,
  H5PrepayOrder,
  JsapiPayParams,
  JsapiPrepayOrder,
  JsapiPrepayResult,
  NativePrepayResult,
  PrepayChannel,
  PrepayOrder,
  Transaction,
} from './payments.types.js';

/**
 * Payments over API v3 (`wechatPay.payments`): JSAPI / mini program, App, H5 and Native
 * orders, their queries and closing, and the parameters the payer's client pays with. Ordinary
 * merchants use `/v3/pay/transactions/…`, service providers `/v3/pay/partner/transactions/…`
 * with the `sp_`/`sub_` fields filled from the options unless given.
 * @see https://pay.weixin.qq.com/doc/v3/merchant/4012525095 (Native下单; the other channels
 *   are documented beside it)
 */
export class Payments {
  constructor(private readonly context: V3ProductContext) {}

  /**
   * JSAPI下单: creates a JSAPI / mini program order. Follow with {@link jsapiPayParams}.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012525167
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012523579 (partner mode)
   * @throws WechatPayValidationError before sending when the order is not valid
   * @example
   * const { prepay_id } = await wechatPay.payments.prepayJsapi({
   *   description: 'Coffee', out_trade_no: 'ORDER20260608001', amount: { total: 1800 },
   *   payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
   * });
   * @param options.recovery whether missed-notification recovery watches this order
   *   (default: the `recovery` module option)
   */
  prepayJsapi(
    order: JsapiPrepayOrder,
    options: PrepayRecoveryOptions = {},
  ): Promise<JsapiPrepayResult> {
    return this.prepay('jsapi', JsapiPrepayDto, order, options);
  }

  /**
   * APP下单: creates an App order. Follow with {@link appPayParams}.
   * @see https://pay.weixin.qq.com/docs/merchant/products/in-app-payment/apilist.html
   * @param options.recovery whether missed-notification recovery watches this order
   *   (default: the `recovery` module option)
   */
  prepayApp(order: PrepayOrder, options: PrepayRecoveryOptions = {}): Promise<AppPrepayResult> {
    return this.prepay('app', PrepayDto, order, options);
  }

  /**
   * H5下单: creates an H5 (mobile browser) order; redirect the payer to `h5_url`.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012525153
   * @param options.recovery whether missed-notification recovery watches this order
   *   (default: the `recovery` module option)
   */
  prepayH5(order: H5PrepayOrder, options: PrepayRecoveryOptions = {}): Promise<H5PrepayResult> {
    return this.prepay('h5', H5PrepayDto, order, options);
  }

  /**
   * Native下单: creates a Native (QR code) order; show `code_url` as a QR code.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012525095
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012523551 (partner mode)
   * @param options.recovery whether missed-notification recovery watches this order
   *   (default: the `recovery` module option)
   */
  prepayNative(
    order: PrepayOrder,
    options: PrepayRecoveryOptions = {},
  ): Promise<NativePrepayResult> {
    return this.prepay('native', PrepayDto, order, options);
  }

  /**
   * JSAPI调起支付: the parameters of `wx.requestPayment` (mini program) or `WeixinJSBridge`
   * (JSAPI), signed with the merchant key.
   * @param appId the AppID the payer's openid belongs to
   * @default appId the configured appid (partner mode: subAppid, else appid)
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter5_1_8.shtml
   */
  jsapiPayParams(prepayId: string, appId?: string): JsapiPayParams {
    const { merchant } = this.context;
    return buildJsapiPayParams(merchant.clientAppid(appId), prepayId, this.context.signingKey());
  }

  /**
   * APP调起支付: the parameters of the App SDK's `PayReq`, signed with the merchant key.
   * @param appId the App's AppID
   * @default appId the configured appid (partner mode: subAppid, else appid)
   * @param options.subMchid partner mode: the sub-merchant, which is the `partnerid`
   *   (default: the configured subMchid)
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter5_1_6.shtml
   */
  appPayParams(prepayId: string, appId?: string, options: SubMerchantOptions = {}): AppPayParams {
    const { merchant } = this.context;
    return buildAppPayParams(
      merchant.clientAppid(appId),
      merchant.appPartnerid(options.subMchid),
      prepayId,
      this.context.signingKey(),
    );
  }

  /**
   * 商户订单号查询订单: an order by the merchant's order number.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012556352
   * @see https://pay.weixin.qq.com/docs/partner/apis/partner-in-app-payment/query-by-out-trade-no.html (partner mode)
   */
  async queryByOutTradeNo(
    outTradeNo: string,
    options: SubMerchantOptions = {},
  ): Promise<Transaction> {
    const what = 'order query';
    assertValid(OutTradeNoDto, { out_trade_no: outTradeNo }, what);
    return this.query(
      orderByOutTradeNoPath(this.context.merchant.partner, outTradeNo),
      options,
      what,
    );
  }

  /**
   * 微信支付订单号查询订单: an order by WeChat Pay's transaction id.
   * @see https://pay.weixin.qq.com/docs/merchant/apis/h5-payment/query-by-wx-trade-no.html
   * @see https://pay.weixin.qq.com/docs/partner/apis/partner-miniprogram-payment/query-by-wx-trade-no.html (partner mode)
   */
  async queryById(transactionId: string, options: SubMerchantOptions = {}): Promise<Transaction> {
    const what = 'order query';
    if (!/^\w{1,32}$/.test(transactionId)) {
      throw new WechatPayValidationError(what, [
        {
          field: 'transaction_id',
          message: "must be WeChat Pay's transaction id (up to 32 letters and digits)",
        },
      ]);
    }
    return this.query(orderByIdPath(this.context.merchant.partner, transactionId), options, what);
  }

  /**
   * 关闭订单: closes an unpaid order, so it can no longer be paid.
   * @see https://pay.weixin.qq.com/docs/merchant/products/close-order/introduction.html
   * @see https://pay.weixin.qq.com/docs/partner/apis/partner-miniprogram-payment/close-order.html (partner mode)
   */
  async close(outTradeNo: string, options: SubMerchantOptions = {}): Promise<void> {
    const what = 'close order';
    assertValid(OutTradeNoDto, { out_trade_no: outTradeNo }, what);
    const { api, merchant } = this.context;
    await api.request<undefined>(
      'POST',
      `${orderByOutTradeNoPath(merchant.partner, outTradeNo)}/close`,
      { body: v3Requester(merchant, options.subMchid, what), idempotent: true },
    );
  }

  private async query(
    path: string,
    options: SubMerchantOptions,
    what: string,
  ): Promise<Transaction> {
    const { api, merchant } = this.context;
    const query = v3Requester(merchant, options.subMchid, what);
    return (await api.request<Transaction>('GET', path, { query })).data;
  }

  private async prepay<T>(
    channel: PrepayChannel,
    schema: new () => object,
    order: Record<string, unknown>,
    options: PrepayRecoveryOptions,
  ): Promise<T> {
    const what = `${channel} prepay request`;
    assertValid(schema, order, what);
    const { api, merchant, recovery } = this.context;
    const body = v3OrderFields(merchant, order, what);
    const { data } = await api.request<T>('POST', prepayPath(merchant.partner, channel), {
      body,
      // WeChat Pay deduplicates by out_trade_no: the same order placed twice is one order.
      idempotent: true,
    });
    await recovery?.track(
      {
        version: 'v3',
        outTradeNo: body.out_trade_no as string,
        subMchid: body.sub_mchid as string | undefined,
        timeExpire: body.time_expire,
      },
      options,
    );
    return data;
  }
}
