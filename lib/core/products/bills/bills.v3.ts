import type { Readable } from 'node:stream';
import { v3WithSubMchid } from '../../merchant/v3-merchant-fields.js';
import { assertValid } from '../../validation/validate.js';
import type { V3ProductContext } from '../product-context.js';
import { billStream } from './bill-stream.js';
import { FundFlowBillDto, TradeBillDto } from './bills.dto.js';
import { BILL_PATHS } from './bills.paths.js';
import type { BillInfo } from './bills.types.js';

/** Per-call options of {@link Bills.download}. */
export interface BillDownloadOptions {
  /**
   * Whether the bill was applied for with `tar_type: 'GZIP'`; the stream is then gunzipped.
   * @default false
   */
  gzip?: boolean;
}

/**
 * Bills over API v3 (`wechatPay.bills`): apply for a trade or fund-flow bill, then download it.
 * Bill files are not signed: the download is checked against the hash given with the bill.
 * @see https://pay.weixin.qq.com/doc/v3/merchant/4012556654
 */
export class Bills {
  constructor(private readonly context: V3ProductContext) {}

  /**
   * 申请交易账单: applies for a trade bill; download it with {@link download}. In partner mode
   * `sub_mchid` (default: the configured subMchid) names the sub-merchant.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012556654
   * @see https://pay.weixin.qq.com/docs/partner/apis/partner-jsapi-payment/get-trade-bill.html (partner mode)
   */
  async tradeBill(query: TradeBillDto): Promise<BillInfo> {
    const what = 'trade bill request';
    assertValid(TradeBillDto, query, what);
    const { data } = await this.context.api.request<BillInfo>('GET', BILL_PATHS.tradeBill, {
      query: v3WithSubMchid(this.context.merchant, query, what),
    });
    return data;
  }

  /**
   * 申请资金账单: applies for a fund-flow bill of the merchant's own account.
   * @see https://pay.weixin.qq.com/docs/partner/apis/partner-native-payment/get-fund-bill.html
   */
  async fundFlowBill(query: FundFlowBillDto): Promise<BillInfo> {
    assertValid(FundFlowBillDto, query, 'fund-flow bill request');
    const { data } = await this.context.api.request<BillInfo>('GET', BILL_PATHS.fundFlowBill, {
      query: { ...query },
    });
    return data;
  }

  /**
   * 下载账单: the bill as a stream of text (CSV), gunzipped when it was applied for with
   * `tar_type: 'GZIP'`. The stream errors with `WechatPaySignatureError` if the file does not
   * match its hash, so read it to the end before trusting it.
   * @see https://pay.weixin.qq.com/doc/v3/merchant/4012556654 (`download_url`, valid for five minutes)
   * @example
   * const bill = await wechatPay.bills.tradeBill({ bill_date: '2026-06-08', tar_type: 'GZIP' });
   * await pipeline(await wechatPay.bills.download(bill, { gzip: true }), createWriteStream('bill.csv'));
   */
  async download(bill: BillInfo, options: BillDownloadOptions = {}): Promise<Readable> {
    const url = new URL(bill.download_url);
    // The download URL names the primary host; the path is sent through the transport so the
    // backup domain is tried on connection failures.
    const response = await this.context.api.stream(url.pathname + url.search);
    return billStream(response.body, bill, options.gzip ?? false);
  }

  /** Reads a whole bill into a string (see {@link download}). */
  async downloadText(bill: BillInfo, options: BillDownloadOptions = {}): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.download(bill, options)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
}
