import type { Readable } from 'node:stream';
import { WechatPayError, WechatPayValidationError } from '../../errors.js';
import type { SubMerchantOptions } from '../../merchant/merchant-identity.js';
import { v3SubMchid } from '../../merchant/v3-merchant-fields.js';
import { assertValid } from '../../validation/validate.js';
import { billStream } from '../bills/bill-stream.js';
import type { V3ProductContext } from '../product-context.js';
import { WechatPayTransferUnclearError } from './transfer-unclear.error.js';
import { OutBillNoDto, TransferBillDto, TransferBillNoDto } from './transfers.dto.js';
import { TRANSFER_PATHS } from './transfers.paths.js';
import type {
  MerchantTransferConfirmParams,
  TransferBill,
  TransferBillCancelled,
  TransferBillCreated,
  TransferReceipt,
} from './transfers.types.js';

/** Per-call options of {@link Transfers.confirmParams}. */
export interface TransferConfirmOptions extends SubMerchantOptions {
  /**
   * The AppID the transfer was created with (`appId`).
   * @default the `appid` module option
   */
  appid?: string;
  /**
   * Partner mode: the transfer's OpenID belongs to this sub-merchant AppID; sent as `subAppId`
   * instead of `appId`.
   */
  subAppid?: string;
}

/**
 * 商家转账 over API v3 (`wechatPay.transfers`), the upgraded 2025 API: one bill per transfer,
 * confirmed by the user in WeChat. Create it, let the user confirm with the parameters of
 * {@link confirmParams}, and learn the result from `MCHTRANSFER.BILL.FINISHED` or {@link query}.
 * Merchant and partner (服务商) mode; partner calls name the sub-merchant (`sub_mchid`, default
 * the `subMchid` module option).
 *
 * WeChat Pay's rule, which {@link create} makes the easy path: after a failed or unclear
 * create, never retry with a new `out_bill_no` until a query says the first one failed;
 * re-sending the same `out_bill_no` is safe.
 * @see https://pay.weixin.qq.com/doc/v3/merchant/4012716434
 * @see https://pay.weixin.qq.com/doc/v3/partner/4015469096 (partner mode)
 */
export class Transfers {
  constructor(private readonly context: V3ProductContext) {}

  private get partner(): boolean {
    return this.context.merchant.partner;
  }

  /**
   * 发起转账: creates a transfer bill, usually answered `WAIT_USER_CONFIRM` with
   * `package_info`; then let the user confirm with {@link confirmParams}. `user_name` is given
   * in plain text: it is encrypted here with WeChat Pay's key and that key's serial is sent as
   * `Wechatpay-Serial`.
   *
   * Retrying is safe with the same `out_bill_no`: WeChat Pay answers a repeated number with the
   * existing transfer (a number repeated with other fields is refused, 400 INVALID_REQUEST), so
   * this call is re-sent to the backup domain on a timeout and may be called again by you.
   * @throws WechatPayValidationError before sending, e.g. no `user_name` from ¥2,000
   * @throws WechatPayTransferUnclearError when the transfer may exist (timeout, 5xx, an answer
   *   that did not verify): call create again with the SAME `out_bill_no`, or {@link query}
   * @throws WechatPayApiError when WeChat Pay refused it (e.g. 403 NOT_ENOUGH: top up, then
   *   retry with the same `out_bill_no`); even then, only switch to a new `out_bill_no` once a
   *   query says this one does not exist or FAILED
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012716434
   * @see https://pay.weixin.qq.com/doc/v3/partner/4015469096 (partner mode)
   * @example
   * const bill = await wechatPay.transfers.create({
   *   out_bill_no: 'REWARD20260608001', transfer_scene_id: '1000', openid,
   *   transfer_amount: 500, transfer_remark: '新会员奖励',
   *   transfer_scene_report_infos: [
   *     { info_type: '活动名称', info_content: '新会员有礼' },
   *     { info_type: '奖励说明', info_content: '注册奖励5元' },
   *   ],
   * });
   * return wechatPay.transfers.confirmParams(bill); // → wx.requestMerchantTransfer
   */
  async create(transfer: TransferBillDto): Promise<TransferBillCreated> {
    const what = 'transfer';
    assertValid(TransferBillDto, transfer, what);
    const { merchant } = this.context;
    const { sub_mchid, appid, user_name, notify_url, ...rest } = transfer;
    const notifyUrl = merchant.transferNotifyUrl(notify_url);
    const body: Record<string, unknown> = {
      ...(this.partner ? { sub_mchid: merchant.subMchid(sub_mchid, what) } : {}),
      appid: merchant.orderAppid(appid, what),
      ...rest,
      ...(notifyUrl ? { notify_url: notifyUrl } : {}),
    };
    let wechatpaySerial: string | undefined;
    if (user_name !== undefined) {
      const encryptor = await this.context.sensitiveFields();
      body.user_name = encryptor.encrypt(user_name);
      wechatpaySerial = encryptor.serial;
    }
    try {
      const { data } = await this.context.api.request<TransferBillCreated>(
        'POST',
        TRANSFER_PATHS.create(this.partner),
        // WeChat Pay deduplicates by out_bill_no, so re-sending cannot pay twice.
        { body, idempotent: true, wechatpaySerial },
      );
      return data;
    } catch (error) {
      if (error instanceof WechatPayError && error.mayHaveTakenEffect) {
        throw new WechatPayTransferUnclearError(transfer.out_bill_no, error);
      }
      throw error;
    }
  }

