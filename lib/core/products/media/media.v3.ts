import { createHash } from 'node:crypto';
import { WechatPayValidationError } from '../../errors.js';
import type { V3ProductContext } from '../product-context.js';
import { checkMediaFile, MEDIA_UPLOADS } from './media-rules.js';
import type { MediaFile, MediaUploadResult, MediaUploadRules } from './media.types.js';

/**
 * Media uploads over API v3 (`wechatPay.media`): one method for every media endpoint. The body
 * is `multipart/form-data` with a `meta` part (`{"filename","sha256"}`) and a `file` part, and
 * the request signature covers the `meta` JSON text only, as WeChat Pay requires.
 * @see https://pay.weixin.qq.com/doc/v3/partner/4012760490
 */
export class Media {
  constructor(private readonly context: V3ProductContext) {}

  /**
   * Uploads a file to any media endpoint after checking it against the endpoint's documented
   * types and size (`MEDIA_UPLOADS` holds them; pass your own rules for another endpoint).
   * Not retried on a broken connection: an upload is not deduplicated, so a repeat only yields
   * another media id; retrying by hand is harmless.
   * @throws WechatPayValidationError before sending: a type outside `rules.extensions`, a file
   *   over `rules.maxBytes`, an image whose content is not what its extension says
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012760490 (图片上传)
   * @example
   * const { media_id } = await wechatPay.media.upload(MEDIA_UPLOADS.merchantVideo, {
   *   filename: 'store.mp4', content: await readFile('store.mp4'),
   * });
   */
  async upload(rules: MediaUploadRules, file: MediaFile): Promise<MediaUploadResult> {
    const what = `media upload to ${rules.path}`;
    if (typeof rules.path !== 'string' || !rules.path.startsWith('/v3/')) {
      throw new WechatPayValidationError(what, [
        { field: 'rules.path', message: 'must be an API v3 media path starting with /v3/' },
      ]);
    }
    const contentType = checkMediaFile(file, rules, what);
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const meta = JSON.stringify({ filename: file.filename, sha256 });
    const { data } = await this.context.api.upload<MediaUploadResult>(rules.path, {
      meta,
      file: file.content,
      filename: file.filename,
      contentType,
    });
    return data;
  }

  /**
   * 图片上传 (`/v3/merchant/media/upload`): a JPG, PNG or BMP of at most 2 MB, for the APIs that
   * take an image MediaID (onboarding, …).
   * @throws WechatPayValidationError before sending (see {@link upload})
   * @see https://pay.weixin.qq.com/doc/v3/partner/4012760490
   * @example
   * const { media_id } = await wechatPay.media.uploadImage({ filename: 'license.jpg', content });
   */
  uploadImage(file: MediaFile): Promise<MediaUploadResult> {
    return this.upload(MEDIA_UPLOADS.merchantImage, file);
  }
}
