/**
 * 单据状态 of a transfer bill: ACCEPTED (受理) → PROCESSING → WAIT_USER_CONFIRM (the user must
 * confirm in WeChat) → TRANSFERING → SUCCESS; or FAIL; or CANCELING → CANCELLED (撤销, or the
 * user did not confirm within 24 hours).
 */
export type TransferBillState =
  | 'ACCEPTED'
  | 'PROCESSING'
  | 'WAIT_USER_CONFIRM'
  | 'TRANSFERING'
  | 'SUCCESS'
  | 'FAIL'
  | 'CANCELING'
  | 'CANCELLED';

/** The answer to 发起转账. */
export interface TransferBillCreated {
  /** 商户单号: the merchant's number of the transfer. */
  out_bill_no: string;
  /** 微信转账单号: WeChat Pay's number of the transfer. */
  transfer_bill_no: string;
  /** 单据创建时间, RFC 3339. */
  create_time: string;
  /** 单据状态: usually `WAIT_USER_CONFIRM`, then the user must confirm (see `confirmParams`). */
  state: TransferBillState;
  /** 失败原因, when the state is FAIL. */
  fail_reason?: string;
  /**
   * 跳转领取页面的package信息: what `wx.requestMerchantTransfer` needs to show the confirmation
   * page, returned in WAIT_USER_CONFIRM; build the whole parameter set with `confirmParams`.
   */
  package_info?: string;
}

/** A transfer bill as the queries return it. */
export interface TransferBill {
  /** 商户号: the merchant (merchant mode). */
  mch_id?: string;
  /** 子商户号: the sub-merchant that pays (partner mode). */
  sub_mchid?: string;
  /** 商户单号. */
  out_bill_no: string;
  /** 微信转账单号. */
  transfer_bill_no: string;
  /** 商户AppID: the AppID the user's OpenID belongs to. */
  appid: string;
  /** 单据状态. */
  state: TransferBillState;
  /** 转账金额, in fen. */
  transfer_amount: number;
  /** 转账备注, shown to the user. */
  transfer_remark: string;
  /** 失败原因, when FAIL or CANCELLED. */
  fail_reason?: string;
  /** 收款用户OpenID. */
  openid?: string;
  /** 收款用户姓名, encrypted as sent (WeChat Pay returns it encrypted). */
  user_name?: string;
  /** 单据创建时间, RFC 3339. */
  create_time: string;
  /** 最后一次状态变更时间, RFC 3339. */
  update_time: string;
}

/** The answer to 撤销转账: the cancellation is accepted, the money returns asynchronously. */
export interface TransferBillCancelled {
  /** 商户单号. */
  out_bill_no: string;
  /** 微信转账单号. */
  transfer_bill_no: string;
  /** 单据状态: CANCELING, then CANCELLED (query, or wait for the notification). */
  state: Extract<TransferBillState, 'CANCELING' | 'CANCELLED'>;
  /** 最后一次单据状态变更时间, RFC 3339. */
  update_time: string;
}

/**
 * The decrypted `resource` of a `MCHTRANSFER.BILL.FINISHED` notification (商家转账回调通知),
 * sent when a transfer reaches SUCCESS, FAIL or CANCELLED. Compare `transfer_amount` and
 * `out_bill_no` with your own record before acting on it.
 */
export interface TransferBillNotification {
  /** 商户号. */
  mch_id?: string;
  /** 子商户号 (partner mode). */
  sub_mchid?: string;
  /** 商户单号. */
  out_bill_no: string;
  /** 微信转账单号. */
  transfer_bill_no: string;
  /** 单据状态: a final one. */
  state: Extract<TransferBillState, 'SUCCESS' | 'FAIL' | 'CANCELLED'>;
  /** 转账金额, in fen. */
  transfer_amount: number;
  /** 收款用户OpenID. */
  openid: string;
  /** 失败原因, when FAIL or CANCELLED. */
  fail_reason?: string;
  /** 单据创建时间, RFC 3339. */
  create_time: string;
  /** 最后一次状态变更时间, RFC 3339. */
  update_time: string;
}

/**
 * What `wx.requestMerchantTransfer` takes to let the user confirm a transfer (商家转账用户确认
 * 模式): pass it as is, plus your `success` / `fail` callbacks.
 */
export interface MerchantTransferConfirmParams {
  /** 商户号: the merchant; the service provider in partner mode. */
  mchId: string;
  /** 子商户号: partner mode only. */
  subMchId?: string;
  /** 商户 appId: the AppID of the user's OpenID (in partner mode this or `subAppId`). */
  appId?: string;
  /** 子商户 appId: partner mode, when the OpenID belongs to the sub-merchant's AppID. */
  subAppId?: string;
  /** The create answer's `package_info`. */
  package: string;
}

/** 电子回单状态: GENERATING → FINISHED (download it) or FAILED. */
export type TransferReceiptState = 'GENERATING' | 'FINISHED' | 'FAILED';

/** An electronic receipt (电子回单) of a transfer, as applying for it and querying it return it. */
export interface TransferReceipt {
  /** 子商户号 (partner mode). */
  sub_mchid?: string;
  /** 商户单号 (partner mode). */
  out_bill_no?: string;
  /** 申请单状态. */
  state: TransferReceiptState;
  /** 申请单创建时间, RFC 3339. */
  create_time: string;
  /** 申请单更新时间, RFC 3339 (queries). */
  update_time?: string;
  /** 回单文件摘要类型 (FINISHED): `SHA256` or `SM3`. */
  hash_type?: string;
  /** 回单文件摘要值 (FINISHED), checked while downloading. */
  hash_value?: string;
  /** 回单文件下载地址 (FINISHED), valid for ten minutes: query again for a fresh one. */
  download_url?: string;
  /** 失败原因 (FAILED). */
  fail_reason?: string;
}