  /**
   * The parameters of `wx.requestMerchantTransfer` that let the user confirm a transfer in
   * WAIT_USER_CONFIRM: `mchId`, `appId` and `package` (the create answer's `package_info`);
   * in partner mode `mchId` is the service provider, plus `subMchId`, and `subAppId` instead of
   * `appId` when the OpenID belongs to the sub-merchant's AppID. Nothing is signed.
   * @throws WechatPayValidationError when the transfer has no `package_info` (it is not
   *   waiting for the user), or an AppID or the sub-merchant is missing
   * @see https://developers.weixin.qq.com/miniprogram/dev/api/payment/wx.requestMerchantTransfer.html
   * @example
   * // mini program: wx.requestMerchantTransfer({ ...params, success, fail })
   */
  confirmParams(
    transfer: Pick<TransferBillCreated, 'package_info'>,
    options: TransferConfirmOptions = {},
  ): MerchantTransferConfirmParams {
    const what = 'transfer confirmation parameters';
    const pkg = transfer.package_info;
    if (!pkg) {
      throw new WechatPayValidationError(what, [
        {
          field: 'package_info',
          message:
            'is missing: only a transfer in WAIT_USER_CONFIRM has one (pass the answer of transfers.create)',
        },
      ]);
    }
    const { merchant } = this.context;
    if (!this.partner) {
      return {
        mchId: merchant.mchid,
        appId: merchant.orderAppid(options.appid, what),
        package: pkg,
      };
    }
    const subMchId = merchant.subMchid(options.subMchid, what, 'subMchid');
    return options.subAppid
      ? { mchId: merchant.mchid, subMchId, subAppId: options.subAppid, package: pkg }
      : {
          mchId: merchant.mchid,
          subMchId,
          appId: merchant.orderAppid(options.appid, what),
          package: pkg,
        };
  }

  /**
   * 撤销转账: cancels a transfer the user has not confirmed yet. The answer is CANCELING; the
   * money returns asynchronously and the transfer ends CANCELLED (query it, or wait for
   * `MCHTRANSFER.BILL.FINISHED`). Cancelling again is harmless.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012716458
   * @see https://pay.weixin.qq.com/doc/v3/partner/4015469118 (partner mode)
   */
  async cancel(
    outBillNo: string,
    options: SubMerchantOptions = {},
  ): Promise<TransferBillCancelled> {
    const what = 'transfer cancellation';
    assertValid(OutBillNoDto, { out_bill_no: outBillNo }, what);
    const { data } = await this.context.api.request<TransferBillCancelled>(
      'POST',
      TRANSFER_PATHS.cancel(this.partner, outBillNo),
      { body: v3SubMchid(this.context.merchant, options.subMchid, what), idempotent: true },
    );
    return data;
  }

  /**
   * 商户单号查询转账单: a transfer by the merchant's number (the last 30 days). A 404 NOT_FOUND
   * means WeChat Pay has no such transfer.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012716437
   * @see https://pay.weixin.qq.com/doc/v3/partner/4015469131 (partner mode)
   */
  async query(outBillNo: string, options: SubMerchantOptions = {}): Promise<TransferBill> {
    const what = 'transfer query';
    assertValid(OutBillNoDto, { out_bill_no: outBillNo }, what);
    const { data } = await this.context.api.request<TransferBill>(
      'GET',
      TRANSFER_PATHS.byOutBillNo(this.partner, outBillNo),
      { query: v3SubMchid(this.context.merchant, options.subMchid, what) },
    );
    return data;
  }

