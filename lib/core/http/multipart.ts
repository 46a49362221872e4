import { randomBytes } from 'node:crypto';

/** A WeChat Pay media upload: the `meta` JSON text and the file it describes. */
export interface MediaUploadBody {
  /**
   * The `meta` part exactly as sent: JSON text (`{"filename":…,"sha256":…}`). These bytes, not
   * the whole body, are what the request signature covers.
   */
  meta: string;
  /** The file's bytes. */
  file: Buffer;
  /** The file name given in the `file` part's Content-Disposition; no `"`, CR or LF. */
  filename: string;
  /** The `file` part's Content-Type, e.g. `image/jpeg`. */
  contentType: string;
}

/** A `multipart/form-data` body and the Content-Type header naming its boundary. */
export interface MultipartBody {
  body: Buffer;
  contentType: string;
}

/**
 * The `multipart/form-data` body WeChat Pay's media endpoints take: a `meta` part
 * (`application/json`) then a `file` part, as wechatpay-axios-plugin's `Multipart` writes it.
 */
export function mediaMultipart(upload: MediaUploadBody): MultipartBody {
  const boundary = `WechatPayBoundary${randomBytes(12).toString('hex')}`;
  const head = (disposition: string, type: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: ${type}\r\n\r\n`;
  const body = Buffer.concat([
    Buffer.from(head('name="meta"', 'application/json') + upload.meta + '\r\n', 'utf8'),
    Buffer.from(head(`name="file"; filename="${upload.filename}"`, upload.contentType), 'utf8'),
    upload.file,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
