import { v3CombineFields, v3CombineOrderFields } from '../../merchant/v3-combine-fields.js';
import type { PrepayRecoveryOptions, RecoverySubOrder } from '../../recovery/recovery.types.js';
import { assertValid } from '../../validation/validate.js';
import { buildAppPayParams, buildJsapiPayParams } from '../payments/pay-params.js';
import type { AppPayParams, JsapiPayParams, PrepayChannel } from '../payments/payments.types.js';
import type { V3ProductContext } from '../product-context.js';
import {
  CombineAppPrepayDto,
  CombineCloseDto,
  CombineH5PrepayDto,
  CombineJsapiPrepayDto,
  CombineOutTradeNoDto,
} from './combine.dto.js';
import { combineOrderPath, combinePrepayPath } from './combine.paths.js';
import type {
  CombineCloseRequest,
  CombineH5PrepayOrder,
  CombineH5PrepayResult,
  CombineJsapiPrepayOrder,
  CombineNativePrepayResult,
  CombinePrepayIdResult,
  CombinePrepayOrder,
  CombineTransaction,
} from './combine.types.js';

/**
 * Combine payments (合单支付) over API v3 (`wechatPay.combine`): one payment, one password, for
 * several sub-orders (ordinary merchants 2–10, each for itself or another merchant bound to the
 * AppID; service providers 1–50, each for a sub-merchant). The payer's one payment produces one
 * `TRANSACTION.SUCCESS` notification carrying every sub-order
 * (`CombineTransactionNotification`); each sub-order is then an ordinary order of its merchant,
 * refunded with `wechatPay.refunds.create` by its own `out_trade_no`. With the `recovery` option
 * (or `{ recovery: true }` per call) each combine order placed is watched like an ordinary one:
 * queried, its payment handled once if the notification is lost, closed whole at `time_expire`.
 * @see https://pay.weixin.qq.com/docs/merchant/products/combine-payment/apilist-jsapi.html
 * @see https://pay.weixin.qq.com/docs/partner/products/combine-payment/apilist-jsapi.html (partner mode)
 */
export class Combine {
  constructor(private readonly context: V3ProductContext) {}

  /**
   * 合单JSAPI下单 / 小程序合单下单: places a combine JSAPI or mini program order. Follow with
   * {@link jsapiPayParams}.
   * @see https://pay.weixin.qq.com/docs/merchant/products/combine-payment/apilist-jsapi.html
   * @see https://pay.weixin.qq.com/docs/partner/products/combine-payment/apilist-jsapi.html (partner mode)
   * @param options.recovery whether missed-notification recovery watches this combine order
   *   (default: the `recovery` module option)
   * @throws WechatPayValidationError before sending when the order is not valid
   * @example
   * const { prepay_id } = await wechatPay.combine.prepayJsapi({
   *   combine_out_trade_no: 'CART20260608001',
   *   combine_payer_info: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
   *   sub_orders: [
   *     { out_trade_no: 'CART20260608001A', description: 'Coffee', attach: 'bar', amount: { total_amount: 1800 } },
   *     { out_trade_no: 'CART20260608001B', description: 'Cake', attach: 'bakery', amount: { total_amount: 2200 } },
   *   ],
   * });
   */
  prepayJsapi(
    order: CombineJsapiPrepayOrder,
    options: PrepayRecoveryOptions = {},
  ): Promise<CombinePrepayIdResult> {
    return this.prepay('jsapi', CombineJsapiPrepayDto, order, options);
  }

  /**
   * 合单APP下单: places a combine App order. Follow with {@link appPayParams}.
   * @see https://pay.weixin.qq.com/docs/merchant/products/combine-payment/apilist-app.html
   * @see https://pay.weixin.qq.com/docs/partner/products/combine-payment/apilist-app.html (partner mode)
   * @param options.recovery whether missed-notification recovery watches this combine order
   *   (default: the `recovery` module option)
   * @throws WechatPayValidationError before sending when the order is not valid
   */
  prepayApp(
    order: CombinePrepayOrder,
    options: PrepayRecoveryOptions = {},
  ): Promise<CombinePrepayIdResult> {
    return this.prepay('app', CombineAppPrepayDto, order, options);
  }

  /**
   * 合单H5下单: places a combine H5 order; redirect the payer to `h5_url`.
   * @see https://pay.weixin.qq.com/docs/merchant/products/combine-payment/apilist-h5.html
   * @see https://pay.weixin.qq.com/docs/partner/products/combine-payment/apilist-h5.html (partner mode)
   * @param options.recovery whether missed-notification recovery watches this combine order
   *   (default: the `recovery` module option)
   * @throws WechatPayValidationError before sending when the order is not valid
   */
  prepayH5(
    order: CombineH5PrepayOrder,
    options: PrepayRecoveryOptions = {},
  ): Promise<CombineH5PrepayResult> {
    return this.prepay('h5', CombineH5PrepayDto, order, options);
  }

  /**
   * 合单Native下单: places a combine Native order; show `code_url` as a QR code.
   * @see https://pay.weixin.qq.com/docs/merchant/products/combine-payment/apilist-native.html
   * @see https://pay.weixin.qq.com/docs/partner/products/combine-payment/apilist-native.html (partner mode)
   * @param options.recovery whether missed-notification recovery watches this combine order
   *   (default: the `recovery` module option)
   * @throws WechatPayValidationError before sending when the order is not valid
   */
  prepayNative(
    order: CombinePrepayOrder,
    options: PrepayRecoveryOptions = {},
  ): Promise<CombineNativePrepayResult> {
    return this.prepay('native', CombineAppPrepayDto, order, options);
  }

