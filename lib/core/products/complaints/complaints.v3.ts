import { decryptSensitive } from '../../crypto/rsa-oaep.js';
import { WechatPayValidationError } from '../../errors.js';
import { assertValid } from '../../validation/validate.js';
import type { Media } from '../media/media.v3.js';
import { MEDIA_UPLOADS } from '../media/media-rules.js';
import type { MediaFile, MediaUploadResult } from '../media/media.types.js';
import type { V3ProductContext } from '../product-context.js';
import {
  ComplaintedMchidDto,
  ComplaintIdDto,
  ComplaintListQueryDto,
  ComplaintNotificationUrlDto,
  ComplaintRefundProgressDto,
  ComplaintResponseDto,
  NegotiationHistoryQueryDto,
} from './complaints.dto.js';
import {
  COMPLAINT_IMAGES_PATH,
  COMPLAINT_NOTIFICATIONS_PATH,
  COMPLAINTS_PATH,
  complaintPath,
} from './complaints.paths.js';
import type {
  Complaint,
  ComplaintImage,
  ComplaintImageDownloadOptions,
  ComplaintListQuery,
  ComplaintNotificationUrl,
  ComplaintNotificationUrlRequest,
  ComplaintPage,
  ComplaintReadOptions,
  ComplaintRefundProgressRequest,
  ComplaintResponseRequest,
  NegotiationHistoryPage,
  NegotiationHistoryQuery,
} from './complaints.types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_IMAGE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * 消费者投诉 2.0 over API v3 (`wechatPay.complaints`): read complaints, answer the payer, approve
 * or reject the refund asked for, mark them handled, fetch and upload their images, and manage
 * the notification URL. Merchants and service providers use the same paths; a service provider
 * sees every sub-merchant's complaints and names one with `complainted_mchid`. New complaints
 * and changes arrive as `COMPLAINT.CREATE` / `COMPLAINT.STATE_CHANGE` notifications.
 * @see https://pay.weixin.qq.com/doc/v3/partner/4012691285
 */
export class Complaints {
  constructor(
    private readonly context: V3ProductContext,
    private readonly media: Media,
  ) {}

  /**
   * 查询投诉单列表: complaints filed between two days (at most 30 days apart).
   * @throws WechatPayValidationError before sending, e.g. a span over 30 days
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012691285
   * @example
   * const page = await wechatPay.complaints.list({ begin_date: '2026-06-01', end_date: '2026-06-08' });
   */
  async list(
    query: ComplaintListQuery,
    options: ComplaintReadOptions = {},
  ): Promise<ComplaintPage> {
    const what = 'complaint list query';
    assertValid(ComplaintListQueryDto, query, what);
    const span = Date.parse(query.end_date) - Date.parse(query.begin_date);
    if (!(span >= 0 && span <= 30 * DAY_MS)) {
      throw new WechatPayValidationError(what, [
        { field: 'end_date', message: 'must be on or after begin_date and at most 30 days later' },
      ]);
    }
    const { data } = await this.context.api.request<ComplaintPage>('GET', COMPLAINTS_PATH, {
      query: { ...query },
    });
    if (options.decryptPayerPhone) data.data = data.data?.map((c) => this.withPhone(c));
    return data;
  }

  /**
   * 查询投诉单详情. `payer_phone` stays ciphertext unless `decryptPayerPhone` is set.
   * @throws WechatPayDecryptError with `decryptPayerPhone` when the number was not encrypted for
   *   this merchant's key
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012691648
   * @example
   * const complaint = await wechatPay.complaints.detail(complaintId, { decryptPayerPhone: true });
   */
  async detail(complaintId: string, options: ComplaintReadOptions = {}): Promise<Complaint> {
    this.checkId(complaintId, 'complaint query');
    const { data } = await this.context.api.request<Complaint>('GET', complaintPath(complaintId));
    return options.decryptPayerPhone ? this.withPhone(data) : data;
  }

