import { randomBytes } from 'node:crypto';

// Random bytes drawn in batches, as node:crypto's randomUUID does: one randomBytes call costs as
// much as the rest of a request signature's bookkeeping. Nonces only need to be unpredictable
// and unique, which bytes from a batch are.
const BATCH_BYTES = 4096;
let batch = Buffer.alloc(0);
let offset = 0;

/** 32 random upper-case hex characters: the nonce shape WeChat Pay's own SDKs send. */
export function generateNonce(): string {
  if (offset + 16 > batch.length) {
    batch = randomBytes(BATCH_BYTES);
    offset = 0;
  }
  const nonce = batch.toString('hex', offset, offset + 16).toUpperCase();
  offset += 16;
  return nonce;
}

/** Unix time in whole seconds, the unit every WeChat Pay timestamp uses. */
export function unixSeconds(now: number = Date.now()): number {
  return Math.floor(now / 1000);
}
