import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in constant time. Both sides are hashed first, so neither the position of the
 * first differing byte nor a length difference shows in the timing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(digestA, digestB);
}
