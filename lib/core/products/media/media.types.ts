/** What a media endpoint accepts, checked before anything is sent. */
export interface MediaUploadRules {
  /** The endpoint path, e.g. `/v3/merchant/media/upload`. */
  path: string;
  /** File name extensions (lower case, no dot) the documentation allows. */
  extensions: readonly string[];
  /** The documented maximum size in bytes. */
  maxBytes: number;
}

/** A file to upload. */
export interface MediaFile {
  /**
   * 文件名称: sent in `meta.filename` and the file part; its extension must be one the endpoint
   * allows (e.g. `.jpg`, `.png`, `.bmp` for images), at most 128 characters.
   */
  filename: string;
  /** The file's bytes. */
  content: Buffer;
}

/** The answer of a media upload. */
export interface MediaUploadResult {
  /** 媒体文件标识 Id: put it in the request that uses the file (e.g. `response_images`). */
  media_id: string;
}
