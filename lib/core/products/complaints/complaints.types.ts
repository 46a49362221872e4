import type {
  ComplaintListQueryDto,
  ComplaintNotificationUrlDto,
  ComplaintRefundProgressDto,
  ComplaintResponseDto,
  NegotiationHistoryQueryDto,
} from './complaints.dto.js';

/** 查询投诉单列表 query, validated before sending. */
export type ComplaintListQuery = ComplaintListQueryDto;
/** 查询投诉协商历史 paging. */
export type NegotiationHistoryQuery = NegotiationHistoryQueryDto;
/** 回复用户 body; extra fields WeChat Pay adds later pass through. */
export type ComplaintResponseRequest = ComplaintResponseDto & Record<string, unknown>;
/** 更新退款审批结果 body. */
export type ComplaintRefundProgressRequest = ComplaintRefundProgressDto & Record<string, unknown>;
/** 创建 / 更新投诉通知回调地址 body. */
export type ComplaintNotificationUrlRequest = ComplaintNotificationUrlDto;

/** 投诉单状态: `PENDING` 待处理, `PROCESSING` 处理中, `PROCESSED` 已处理完成. */
export type ComplaintState = 'PENDING' | 'PROCESSING' | 'PROCESSED';

/** 投诉资料: the media of a complaint or of one negotiation step. */
export interface ComplaintMedia {
  /**
   * 媒体文件业务类型: `USER_COMPLAINT_IMAGE` (the payer's images when filing) or
   * `OPERATION_IMAGE` (images added while negotiating).
   */
  media_type: 'USER_COMPLAINT_IMAGE' | 'OPERATION_IMAGE' | (string & {});
  /**
   * 媒体文件请求url: `https://api.mch.weixin.qq.com/v3/merchant-service/images/{media_id}`, the
   * id percent-encoded (it may hold `/`, `+`, `=`); fetch with `complaints.downloadImage(url)`.
   */
  media_url: string[];
}

/** 投诉单关联订单信息. */
export interface ComplaintOrderInfo {
  /** 微信订单号. */
  transaction_id: string;
  /** 商户订单号. */
  out_trade_no: string;
  /** 订单金额, in fen. */
  amount: number;
}

/** 投诉单关联服务单信息 (支付分). */
export interface ComplaintServiceOrderInfo {
  /** 微信支付服务订单号. */
  order_id?: string;
  /** 商户服务订单号. */
  out_order_no?: string;
  /** 支付分服务单状态: `DOING`, `REVOKED`, `WAITPAY`, `DONE`. */
  state?: string;
}

/** A complaint (投诉单), as the list and the detail return it. */
export interface Complaint {
  /** 投诉单号. */
  complaint_id: string;
  /** 投诉时间, RFC 3339. */
  complaint_time: string;
  /** 投诉详情: what the payer wrote. */
  complaint_detail: string;
  /** 投诉单状态. */
  complaint_state: ComplaintState;
  /** 被诉商户号. */
  complainted_mchid: string;
  /**
   * 投诉人联系方式: RSA-OAEP ciphertext for the merchant private key, unless the call asked for
   * `decryptPayerPhone`. A phone number: never log it.
   */
  payer_phone?: string;
  /** 投诉人OpenID (detail only). */
  payer_openid?: string;
  /** 投诉单关联订单信息. */
  complaint_order_info?: ComplaintOrderInfo[];
  /** 投诉单是否已全额退款. */
  complaint_full_refunded: boolean;
  /** 是否有待回复的用户留言. */
  incoming_user_response: boolean;
  /** 用户投诉次数. */
  user_complaint_times: number;
  /** 投诉资料列表. */
  complaint_media_list?: ComplaintMedia[];
  /** 问题描述. */
  problem_description: string;
  /** 问题类型: `REFUND`, `SERVICE_NOT_WORK`, `OTHERS`. */
  problem_type?: 'REFUND' | 'SERVICE_NOT_WORK' | 'OTHERS' | (string & {});
  /** 申请退款金额, in fen. */
  apply_refund_amount?: number;
  /** 用户标签列表: `TRUSTED`, `HIGH_RISK`. */
  user_tag_list?: string[];
  /** 投诉单关联服务单信息. */
  service_order_info?: ComplaintServiceOrderInfo[];
  /** 补充信息 (e.g. 充电宝 `SHARE_POWER_TYPE`), as WeChat Pay sent it. */
  additional_info?: Record<string, unknown>;
  /** 是否在平台协助中. */
  in_platform_service?: boolean;
  /** 是否需即时服务用户. */
  need_immediate_service?: boolean;
  /** 是否是智能体投诉. */
  is_agent_mode?: boolean;
}

