import { WechatPayError } from '../../errors.js';
import { OUTCOME_UNKNOWN } from '../../retry-decision.js';

/**
 * A transfer was sent but its outcome is unknown (no answer in time, a 5xx, SYSTEM_ERROR, an
 * answer that did not verify): it may exist at WeChat Pay. WeChat Pay's rule: never retry with
 * a new `out_bill_no` until a query says the first one failed, or the user may be paid twice.
 * Calling `transfers.create` again with the SAME `out_bill_no` and the same fields is safe
 * (WeChat Pay answers with the existing transfer), and so is `transfers.query(outBillNo)`.
 */
export class WechatPayTransferUnclearError extends WechatPayError {
  constructor(
    /** 商户单号 of the transfer whose outcome is unknown: retry or query with it. */
    readonly outBillNo: string,
    cause: WechatPayError,
  ) {
    super(
      `the transfer ${outBillNo} may have been created (${cause.message}). Call transfers.create again with the SAME out_bill_no and fields, or transfers.query('${outBillNo}'); never use a new out_bill_no until a query says this one FAILED, or the user may be paid twice`,
      { cause, ...OUTCOME_UNKNOWN },
    );
  }
}
