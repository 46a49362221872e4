import { V2Bills } from '../products/bills/bills.v2.js';
import { V2CodePayments } from '../products/code-payments/code-payments.v2.js';
import { V2Payments } from '../products/payments/payments.v2.js';
import type { V2ProductContext } from '../products/product-context.js';
import { V2Refunds } from '../products/refunds/refunds.v2.js';
import type { V2RequestOptions } from './v2-client.js';
import type { V2Fields } from './xml.js';

/**
 * API v2 for one merchant (`wechatPay.v2`): the classic XML products, named as in API v3
 * (`wechatPay.v2.payments`, `.refunds`, `.bills`), and {@link request} for any other endpoint.
 * Every input is validated before anything is sent; who the merchant is comes from the
 * `MerchantIdentity` shared with API v3.
 */
export class WechatPayV2Api {
  /** 统一下单, 付款码支付, 查询订单, 关闭订单, 撤销订单, and client payment parameters. */
  readonly payments: V2Payments;
  /** 申请退款 and 查询退款. */
  readonly refunds: V2Refunds;
  /** 下载交易账单 and 下载资金账单. */
  readonly bills: V2Bills;
  /** 付款码支付 at the till: micropay, query and reverse as one loop (`payAtTill`). */
  readonly codePayments: V2CodePayments;

  constructor(private readonly context: V2ProductContext) {
    this.payments = new V2Payments(context);
    this.refunds = new V2Refunds(context);
    this.bills = new V2Bills(context);
    this.codePayments = new V2CodePayments(this.payments);
  }

  /**
   * Any other API v2 endpoint, with the same signing and checks.
   * @param path e.g. `/pay/orderquery`; the sandbox prefix is added in sandbox mode
   * @param params the request fields; `mch_id`, `nonce_str`, `sign_type` and `sign` are added
   */
  request(
    path: string,
    params: Record<string, unknown>,
    options: V2RequestOptions = {},
  ): Promise<V2Fields> {
    return this.context.api.request(path, params, options);
  }
}