/** One page of complaints. */
export interface ComplaintPage {
  /** 用户投诉信息详情. */
  data?: Complaint[];
  /** 分页大小. */
  limit: number;
  /** 分页开始位置. */
  offset: number;
  /** 投诉总条数. */
  total_count?: number;
}

/** One step of a complaint's negotiation (协商历史). */
export interface NegotiationHistoryEntry {
  /** 操作流水号. */
  log_id: string;
  /** 操作人, e.g. `投诉人`, `商户`, `微信支付客服`. */
  operator: string;
  /** 操作时间, RFC 3339. */
  operate_time: string;
  /**
   * 操作类型, e.g. `USER_CREATE_COMPLAINT`, `MERCHANT_RESPONSE`, `MERCHANT_CONFIRM_COMPLETE`,
   * `USER_RESPONSE`, `MERCHANT_APPROVE_REFUND`, `MERCHANT_REFUSE_RERUND` (sic).
   */
  operate_type: string;
  /** 操作内容. */
  operate_details?: string;
  /** 图片凭证 (media ids). */
  image_list?: string[];
  /** 操作资料列表. */
  complaint_media_list?: ComplaintMedia;
  /** 普通消息内容, 用户点击回复消息 and other fields, as WeChat Pay sent them. */
  [field: string]: unknown;
}

/** One page of a complaint's negotiation history. */
export interface NegotiationHistoryPage {
  /** 投诉协商历史. */
  data?: NegotiationHistoryEntry[];
  /** 分页大小. */
  limit: number;
  /** 分页开始位置. */
  offset: number;
  /** 投诉协商历史总条数. */
  total_count?: number;
}

/** The merchant's complaint notification URL. */
export interface ComplaintNotificationUrl {
  /** 商户号. */
  mchid: string;
  /** 通知地址. */
  url: string;
}

/**
 * 动作类型 of a complaint notification: what happened, e.g. `CREATE_COMPLAINT`,
 * `CONTINUE_COMPLAINT`, `USER_RESPONSE`, `RESPONSE_BY_PLATFORM`, `SELLER_REFUND`,
 * `MERCHANT_RESPONSE`, `MERCHANT_CONFIRM_COMPLETE`, `USER_APPLY_PLATFORM_SERVICE`,
 * `USER_CANCEL_PLATFORM_SERVICE`, `PLATFORM_SERVICE_FINISHED`, `MERCHANT_APPROVE_REFUND`,
 * `MERCHANT_REJECT_REFUND`, `REFUND_SUCCESS`.
 */
export type ComplaintActionType =
  | 'CREATE_COMPLAINT'
  | 'CONTINUE_COMPLAINT'
  | 'USER_RESPONSE'
  | 'RESPONSE_BY_PLATFORM'
  | 'SELLER_REFUND'
  | 'MERCHANT_RESPONSE'
  | 'MERCHANT_CONFIRM_COMPLETE'
  | 'USER_APPLY_PLATFORM_SERVICE'
  | 'USER_CANCEL_PLATFORM_SERVICE'
  | 'PLATFORM_SERVICE_FINISHED'
  | 'MERCHANT_APPROVE_REFUND'
  | 'MERCHANT_REJECT_REFUND'
  | 'REFUND_SUCCESS'
  | (string & {});

/**
 * The decrypted `resource` of a `COMPLAINT.CREATE` / `COMPLAINT.STATE_CHANGE` notification: only
 * the complaint's number and what happened; fetch the rest with `complaints.detail`.
 * @see https://pay.weixin.qq.com/doc/v3/merchant/4012289719
 */
export interface ComplaintNotification {
  /** 投诉单号. */
  complaint_id: string;
  /** 动作类型. */
  action_type: ComplaintActionType;
}

/** Per-call options of the complaint reads that may carry the payer's phone number. */
export interface ComplaintReadOptions {
  /**
   * Decrypt `payer_phone` with the merchant private key (RSA-OAEP) before returning it. Off by
   * default so the number stays ciphertext unless the caller needs it; never log it.
   * @default false
   */
  decryptPayerPhone?: boolean;
}

/** Per-call options of `complaints.downloadImage`. */
export interface ComplaintImageDownloadOptions {
  /**
   * The largest image accepted, in bytes; a larger answer is abandoned with an error.
   * @default 10485760 (10 MB)
   */
  maxBytes?: number;
}

/** A downloaded complaint image. */
export interface ComplaintImage {
  /** The image's bytes. */
  content: Buffer;
  /** The answer's Content-Type, e.g. `image/jpeg`. */
  contentType: string | undefined;
}
