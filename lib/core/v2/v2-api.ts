import type { WechatPayConfig } from '../config/resolve-config.js';
import { generateNonce, unixSeconds } from '../crypto/nonce.js';
import { signV2, type V2SignType } from '../crypto/v2-sign.js';
import { WechatPayError, WechatPayValidationError } from '../errors.js';
import { MerchantIdentity } from '../merchant/merchant-identity.js';
import { assertValid } from '../v3/dto/validate.js';
import * as dto from './v2-dto.js';
import type { V2RequestOptions, WechatPayV2Client } from './v2-client.js';
import type { AppPayParams } from '../v3/types.js';
import type { V2Fields } from './xml.js';

/** JSAPI / mini program parameters for API v2 orders. */
export interface V2JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: V2SignType;
  paySign: string;
}

/** App parameters for API v2 orders: the same fields as API v3's, MD5/HMAC-signed. */
export type V2AppPayParams = AppPayParams;

type Input<T> = T & Record<string, unknown>;

/** The answer of unifiedorder: `prepay_id`, plus `code_url` (NATIVE) or `mweb_url` (MWEB). */
export type V2UnifiedOrderResult = V2Fields & {
  prepay_id: string;
  trade_type: string;
  code_url?: string;
  mweb_url?: string;
};

/** Per-call options of the v2 client payment parameters. */
export interface V2PayParamsOptions {
  /**
   * The AppID the payer's client pays with.
   * @default the configured appid (partner mode: subAppid, else appid)
   */
  appId?: string;
  /**
   * The order's sign type.
   * @default the configured `v2SignType`
   */
  signType?: V2SignType;
}

/** Per-call options of {@link WechatPayV2Api.appPayParams}. */
export interface V2AppPayParamsOptions extends V2PayParamsOptions {
  /**
   * Partner mode: the sub-merchant the order was placed for, which is the `partnerid`.
   * @default the configured subMchid
   */
  subMchid?: string;
}

/**
 * API v2 for one merchant (`wechatPay.v2`): the classic XML endpoints. Every input is validated
 * before anything is sent; `appid`, and in partner mode `sub_mch_id` / `sub_appid`, are filled
 * from the options unless given (see {@link MerchantIdentity}).
 */
export class WechatPayV2Api {
  constructor(
    private readonly config: WechatPayConfig,
    private readonly client: WechatPayV2Client,
    private readonly merchant: MerchantIdentity = new MerchantIdentity(config),
  ) {}

  /**
   * 统一下单: JSAPI, NATIVE, APP and MWEB orders.
   * @example
   * const { prepay_id } = await wechatPay.v2.unifiedOrder({
   *   body: '腾讯充值中心-QQ会员充值', out_trade_no: '20150806125346', total_fee: 88,
   *   spbill_create_ip: '123.12.12.123', trade_type: 'JSAPI', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
   * });
   */
  async unifiedOrder(order: Input<dto.UnifiedOrderDto>): Promise<V2UnifiedOrderResult> {
    const what = 'unifiedorder request';
    assertValid(dto.UnifiedOrderDto, order, what);
    const notifyUrl = this.merchant.notifyUrl(order.notify_url, what);
    const answer = await this.client.request('/pay/unifiedorder', {
      ...this.identity(order, what, { order: true }),
      notify_url: notifyUrl,
    });
    if (!answer.prepay_id) throw new WechatPayError('unifiedorder answered without a prepay_id');
    return answer as V2UnifiedOrderResult;
  }

  /** 付款码支付: charges a code scanned from the payer's WeChat. */
  async micropay(order: Input<dto.MicropayDto>): Promise<V2Fields> {
    const what = 'micropay request';
    assertValid(dto.MicropayDto, order, what);
    return this.client.request('/pay/micropay', this.identity(order, what, { order: true }));
  }

  /** 查询订单. */
  async orderQuery(ref: Input<dto.V2OrderRefDto>): Promise<V2Fields> {
    const what = 'orderquery request';
    assertValid(dto.V2OrderRefDto, ref, what);
    return this.client.request('/pay/orderquery', this.identity(ref, what));
  }

  /** 关闭订单. */
  async closeOrder(outTradeNo: string, options: { sub_mch_id?: string } = {}): Promise<V2Fields> {
    const what = 'closeorder request';
    assertValid(dto.V2OrderRefDto, { out_trade_no: outTradeNo }, what);
    return this.client.request(
      '/pay/closeorder',
      this.identity({ out_trade_no: outTradeNo, ...options }, what),
    );
  }

