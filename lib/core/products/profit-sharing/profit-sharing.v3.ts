import type { Readable } from 'node:stream';
import { WechatPayValidationError } from '../../errors.js';
import { v3ProfitSharingFields, v3SubMchid } from '../../merchant/v3-merchant-fields.js';
import { assertValid } from '../../validation/validate.js';
import { Bills, type BillDownloadOptions } from '../bills/bills.v3.js';
import type { BillInfo } from '../bills/bills.types.js';
import type { SubMerchantOptions } from '../../merchant/merchant-identity.js';
import type { V3ProductContext } from '../product-context.js';
import {
  ProfitSharingAddReceiverDto,
  ProfitSharingBillDto,
  ProfitSharingDeleteReceiverDto,
  ProfitSharingOrderDto,
  ProfitSharingOrderQueryDto,
  ProfitSharingReturnDto,
  ProfitSharingReturnQueryDto,
  ProfitSharingUnfreezeDto,
} from './profit-sharing.dto.js';
import {
  PROFIT_SHARING_PATHS,
  profitSharingOrderPath,
  profitSharingReturnPath,
  unsplitAmountPath,
} from './profit-sharing.paths.js';
import type {
  ProfitSharingAddReceiverRequest,
  ProfitSharingDeleteReceiverRequest,
  ProfitSharingOrder,
  ProfitSharingOrderRequest,
  ProfitSharingReceiver,
  ProfitSharingReceiverType,
  ProfitSharingReturn,
  ProfitSharingReturnRequest,
  ProfitSharingUnfreezeRequest,
  ProfitSharingUnsplitAmount,
} from './profit-sharing.types.js';

/**
 * Profit sharing over API v3 (`wechatPay.profitSharing`, 分账): a payment placed with
 * `settle_info: { profit_sharing: true }` stays frozen until it is split among receivers added
 * beforehand, or unfrozen back to the merchant. Receivers' names are encrypted here, with the
 * matching `Wechatpay-Serial`: pass them in plain text. Merchant receivers learn of each split
 * and return by `PROFITSHARING.SUCCESS` / `PROFITSHARING.RETURN` notifications.
 * @see https://pay.weixin.qq.com/docs/merchant/products/profit-sharing/apilist.html
 * @see https://pay.weixin.qq.com/docs/partner/products/profit-sharing/apilist.html (partner mode)
 */
export class ProfitSharing {
  private readonly billFiles: Bills;

  constructor(private readonly context: V3ProductContext) {
    this.billFiles = new Bills(context);
  }

  /**
   * 请求分账: splits a frozen payment among receivers. The answer is usually `PROCESSING`;
   * query it until `FINISHED`, then read each receiver's `result`. Re-sending the same
   * `out_order_no` is the same split, so a failed call may be retried with it.
   * @throws WechatPayValidationError before sending, e.g. a receiver without an amount, or a
   *   `PERSONAL_SUB_OPENID` receiver outside partner mode
   * @throws WechatPayApiError e.g. 403 `NOT_ENOUGH` (more than is still frozen), 400
   *   `PARAM_ERROR` (a receiver that was not added)
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012524936
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter8_1_1.shtml (partner mode)
   * @example
   * await wechatPay.profitSharing.split({
   *   transaction_id: paid.transaction_id, out_order_no: 'SPLIT20260608001',
   *   receivers: [{ type: 'MERCHANT_ID', account: '1900000109', amount: 300, description: 'shop share' }],
   *   unfreeze_unsplit: false,
   * });
   */
  async split(order: ProfitSharingOrderRequest): Promise<ProfitSharingOrder> {
    const what = 'profit-sharing request';
    assertValid(ProfitSharingOrderDto, order, what);
    this.assertReceiverTypes(
      order.receivers.map((r) => r.type),
      order.sub_appid,
      what,
      'receivers',
    );
    const encryptor = await this.context.sensitiveFields();
    const receivers = order.receivers.map(({ name, ...receiver }) =>
      name === undefined ? receiver : { ...receiver, name: encryptor.encrypt(name) },
    );
    const needsAppid = order.receivers.some((r) => r.type === 'PERSONAL_OPENID');
    const { data } = await this.context.api.request<ProfitSharingOrder>(
      'POST',
      PROFIT_SHARING_PATHS.orders,
      {
        body: v3ProfitSharingFields(
          this.context.merchant,
          { ...order, receivers },
          what,
          needsAppid,
        ),
        wechatpaySerial: encryptor.serial,
        // WeChat Pay treats the same out_order_no as the same split.
        idempotent: true,
      },
    );
    return data;
  }

