/** API v3 media upload endpoints (multipart, signature over `meta`). */
export const MEDIA_PATHS = {
  /** 图片上传 (商户进件, 特约商户): images for onboarding and other merchant forms. */
  merchantImage: '/v3/merchant/media/upload',
  /** 视频上传 (商户进件). */
  merchantVideo: '/v3/merchant/media/video_upload',
  /** 商户上传反馈图片 (消费者投诉): images for complaint responses. */
  complaintImage: '/v3/merchant-service/images/upload',
} as const;