  /**
   * 查询投诉协商历史: every step of the negotiation, oldest first.
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012691802
   */
  async negotiationHistory(
    complaintId: string,
    query: NegotiationHistoryQuery = {},
  ): Promise<NegotiationHistoryPage> {
    const what = 'negotiation history query';
    this.checkId(complaintId, what);
    assertValid(NegotiationHistoryQueryDto, query, what);
    const { data } = await this.context.api.request<NegotiationHistoryPage>(
      'GET',
      complaintPath(complaintId, 'negotiation-historys'),
      { query: { ...query } },
    );
    return data;
  }

  /**
   * 回复用户: answers the payer, with up to 4 images uploaded by {@link uploadImage}.
   * Not retried on a broken connection (WeChat Pay has no key to deduplicate it by): check the
   * negotiation history before answering again.
   * @throws WechatPayValidationError before sending
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012467213
   * @example
   * const { media_id } = await wechatPay.complaints.uploadImage({ filename: 'receipt.png', content });
   * await wechatPay.complaints.respond(complaintId, {
   *   response_content: '已为您办理退款', response_images: [media_id],
   * });
   */
  async respond(complaintId: string, response: ComplaintResponseRequest): Promise<void> {
    const what = 'complaint response';
    this.checkId(complaintId, what);
    assertValid(ComplaintResponseDto, response, what);
    // The merchant page allows 200 characters, the service provider's 500 (which the DTO checks).
    if (!this.context.merchant.partner && response.response_content.length > 200) {
      throw new WechatPayValidationError(what, [
        { field: 'response_content', message: 'must be at most 200 characters for a merchant' },
      ]);
    }
    await this.context.api.request('POST', complaintPath(complaintId, 'response'), {
      body: { ...response, complainted_mchid: this.mchid(response.complainted_mchid, what) },
    });
  }

  /**
   * 反馈处理完成: tells WeChat Pay the complaint is handled (the complaint becomes `PROCESSED`).
   * Repeating it is harmless, so it is re-sent after a broken connection.
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012467217
   */
  async complete(complaintId: string, options: ComplaintedMchidDto = {}): Promise<void> {
    const what = 'complaint completion';
    this.checkId(complaintId, what);
    assertValid(ComplaintedMchidDto, options, what);
    await this.context.api.request('POST', complaintPath(complaintId, 'complete'), {
      body: { complainted_mchid: this.mchid(options.complainted_mchid, what) },
      idempotent: true,
    });
  }

  /**
   * 更新退款审批结果: approves (with `launch_refund_day`) or rejects (with `reject_reason`) the
   * refund the payer asked for in the complaint.
   * @throws WechatPayValidationError before sending, e.g. REJECT without a reason
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012467218
   * @see https://pay.weixin.qq.com/docs/merchant/apis/consumer-complaint/complaints/update-refund-progress.html
   */
  async updateRefundProgress(
    complaintId: string,
    progress: ComplaintRefundProgressRequest,
  ): Promise<void> {
    const what = 'complaint refund progress';
    this.checkId(complaintId, what);
    assertValid(ComplaintRefundProgressDto, progress, what);
    const misplaced = (field: string, action: string) => {
      throw new WechatPayValidationError(what, [
        { field, message: `goes only with action ${action}` },
      ]);
    };
    if (progress.action === 'REJECT' && progress.launch_refund_day !== undefined)
      misplaced('launch_refund_day', 'APPROVE');
    if (progress.action === 'APPROVE' && progress.reject_media_list !== undefined)
      misplaced('reject_media_list', 'REJECT');
    await this.context.api.request('POST', complaintPath(complaintId, 'update-refund-progress'), {
      body: progress,
    });
  }

  /**
   * 商户上传反馈图片: a JPG, PNG or BMP of at most 2 MB, checked before sending; the media id goes
   * in `respond`'s `response_images` or `updateRefundProgress`'s `reject_media_list`.
   * @throws WechatPayValidationError before sending: another type, over 2 MB, or content that is
   *   not the image its name says
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012467222
   */
  uploadImage(file: MediaFile): Promise<MediaUploadResult> {
    return this.media.upload(MEDIA_UPLOADS.complaintImage, file);
  }