  /**
   * 查询分账结果: a split (or an unfreeze) by the merchant's number and its payment.
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter8_1_2.shtml
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter8_1_2.shtml (partner mode)
   */
  async query(
    outOrderNo: string,
    transactionId: string,
    options: SubMerchantOptions = {},
  ): Promise<ProfitSharingOrder> {
    const what = 'profit-sharing query';
    assertValid(
      ProfitSharingOrderQueryDto,
      { out_order_no: outOrderNo, transaction_id: transactionId },
      what,
    );
    const { data } = await this.context.api.request<ProfitSharingOrder>(
      'GET',
      profitSharingOrderPath(outOrderNo),
      {
        query: {
          ...v3SubMchid(this.context.merchant, options.subMchid, what),
          transaction_id: transactionId,
        },
      },
    );
    return data;
  }

  /**
   * 请求分账回退: takes money back from a merchant receiver of a split (before refunding the
   * payer, say). Re-sending the same `out_return_no` returns once; after a `PROCESSING` answer
   * or a failed call, query or re-send it, never a new number.
   * @throws WechatPayApiError e.g. when the amount exceeds what the split gave the receiver
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012525287
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter8_1_3.shtml (partner mode)
   * @example
   * await wechatPay.profitSharing.returnSplit({
   *   out_order_no: 'SPLIT20260608001', out_return_no: 'RETURN20260608001',
   *   return_mchid: '1900000109', amount: 100, description: 'refund to the payer',
   * });
   */
  async returnSplit(request: ProfitSharingReturnRequest): Promise<ProfitSharingReturn> {
    const what = 'profit-sharing return request';
    assertValid(ProfitSharingReturnDto, request, what);
    const { sub_mchid, ...rest } = request;
    const { data } = await this.context.api.request<ProfitSharingReturn>(
      'POST',
      PROFIT_SHARING_PATHS.returnOrders,
      {
        body: { ...v3SubMchid(this.context.merchant, sub_mchid, what), ...rest },
        idempotent: true,
      },
    );
    return data;
  }

  /**
   * 查询分账回退结果: a return by its number and the split's number.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012526279
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter8_1_4.shtml (partner mode)
   */
  async queryReturn(
    outReturnNo: string,
    outOrderNo: string,
    options: SubMerchantOptions = {},
  ): Promise<ProfitSharingReturn> {
    const what = 'profit-sharing return query';
    assertValid(
      ProfitSharingReturnQueryDto,
      { out_return_no: outReturnNo, out_order_no: outOrderNo },
      what,
    );
    const { data } = await this.context.api.request<ProfitSharingReturn>(
      'GET',
      profitSharingReturnPath(outReturnNo),
      {
        query: {
          ...v3SubMchid(this.context.merchant, options.subMchid, what),
          out_order_no: outOrderNo,
        },
      },
    );
    return data;
  }

  /**
   * 解冻剩余资金: ends splitting of a payment; what is still frozen goes to the merchant. It is
   * an instruction with its own `out_order_no`, queried with {@link query}.
   * @throws WechatPayApiError 403 `NOT_ENOUGH` when nothing is left frozen
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter8_1_5.shtml
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter8_1_5.shtml (partner mode)
   */
  async unfreeze(request: ProfitSharingUnfreezeRequest): Promise<ProfitSharingOrder> {
    const what = 'profit-sharing unfreeze request';
    assertValid(ProfitSharingUnfreezeDto, request, what);
    const { sub_mchid, ...rest } = request;
    const { data } = await this.context.api.request<ProfitSharingOrder>(
      'POST',
      PROFIT_SHARING_PATHS.unfreeze,
      {
        body: { ...v3SubMchid(this.context.merchant, sub_mchid, what), ...rest },
        idempotent: true,
      },
    );
    return data;
  }

  /**
   * 查询剩余待分金额: how much of a payment is still frozen for splitting.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012457939
   */
  async unsplitAmount(transactionId: string): Promise<ProfitSharingUnsplitAmount> {
    if (typeof transactionId !== 'string' || transactionId === '') {
      throw new WechatPayValidationError('unsplit amount query', [
        { field: 'transaction_id', message: 'is required: the transaction_id of the payment' },
      ]);
    }
    const { data } = await this.context.api.request<ProfitSharingUnsplitAmount>(
      'GET',
      unsplitAmountPath(transactionId),
    );
    return data;
  }

