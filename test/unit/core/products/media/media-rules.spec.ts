import { describe, expect, it } from 'vitest';
import { checkMediaFile } from '../../../../../lib/core/products/media/media-rules.js';
import { MEDIA_UPLOADS, WechatPayValidationError } from '../../../../../lib/index.js';

const JPG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]);
const BMP = Buffer.from('BM\x00\x01', 'latin1');

const problems = (filename: string, content: Buffer, rules = MEDIA_UPLOADS.complaintImage) => {
  try {
    checkMediaFile({ filename, content }, rules, 'upload');
  } catch (error) {
    expect(error).toBeInstanceOf(WechatPayValidationError);
    return (error as WechatPayValidationError).problems;
  }
  throw new Error('expected a WechatPayValidationError');
};

describe('checkMediaFile', () => {
  it.each([
    ['a.jpg', JPG, 'image/jpeg'],
    ['A.JPG', JPG, 'image/jpeg'],
    ['b.png', PNG, 'image/png'],
    ['c.bmp', BMP, 'image/bmp'],
  ])('accepts %s and names its Content-Type', (filename, content, type) => {
    expect(checkMediaFile({ filename, content }, MEDIA_UPLOADS.merchantImage, 'upload')).toBe(type);
  });

  it('takes the documented limits: images 2 MB, videos 5 MB', () => {
    expect(MEDIA_UPLOADS.merchantImage.maxBytes).toBe(2 * 1024 * 1024);
    expect(MEDIA_UPLOADS.complaintImage.maxBytes).toBe(2 * 1024 * 1024);
    expect(MEDIA_UPLOADS.merchantVideo.maxBytes).toBe(5 * 1024 * 1024);
    const exactly = Buffer.concat([JPG, Buffer.alloc(2 * 1024 * 1024 - JPG.length)]);
    expect(
      checkMediaFile(
        { filename: 'max.jpg', content: exactly },
        MEDIA_UPLOADS.complaintImage,
        'upload',
      ),
    ).toBe('image/jpeg');
    expect(problems('max.jpg', Buffer.concat([exactly, Buffer.from([0])]))).toEqual([
      { field: 'content', message: expect.stringMatching(/at most 2097152 bytes/) },
    ]);
  });

  it('lists every problem at once', () => {
    expect(problems('x'.repeat(130), Buffer.alloc(0))).toEqual([
      { field: 'filename', message: expect.stringMatching(/1 to 128/) },
      { field: 'content', message: expect.stringMatching(/non-empty/) },
    ]);
  });

  it('refuses a name with quotes or line breaks, which would break the multipart header', () => {
    expect(problems('a"b.jpg', JPG)).toEqual([
      { field: 'filename', message: expect.stringMatching(/bare file name/) },
    ]);
    expect(problems('a\r\nb.jpg', JPG)).toHaveLength(1);
  });

  it('checks image content against the extension, not video content', () => {
    expect(problems('a.bmp', PNG)).toEqual([
      { field: 'content', message: 'is not a BMP file, as its name says' },
    ]);
    expect(
      checkMediaFile(
        { filename: 'v.mov', content: Buffer.from('anything') },
        MEDIA_UPLOADS.merchantVideo,
        'upload',
      ),
    ).toBe('video/quicktime');
    expect(problems('v.mp4', JPG)).toEqual([
      { field: 'filename', message: expect.stringMatching(/one of jpg, png, bmp/) },
    ]);
  });
});
