import { createHash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { WechatPayError, WechatPaySignatureError } from '../../errors.js';
import type { BillInfo } from './bills.types.js';

const HASH_ALGORITHMS: Record<string, string> = { SHA1: 'sha1', SHA256: 'sha256', SM3: 'sm3' };

/**
 * Passes bytes through while hashing them, and fails the stream at the end when the digest is
 * not the one WeChat Pay announced. Bill files are not signed: this hash is their integrity check.
 */
export class HashCheckStream extends Transform {
  private readonly hash;

  constructor(private readonly bill: Pick<BillInfo, 'hash_type' | 'hash_value'>) {
    super();
    const algorithm = HASH_ALGORITHMS[bill.hash_type.toUpperCase()];
    if (!algorithm) throw new WechatPayError(`unsupported bill hash_type ${bill.hash_type}`);
    this.hash = createHash(algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const digest = this.hash.digest('hex');
    if (digest.toLowerCase() === this.bill.hash_value.toLowerCase()) callback();
    else {
      callback(
        new WechatPaySignatureError(
          `the downloaded bill does not match its ${this.bill.hash_type} hash: it was truncated or altered; download it again`,
        ),
      );
    }
  }
}

/**
 * The bill as a stream of plain text: gunzipped when `gzip`, hash-checked over the original
 * bill (WeChat Pay hashes the uncompressed file). The stream errors on a hash mismatch, so a
 * consumer that reads to the end never silently accepts a bad file.
 */
export function billStream(source: Readable, bill: BillInfo, gzip: boolean): Readable {
  const check = new HashCheckStream(bill);
  const onError = (error: Error | null) => {
    if (error && !check.destroyed) check.destroy(error);
  };
  if (gzip) pipeline(source, createGunzip(), check, onError);
  else pipeline(source, check, onError);
  return check;
}