  /**
   * 微信单号查询转账单: a transfer by WeChat Pay's number (`transfer_bill_no`).
   * @see https://pay.weixin.qq.com/docs/merchant/apis/mch-trans/transfer-bill/get-transfer-bill-by-no.html
   * @see https://pay.weixin.qq.com/doc/v3/partner/4015469131 (partner mode: the same fields by 商户单号)
   */
  async queryByTransferBillNo(
    transferBillNo: string,
    options: SubMerchantOptions = {},
  ): Promise<TransferBill> {
    const what = 'transfer query';
    assertValid(TransferBillNoDto, { transfer_bill_no: transferBillNo }, what);
    const { data } = await this.context.api.request<TransferBill>(
      'GET',
      TRANSFER_PATHS.byTransferBillNo(this.partner, transferBillNo),
      { query: v3SubMchid(this.context.merchant, options.subMchid, what) },
    );
    return data;
  }

  /**
   * 申请电子回单: applies for the electronic receipt of a SUCCESS transfer that was created with
   * `user_name` (within 180 days). The receipt is GENERATING; {@link queryReceipt} until it is
   * FINISHED, then {@link downloadReceipt}.
   * @see https://pay.weixin.qq.com/docs/merchant/apis/mch-trans/elecsign/accept-elecsign-by-out-no.html
   * @see https://pay.weixin.qq.com/doc/v3/partner/4016315516 (partner mode)
   */
  async applyReceipt(
    outBillNo: string,
    options: SubMerchantOptions = {},
  ): Promise<TransferReceipt> {
    const what = 'transfer receipt request';
    assertValid(OutBillNoDto, { out_bill_no: outBillNo }, what);
    const { data } = await this.context.api.request<TransferReceipt>(
      'POST',
      TRANSFER_PATHS.applyReceipt(this.partner),
      {
        body: {
          ...v3SubMchid(this.context.merchant, options.subMchid, what),
          out_bill_no: outBillNo,
        },
        // Applying twice for the same transfer answers the same receipt.
        idempotent: true,
      },
    );
    return data;
  }

  /**
   * 查询电子回单: the receipt's state; FINISHED receipts carry a download URL (valid ten
   * minutes: query again for a fresh one) and the file's hash.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012716455 (the same answer by 微信单号)
   * @see https://pay.weixin.qq.com/doc/v3/partner/4016315516 (partner mode)
   */
  async queryReceipt(
    outBillNo: string,
    options: SubMerchantOptions = {},
  ): Promise<TransferReceipt> {
    const what = 'transfer receipt query';
    assertValid(OutBillNoDto, { out_bill_no: outBillNo }, what);
    const { data } = await this.context.api.request<TransferReceipt>(
      'GET',
      TRANSFER_PATHS.receipt(this.partner, outBillNo),
      { query: v3SubMchid(this.context.merchant, options.subMchid, what) },
    );
    return data;
  }

  /**
   * 下载电子回单: the receipt file (PDF) of a FINISHED receipt as a stream. Receipt files are
   * not signed: the stream errors with `WechatPaySignatureError` if the file does not match its
   * hash, so read it to the end before trusting it.
   * @throws WechatPayValidationError when the receipt is not FINISHED
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4013866774
   * @example
   * const receipt = await wechatPay.transfers.queryReceipt('REWARD20260608001');
   * if (receipt.state === 'FINISHED') {
   *   await pipeline(await wechatPay.transfers.downloadReceipt(receipt), createWriteStream('receipt.pdf'));
   * }
   */
  async downloadReceipt(receipt: TransferReceipt): Promise<Readable> {
    const { download_url, hash_type, hash_value } = receipt;
    if (receipt.state !== 'FINISHED' || !download_url || !hash_type || !hash_value) {
      throw new WechatPayValidationError('transfer receipt download', [
        {
          field: 'state',
          message: `is ${receipt.state}: only a FINISHED receipt (with download_url and hash) can be downloaded; query it again later`,
        },
      ]);
    }
    const url = new URL(download_url);
    // Sent through the transport, so the backup domain is tried on connection failures.
    const response = await this.context.api.stream(url.pathname + url.search);
    return billStream(response.body, { download_url, hash_type, hash_value }, false);
  }
}