  /**
   * JSAPI调起支付 of a combine order: the parameters of `wx.requestPayment` / `WeixinJSBridge`,
   * signed with the merchant key. The payer's openid belongs to `combine_appid`, so that is the
   * `appId` (in partner mode too).
   * @param appId the order's `combine_appid`
   * @default appId the `appid` module option
   * @throws WechatPayValidationError when there is no AppID, or it is not one of the merchant's
   * @see https://pay.weixin.qq.com/docs/merchant/products/combine-payment/apilist-jsapi.html (调起支付)
   */
  jsapiPayParams(prepayId: string, appId?: string): JsapiPayParams {
    return buildJsapiPayParams(this.clientAppid(appId), prepayId, this.context.signingKey());
  }

  /**
   * APP调起支付 of a combine order: the parameters of the App SDK's `PayReq`, signed with the
   * merchant key. `partnerid` is the merchant that placed the combine order (`combine_mchid`;
   * the service provider in partner mode), not a sub-order's merchant.
   * @param appId the order's `combine_appid`
   * @default appId the `appid` module option
   * @throws WechatPayValidationError when there is no AppID, or it is not one of the merchant's
   * @see https://pay.weixin.qq.com/docs/merchant/products/combine-payment/apilist-app.html (调起支付)
   */
  appPayParams(prepayId: string, appId?: string): AppPayParams {
    return buildAppPayParams(
      this.clientAppid(appId),
      this.context.merchant.mchid,
      prepayId,
      this.context.signingKey(),
    );
  }

  /**
   * 查询合单订单: a combine order and the state of each sub-order. There is no overall state:
   * the order is paid when every sub-order's `trade_state` is `SUCCESS`.
   * @see https://pay.weixin.qq.com/docs/merchant/apis/combine-payment/orders/query-order.html
   * @see https://pay.weixin.qq.com/docs/partner/apis/combine-payment/orders/query-order.html (partner mode)
   * @throws WechatPayValidationError before sending when the number is not valid
   */
  async query(combineOutTradeNo: string): Promise<CombineTransaction> {
    assertValid(
      CombineOutTradeNoDto,
      { combine_out_trade_no: combineOutTradeNo },
      'combine order query',
    );
    const { data } = await this.context.api.request<CombineTransaction>(
      'GET',
      combineOrderPath(combineOutTradeNo),
    );
    return data;
  }

  /**
   * 关闭合单订单: closes an unpaid combine order, naming every sub-order (a combine order can
   * only be closed whole, and only by this API, never by `payments.close`).
   * @param request `{ sub_orders: [{ out_trade_no }, …] }`; each sub-order's `mchid`, and in
   *   partner mode `sub_mchid`, default to the configuration like at prepay
   * @see https://pay.weixin.qq.com/docs/merchant/apis/combine-payment/orders/close-order.html
   * @see https://pay.weixin.qq.com/docs/partner/apis/combine-payment/orders/close-order.html (partner mode)
   * @throws WechatPayValidationError before sending when a sub-order is not valid
   * @example
   * await wechatPay.combine.close('CART20260608001', {
   *   sub_orders: [{ out_trade_no: 'CART20260608001A' }, { out_trade_no: 'CART20260608001B' }],
   * });
   */
  async close(combineOutTradeNo: string, request: CombineCloseRequest): Promise<void> {
    const what = 'close combine order';
    assertValid(CombineOutTradeNoDto, { combine_out_trade_no: combineOutTradeNo }, what);
    assertValid(CombineCloseDto, request, what);
    await this.context.api.request<undefined>(
      'POST',
      `${combineOrderPath(combineOutTradeNo)}/close`,
      {
        body: v3CombineFields(this.context.merchant, request, what),
        idempotent: true,
      },
    );
  }

  private clientAppid(appId: string | undefined): string {
    return this.context.merchant.orderAppid(appId, 'combine client payment parameters', 'appId');
  }

  private async prepay<T>(
    channel: PrepayChannel,
    schema: new () => object,
    order: Record<string, unknown> & { sub_orders: CombinePrepayOrder['sub_orders'] },
    options: PrepayRecoveryOptions,
  ): Promise<T> {
    const what = `combine ${channel} prepay request`;
    assertValid(schema, order, what);
    const body = v3CombineOrderFields(
      this.context.merchant,
      {
        ...order,
        sub_orders: order.sub_orders.map((sub) => ({
          ...sub,
          amount: { ...sub.amount, currency: sub.amount.currency ?? 'CNY' },
        })),
      },
      what,
    );
    const { data } = await this.context.api.request<T>('POST', combinePrepayPath(channel), {
      body,
      // WeChat Pay deduplicates by combine_out_trade_no: the same order placed twice is one order.
      idempotent: true,
    });
    await this.context.recovery?.track(
      {
        version: 'v3',
        outTradeNo: body.combine_out_trade_no as string,
        timeExpire: body.time_expire,
        combine: {
          combineAppid: body.combine_appid as string,
          subOrders: body.sub_orders as RecoverySubOrder[],
        },
      },
      options,
    );
    return data;
  }
}