  /** 撤销订单 (micropay): needs the client certificate. */
  async reverse(ref: Input<dto.V2OrderRefDto>): Promise<V2Fields> {
    const what = 'reverse request';
    assertValid(dto.V2OrderRefDto, ref, what);
    return this.client.request('/secapi/pay/reverse', this.identity(ref, what), { cert: true });
  }

  /** 申请退款: needs the client certificate. */
  async refund(refund: Input<dto.V2RefundDto>): Promise<V2Fields> {
    const what = 'refund request';
    assertValid(dto.V2RefundDto, refund, what);
    if (refund.refund_fee > refund.total_fee) {
      throw new WechatPayValidationError(what, [
        {
          field: 'refund_fee',
          message: 'must not exceed total_fee, the amount of the original order',
        },
      ]);
    }
    const notifyUrl = this.merchant.refundNotifyUrl(refund.notify_url);
    return this.client.request(
      '/secapi/pay/refund',
      { ...this.identity(refund, what), ...(notifyUrl ? { notify_url: notifyUrl } : {}) },
      { cert: true },
    );
  }

  /** 查询退款. */
  async refundQuery(query: Input<dto.V2RefundQueryDto>): Promise<V2Fields> {
    const what = 'refundquery request';
    assertValid(dto.V2RefundQueryDto, query, what);
    return this.client.request('/pay/refundquery', this.identity(query, what));
  }

  /** 下载交易账单: the bill as text. */
  async downloadBill(query: Input<dto.V2BillDto>): Promise<string> {
    const what = 'downloadbill request';
    assertValid(dto.V2BillDto, query, what);
    return this.client.requestFile(
      '/pay/downloadbill',
      this.identity({ bill_type: 'ALL', ...query }, what),
    );
  }

  /** 下载资金账单: needs the client certificate and HMAC-SHA256. */
  async downloadFundFlow(query: Input<dto.V2FundFlowDto>): Promise<string> {
    const what = 'downloadfundflow request';
    assertValid(dto.V2FundFlowDto, query, what);
    return this.client.requestFile('/pay/downloadfundflow', this.identity(query, what), {
      cert: true,
      signType: 'HMAC-SHA256',
    });
  }

  /** Any other API v2 endpoint, with the same signing and checks. */
  request(
    path: string,
    params: Record<string, unknown>,
    options: V2RequestOptions = {},
  ): Promise<V2Fields> {
    return this.client.request(path, params, options);
  }

  /**
   * JSAPI / mini program parameters for `prepay_id`, signed with the order's sign type.
   * @default signType the configured `v2SignType`
   */
  async jsapiPayParams(
    prepayId: string,
    options: V2PayParamsOptions = {},
  ): Promise<V2JsapiPayParams> {
    const signType = options.signType ?? this.config.v2SignType;
    const fields = {
      appId: this.merchant.clientAppid(options.appId),
      timeStamp: String(unixSeconds()),
      nonceStr: generateNonce(),
      package: `prepay_id=${prepayId}`,
      signType,
    };
    return { ...fields, paySign: signV2(fields, await this.client.signingKey(), signType) };
  }

  /**
   * App parameters for `prepayid`, signed with the order's sign type. In partner mode `partnerid`
   * is the sub-merchant and `appid` the sub-merchant's AppID when there is one, as in API v3.
   */
  async appPayParams(
    prepayId: string,
    options: V2AppPayParamsOptions = {},
  ): Promise<V2AppPayParams> {
    const signType = options.signType ?? this.config.v2SignType;
    const fields = {
      appid: this.merchant.clientAppid(options.appId),
      partnerid: this.merchant.appPartnerid(options.subMchid),
      prepayid: prepayId,
      package: 'Sign=WXPay' as const,
      noncestr: generateNonce(),
      timestamp: String(unixSeconds()),
    };
    return { ...fields, sign: signV2(fields, await this.client.signingKey(), signType) };
  }

  /**
   * `appid`, and in partner mode `sub_mch_id` / `sub_appid`, from the options unless given. An
   * order needs an AppID; a given one must be declared.
   */
  private identity(
    params: Record<string, unknown>,
    what: string,
    { order = false } = {},
  ): Record<string, unknown> {
    const { appid, sub_mch_id, sub_appid, ...rest } = params as Record<string, unknown> &
      Partial<Record<'appid' | 'sub_mch_id' | 'sub_appid', string>>;
    const result: Record<string, unknown> = {
      ...rest,
      appid: order
        ? this.merchant.orderAppid(appid, what)
        : this.merchant.requestAppid(appid, what),
    };
    if (this.merchant.partner) {
      result.sub_mch_id = this.merchant.subMchid(sub_mch_id, what, 'sub_mch_id');
      result.sub_appid = this.merchant.subAppid(sub_appid);
    }
    return result;
  }
}