  /**
   * 添加分账接收方: lets the merchant split to this receiver. A merchant receiver's `name` is
   * its registered full name; a person's is checked against their real name when given. Adding
   * the same receiver again is harmless.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012528995
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter8_1_8.shtml (partner mode)
   * @example
   * await wechatPay.profitSharing.addReceiver({
   *   type: 'MERCHANT_ID', account: '1900000109', name: '示例商户全称', relation_type: 'STORE',
   * });
   */
  async addReceiver(receiver: ProfitSharingAddReceiverRequest): Promise<ProfitSharingReceiver> {
    const what = 'profit-sharing receiver';
    assertValid(ProfitSharingAddReceiverDto, receiver, what);
    this.assertReceiverTypes([receiver.type], receiver.sub_appid, what, 'type');
    const encryptor = await this.context.sensitiveFields();
    const { name, ...rest } = receiver;
    const { data } = await this.context.api.request<ProfitSharingReceiver>(
      'POST',
      PROFIT_SHARING_PATHS.addReceiver,
      {
        body: v3ProfitSharingFields(
          this.context.merchant,
          name === undefined ? rest : { ...rest, name: encryptor.encrypt(name) },
          what,
          true,
        ),
        wechatpaySerial: encryptor.serial,
        idempotent: true,
      },
    );
    return data;
  }

  /**
   * 删除分账接收方: the merchant can no longer split to this receiver.
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter8_1_9.shtml
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter8_1_9.shtml (partner mode)
   */
  async deleteReceiver(
    receiver: ProfitSharingDeleteReceiverRequest,
  ): Promise<ProfitSharingReceiver> {
    const what = 'profit-sharing receiver deletion';
    assertValid(ProfitSharingDeleteReceiverDto, receiver, what);
    this.assertReceiverTypes([receiver.type], receiver.sub_appid, what, 'type');
    const { data } = await this.context.api.request<ProfitSharingReceiver>(
      'POST',
      PROFIT_SHARING_PATHS.deleteReceiver,
      {
        body: v3ProfitSharingFields(this.context.merchant, receiver, what, true),
        idempotent: true,
      },
    );
    return data;
  }

  /**
   * 申请分账账单: applies for the day's profit-sharing bill; download it with
   * {@link downloadBill}. In partner mode a given `sub_mchid` narrows it to one sub-merchant;
   * left out, it covers them all.
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter8_1_11.shtml
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter8_1_11.shtml (partner mode)
   */
  async bill(query: ProfitSharingBillDto): Promise<BillInfo> {
    assertValid(ProfitSharingBillDto, query, 'profit-sharing bill request');
    const { sub_mchid, ...rest } = query;
    const { data } = await this.context.api.request<BillInfo>('GET', PROFIT_SHARING_PATHS.bills, {
      query: { ...rest, ...(this.context.merchant.partner && sub_mchid ? { sub_mchid } : {}) },
    });
    return data;
  }

  /**
   * 下载账单: the profit-sharing bill as a hash-checked stream of text (see `Bills.download`).
   * @see https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter8_1_12.shtml
   */
  downloadBill(bill: BillInfo, options: BillDownloadOptions = {}): Promise<Readable> {
    return this.billFiles.download(bill, options);
  }

  /** Reads a whole profit-sharing bill into a string (see {@link downloadBill}). */
  downloadBillText(bill: BillInfo, options: BillDownloadOptions = {}): Promise<string> {
    return this.billFiles.downloadText(bill, options);
  }

  /** `PERSONAL_SUB_OPENID` names a sub-merchant's user: partner mode, with its AppID. */
  private assertReceiverTypes(
    types: readonly ProfitSharingReceiverType[],
    subAppid: string | undefined,
    what: string,
    field: string,
  ): void {
    if (!types.includes('PERSONAL_SUB_OPENID')) return;
    const { merchant } = this.context;
    if (!merchant.partner) {
      throw new WechatPayValidationError(what, [
        {
          field,
          message:
            'PERSONAL_SUB_OPENID is for partner mode: an ordinary merchant splits to PERSONAL_OPENID',
        },
      ]);
    }
    if (!merchant.subAppid(subAppid)) {
      throw new WechatPayValidationError(what, [
        {
          field: 'sub_appid',
          message:
            'is required for a PERSONAL_SUB_OPENID receiver: pass it, or set subAppid in the module options',
        },
      ]);
    }
  }
}
