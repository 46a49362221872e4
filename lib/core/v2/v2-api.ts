import type { WechatPayConfig } from '../config/resolve-config.js';
import { generateNonce, unixSeconds } from '../crypto/nonce.js';
import { signV2, type V2SignType } from '../crypto/v2-sign.js';
import { WechatPayError, WechatPayValidationError } from '../errors.js';
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

/**
 * API v2 for one merchant (`wechatPay.v2`): the classic XML endpoints. Every input is validated
 * before anything is sent; partner mode fills `sub_mch_id` / `sub_appid` from the options.
 */
export class WechatPayV2Api {
  constructor(
    private readonly config: WechatPayConfig,
    private readonly client: WechatPayV2Client,
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
    assertValid(dto.UnifiedOrderDto, order, 'unifiedorder request');
    const notifyUrl = order.notify_url ?? this.config.notifyUrl;
    if (!notifyUrl) {
      throw new WechatPayValidationError('unifiedorder request', [
        {
          field: 'notify_url',
          message: 'is required: pass it, or set notifyUrl in the module options',
        },
      ]);
    }
    const answer = await this.client.request('/pay/unifiedorder', {
      ...this.identity(order),
      notify_url: notifyUrl,
    });
    if (!answer.prepay_id) throw new WechatPayError('unifiedorder answered without a prepay_id');
    return answer as V2UnifiedOrderResult;
  }

  /** 付款码支付: charges a code scanned from the payer's WeChat. */
  async micropay(order: Input<dto.MicropayDto>): Promise<V2Fields> {
    assertValid(dto.MicropayDto, order, 'micropay request');
    return this.client.request('/pay/micropay', this.identity(order));
  }

  /** 查询订单. */
  async orderQuery(ref: Input<dto.V2OrderRefDto>): Promise<V2Fields> {
    assertValid(dto.V2OrderRefDto, ref, 'orderquery request');
    return this.client.request('/pay/orderquery', this.identity(ref));
  }

  /** 关闭订单. */
  async closeOrder(outTradeNo: string, options: { sub_mch_id?: string } = {}): Promise<V2Fields> {
    assertValid(dto.V2OrderRefDto, { out_trade_no: outTradeNo }, 'closeorder request');
    return this.client.request(
      '/pay/closeorder',
      this.identity({ out_trade_no: outTradeNo, ...options }),
    );
  }

  /** 撤销订单 (micropay): needs the client certificate. */
  async reverse(ref: Input<dto.V2OrderRefDto>): Promise<V2Fields> {
    assertValid(dto.V2OrderRefDto, ref, 'reverse request');
    return this.client.request('/secapi/pay/reverse', this.identity(ref), { cert: true });
  }

  /** 申请退款: needs the client certificate. */
  async refund(refund: Input<dto.V2RefundDto>): Promise<V2Fields> {
    assertValid(dto.V2RefundDto, refund, 'refund request');
    if (refund.refund_fee > refund.total_fee) {
      throw new WechatPayValidationError('refund request', [
        {
          field: 'refund_fee',
          message: 'must not exceed total_fee, the amount of the original order',
        },
      ]);
    }
    const notifyUrl = refund.notify_url ?? this.config.refundNotifyUrl;
    return this.client.request(
      '/secapi/pay/refund',
      { ...this.identity(refund), ...(notifyUrl ? { notify_url: notifyUrl } : {}) },
      { cert: true },
    );
  }

  /** 查询退款. */
  async refundQuery(query: Input<dto.V2RefundQueryDto>): Promise<V2Fields> {
    assertValid(dto.V2RefundQueryDto, query, 'refundquery request');
    return this.client.request('/pay/refundquery', this.identity(query));
  }

  /** 下载交易账单: the bill as text. */
  async downloadBill(query: Input<dto.V2BillDto>): Promise<string> {
    assertValid(dto.V2BillDto, query, 'downloadbill request');
    return this.client.requestFile(
      '/pay/downloadbill',
      this.identity({ bill_type: 'ALL', ...query }),
    );
  }

  /** 下载资金账单: needs the client certificate and HMAC-SHA256. */
  async downloadFundFlow(query: Input<dto.V2FundFlowDto>): Promise<string> {
    assertValid(dto.V2FundFlowDto, query, 'downloadfundflow request');
    return this.client.requestFile('/pay/downloadfundflow', this.identity(query), {
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
    options: { appId?: string; signType?: V2SignType } = {},
  ): Promise<V2JsapiPayParams> {
    const signType = options.signType ?? this.config.v2SignType;
    const fields = {
      appId: options.appId ?? this.appid(),
      timeStamp: String(unixSeconds()),
      nonceStr: generateNonce(),
      package: `prepay_id=${prepayId}`,
      signType,
    };
    return { ...fields, paySign: signV2(fields, await this.client.signingKey(), signType) };
  }

  /** App parameters for `prepayid`, signed with the order's sign type. */
  async appPayParams(
    prepayId: string,
    options: { appId?: string; signType?: V2SignType } = {},
  ): Promise<V2AppPayParams> {
    const signType = options.signType ?? this.config.v2SignType;
    const fields = {
      appid: options.appId ?? this.appid(),
      partnerid:
        this.config.mode === 'partner'
          ? (this.config.subMchid ?? this.config.mchid)
          : this.config.mchid,
      prepayid: prepayId,
      package: 'Sign=WXPay' as const,
      noncestr: generateNonce(),
      timestamp: String(unixSeconds()),
    };
    return { ...fields, sign: signV2(fields, await this.client.signingKey(), signType) };
  }

  /** appid, and in partner mode sub_mch_id / sub_appid, from the options unless given. */
  private identity(params: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = { appid: this.config.appid, ...params };
    if (this.config.mode === 'partner') {
      result.sub_mch_id ??= this.config.subMchid;
      if (result.sub_appid === undefined && this.config.subAppid)
        result.sub_appid = this.config.subAppid;
      if (!result.sub_mch_id) {
        throw new WechatPayValidationError('partner-mode request', [
          {
            field: 'sub_mch_id',
            message: 'is required in partner mode: pass it, or set subMchid in the module options',
          },
        ]);
      }
    }
    return result;
  }

  private appid(): string {
    const appid =
      (this.config.mode === 'partner' ? this.config.subAppid : undefined) ?? this.config.appid;
    if (!appid)
      throw new WechatPayError(
        'no AppID for the client parameters: pass appId, or set appid in the module options',
      );
    return appid;
  }
}
