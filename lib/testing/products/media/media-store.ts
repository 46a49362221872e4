import { randomBytes } from 'node:crypto';

/** A file WeChat Pay holds: uploaded by a merchant, or attached to a complaint by a payer. */
export interface SimulatedMedia {
  mediaId: string;
  content: Buffer;
  contentType: string;
  filename: string;
  /** The merchant that uploaded it, or whose complaint holds it. */
  mchid: string;
}

/**
 * Every media file by id. Payer images get ids shaped like WeChat Pay's (base64 holding `/`
 * and `=`), so clients must use `media_url` as given rather than rebuild it.
 */
export class MediaStore {
  private readonly byId = new Map<string, SimulatedMedia>();

  /** Stores a file under a new id. */
  add(media: Omit<SimulatedMedia, 'mediaId'>, shape: 'merchant' | 'payer'): SimulatedMedia {
    const mediaId =
      shape === 'payer'
        ? `Chsy${randomBytes(15).toString('base64url')}/${randomBytes(5).toString('base64')}`
        : `${randomBytes(16).toString('hex').toUpperCase()}.${media.filename.split('.').pop()!.toLowerCase()}`;
    const stored = { ...media, mediaId };
    this.byId.set(mediaId, stored);
    return stored;
  }

  /** The file with this id, if it exists. */
  get(mediaId: string): SimulatedMedia | undefined {
    return this.byId.get(mediaId);
  }

  /**
   * The `media_url` WeChat Pay gives for a file: the id in the path with `+` and `=`
   * percent-encoded and `/` left as is.
   */
  url(baseUrl: string, mediaId: string): string {
    const encoded = mediaId.replace(/\+/g, '%2B').replace(/=/g, '%3D');
    return `${baseUrl}/v3/merchant-service/images/${encoded}`;
  }
}