  /**
   * 图片请求: downloads an image of a complaint by its `media_url`. The signed GET is built from
   * the URL's path exactly as WeChat Pay wrote it (the media id stays percent-encoded as given,
   * and may contain `/`), and sent to the configured domain, never to the URL's host. An answer
   * with WeChat Pay's signature headers must verify over the image's bytes.
   * @throws WechatPayValidationError when the URL is not a complaint image URL
   * @throws WechatPayApiError when WeChat Pay refuses (e.g. 404 for an unknown image)
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012467223
   * @example
   * const [url] = complaint.complaint_media_list?.[0]?.media_url ?? [];
   * const { content } = await wechatPay.complaints.downloadImage(url);
   */
  async downloadImage(
    mediaUrl: string,
    options: ComplaintImageDownloadOptions = {},
  ): Promise<ComplaintImage> {
    let url: URL | undefined;
    try {
      url = new URL(mediaUrl, 'https://api.mch.weixin.qq.com');
    } catch {
      url = undefined;
    }
    // The parsed path has its dot segments resolved, so `images/../..` cannot escape the prefix.
    const path = url?.pathname;
    // Encoded separators would be decoded by a server into a path outside the images.
    if (
      !path?.startsWith(COMPLAINT_IMAGES_PATH) ||
      path.length === COMPLAINT_IMAGES_PATH.length ||
      /%2f|%5c|%2e/i.test(path)
    ) {
      throw new WechatPayValidationError('complaint image download', [
        {
          field: 'media_url',
          message: `must be a media_url of a complaint (…${COMPLAINT_IMAGES_PATH}{media_id})`,
        },
      ]);
    }
    return this.context.api.downloadBinary(
      path + url!.search,
      options.maxBytes ?? DEFAULT_IMAGE_MAX_BYTES,
    );
  }

  /**
   * 创建投诉通知回调地址: where `COMPLAINT.*` notifications go (one URL per merchant; a service
   * provider's receives every sub-merchant's).
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012458106
   */
  createNotificationUrl(
    request: ComplaintNotificationUrlRequest,
  ): Promise<ComplaintNotificationUrl> {
    return this.notificationUrl('POST', request, 'complaint notification URL creation');
  }

  /**
   * 查询投诉通知回调地址.
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012459065
   */
  async queryNotificationUrl(): Promise<ComplaintNotificationUrl> {
    const { data } = await this.context.api.request<ComplaintNotificationUrl>(
      'GET',
      COMPLAINT_NOTIFICATIONS_PATH,
    );
    return data;
  }

  /**
   * 更新投诉通知回调地址.
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012459287
   */
  updateNotificationUrl(
    request: ComplaintNotificationUrlRequest,
  ): Promise<ComplaintNotificationUrl> {
    return this.notificationUrl('PUT', request, 'complaint notification URL update');
  }

  /**
   * 删除投诉通知回调地址: no more `COMPLAINT.*` notifications.
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012460474
   */
  async deleteNotificationUrl(): Promise<void> {
    await this.context.api.request('DELETE', COMPLAINT_NOTIFICATIONS_PATH, { idempotent: true });
  }

  private async notificationUrl(
    method: 'POST' | 'PUT',
    request: ComplaintNotificationUrlRequest,
    what: string,
  ): Promise<ComplaintNotificationUrl> {
    assertValid(ComplaintNotificationUrlDto, request, what);
    const { data } = await this.context.api.request<ComplaintNotificationUrl>(
      method,
      COMPLAINT_NOTIFICATIONS_PATH,
      // Setting the same URL twice leaves the same state.
      { body: { url: request.url }, idempotent: method === 'PUT' },
    );
    return data;
  }

  private checkId(complaintId: string, what: string): void {
    assertValid(ComplaintIdDto, { complaint_id: complaintId }, what);
  }

  private mchid(given: string | undefined, what: string): string {
    return this.context.merchant.complaintedMchid(given, what);
  }

  /** The complaint with `payer_phone` decrypted by the merchant private key. */
  private withPhone(complaint: Complaint): Complaint {
    if (complaint.payer_phone === undefined) return complaint;
    return {
      ...complaint,
      payer_phone: decryptSensitive(complaint.payer_phone, this.context.signingKey()),
    };
  }
}
