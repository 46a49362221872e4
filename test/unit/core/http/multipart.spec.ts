import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mediaMultipart } from '../../../../lib/core/http/multipart.js';
import { parseUpload } from '../../../../lib/testing/http/multipart.js';

describe('mediaMultipart', () => {
  it('writes meta then file, which a multipart reader gets back byte for byte', () => {
    const file = randomBytes(4096);
    const meta = JSON.stringify({ filename: '证据.png', sha256: 'ab'.repeat(32) });
    const { body, contentType } = mediaMultipart({
      meta,
      file,
      filename: '证据.png',
      contentType: 'image/png',
    });
    expect(contentType).toMatch(/^multipart\/form-data; boundary=WechatPayBoundary[0-9a-f]{24}$/);
    const text = body.toString('latin1');
    expect(text.indexOf('name="meta"')).toBeLessThan(text.indexOf('name="file"'));
    expect(parseUpload(contentType, body)).toEqual({
      meta,
      file,
      filename: '证据.png',
      contentType: 'image/png',
    });
  });

  it('uses a fresh boundary for each body', () => {
    const upload = {
      meta: '{}',
      file: Buffer.from('x'),
      filename: 'a.jpg',
      contentType: 'image/jpeg',
    };
    expect(mediaMultipart(upload).contentType).not.toBe(mediaMultipart(upload).contentType);
  });
});
