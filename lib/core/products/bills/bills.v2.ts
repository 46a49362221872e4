import { v2MerchantFields } from '../../merchant/v2-merchant-fields.js';
import { assertValid } from '../../validation/validate.js';
import type { V2ProductContext } from '../product-context.js';
import { V2_BILL_PATHS } from './bills.paths.js';
import { V2BillDto, V2FundFlowDto } from './bills.v2.dto.js';

/**
 * Bills over API v2 (`wechatPay.v2.bills`): each call answers with the bill's text.
 * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_6
 */
export class V2Bills {
  constructor(private readonly context: V2ProductContext) {}

  /**
   * 下载交易账单: the trade bill as text.
   * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_6
   */
  async downloadTradeBill(query: V2BillDto & Record<string, unknown>): Promise<string> {
    const what = 'downloadbill request';
    assertValid(V2BillDto, query, what);
    return this.context.api.requestFile(
      V2_BILL_PATHS.downloadBill,
      v2MerchantFields(this.context.merchant, { bill_type: 'ALL', ...query }, what),
    );
  }

  /**
   * 下载资金账单: the fund-flow bill as text; needs the client certificate and HMAC-SHA256.
   * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_18&index=7
   */
  async downloadFundFlowBill(query: V2FundFlowDto & Record<string, unknown>): Promise<string> {
    const what = 'downloadfundflow request';
    assertValid(V2FundFlowDto, query, what);
    return this.context.api.requestFile(
      V2_BILL_PATHS.downloadFundFlow,
      v2MerchantFields(this.context.merchant, query, what),
      { cert: true, signType: 'HMAC-SHA256' },
    );
  }
}
