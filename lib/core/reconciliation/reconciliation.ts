import { Readable } from 'node:stream';
import { WechatPayApiError } from '../errors.js';
import type { Bills } from '../products/bills/bills.v3.js';
import type { V2Bills } from '../products/bills/bills.v2.js';
import type { V2Fields } from '../v2/xml.js';
import { chinaDateOf } from './daily-schedule.js';
import { checkDate, reconcileTradeBill } from './reconcile-bill.js';
import type {
  ReconcileOptions,
  ReconciliationReport,
  ReconciliationSource,
} from './reconciliation.types.js';

/** The bill of a day without payments or refunds, for which WeChat Pay has no file. */
const EMPTY_BILL = [
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
  '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
  '`0,`0.00,`0.00,`0.00,`0.00,`0.00,`0.00',
  '',
].join('\r\n');

/**
 * T+1 reconciliation (对账, `wechatPay.reconciliation`): downloads a day's `ALL` trade bill and
 * compares it with the merchant's own orders. Run it for yesterday after 10:00 China time, when
 * WeChat Pay has made the bill (`STATEMENT_CREATING` before that: try again later).
 * @see https://pay.weixin.qq.com/doc/v3/merchant/4012556654 (申请交易账单)
 * @see https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_6 (API v2 下载对账单)
 */
export class Reconciliation {
  constructor(
    private readonly bills: Bills,
    private readonly v2Bills: () => V2Bills,
  ) {}

  /**
   * Reconciles `date` (China time, `YYYY-MM-DD`): downloads the day's trade bill (gzip over API
   * v3, hash-checked; or API v2 `downloadbill`), checks its summary, and compares it with
   * `source.orders(date)`. Memory stays bounded whatever the size of the day (rows beyond
   * `rowsInMemory` are sorted through temporary files); the API v2 bill arrives as one text.
   * A day without payments or refunds (`NO_STATEMENT_EXIST`, v2 `No Bill Exist`) is an empty
   * bill: every order paid here that day is then a difference.
   * @returns the report: JSON as it is; `formatReconciliationReport` makes it one screen of text
   * @throws WechatPayValidationError when `date` is not `YYYY-MM-DD`
   * @throws WechatPayApiError when WeChat Pay refuses the bill (e.g. `STATEMENT_CREATING`)
   * @throws WechatPayBillError when the bill is truncated, malformed or does not add up
   * @throws WechatPayError when the source yields orders out of `out_trade_no` order
   * @example
   * const report = await wechatPay.reconciliation.reconcile('2026-06-08', {
   *   orders: (date) => ordersRepository.streamForReconciliation(date),
   * });
   * console.log(formatReconciliationReport(report));
   */
  async reconcile(
    date: string,
    source: ReconciliationSource,
    options: ReconcileOptions = {},
  ): Promise<ReconciliationReport> {
    checkDate(date);
    const api = options.api ?? 'v3';
    const bill = api === 'v3' ? await this.v3Bill(date, options) : await this.v2Bill(date, options);
    const report = await reconcileTradeBill(bill, date, source, { ...options, api });
    await options.onReport?.(report);
    return report;
  }

  /**
   * Reconciles the day before `now` in China time: what a daily job calls (after 10:00 China
   * time, when WeChat Pay has made the bill). Give the job's hook as `onReport`.
   * @param options.now the job's clock
   * @default now: new Date()
   * @example
   * // e.g. every day at 10:30 Asia/Shanghai, from the scheduler the app already runs:
   * await wechatPay.reconciliation.reconcileYesterday(source, { onReport: (r) => mail(formatReconciliationReport(r)) });
   */
  reconcileYesterday(
    source: ReconciliationSource,
    options: ReconcileOptions & { now?: Date } = {},
  ): Promise<ReconciliationReport> {
    const { now = new Date(), ...rest } = options;
    return this.reconcile(chinaDateOf(now.getTime() - 86_400_000), source, rest);
  }

  private async v3Bill(date: string, options: ReconcileOptions) {
    try {
      const info = await this.bills.tradeBill({
        bill_date: date,
        bill_type: 'ALL',
        tar_type: 'GZIP',
        ...(options.subMchid === undefined ? {} : { sub_mchid: options.subMchid }),
      });
      return await this.bills.download(info, { gzip: true });
    } catch (error) {
      if (error instanceof WechatPayApiError && error.code === 'NO_STATEMENT_EXIST')
        return Readable.from([EMPTY_BILL]);
      throw error;
    }
  }

  private async v2Bill(date: string, options: ReconcileOptions) {
    try {
      const text = await this.v2Bills().downloadTradeBill({
        bill_date: date.replace(/-/g, ''),
        bill_type: 'ALL',
        ...(options.subMchid === undefined ? {} : { sub_mch_id: options.subMchid }),
      });
      return Readable.from([text]);
    } catch (error) {
      // return_code FAIL, return_msg "No Bill Exist", error_code 20002.
      const fields = error instanceof WechatPayApiError ? (error.detail as V2Fields) : undefined;
      if (fields?.error_code === '20002' || fields?.return_msg === 'No Bill Exist')
        return Readable.from([EMPTY_BILL]);
      throw error;
    }
  }
}
