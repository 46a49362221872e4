import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaMultipart } from '../../lib/core/http/multipart.js';
import { MEDIA_UPLOADS, WechatPayService, WechatPayValidationError } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { bootWechatPay, NO_RECEIVER_NOTIFY_URL } from '../support/wechatpay-app.js';

const MB = 1024 * 1024;
const jpg = (size = 700) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('media upload (multipart, signed over meta)', () => {
  let simulator: WechatPaySimulator;
  let app: INestApplication;
  let wechatPay: WechatPayService;

  beforeAll(async () => {
    simulator = await new WechatPaySimulator({ backup: false }).start();
    ({ app, wechatPay } = await bootWechatPay(
      simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
    ));
  });
  afterAll(async () => {
    await app?.close();
    await simulator?.stop();
  });

  /** Posts a hand-made upload, signed over `signed`, to the simulator. */
  const rawUpload = async (meta: string, file: Buffer, signed: string) => {
    const path = MEDIA_UPLOADS.merchantImage.path;
    const { body, contentType } = mediaMultipart({
      meta,
      file,
      filename: 'x.jpg',
      contentType: 'image/jpeg',
    });
    const response = await fetch(simulator.url + path, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': contentType,
        Authorization: wechatPay.authorization('POST', path, signed),
      },
    });
    return { status: response.status, body: (await response.json()) as { code?: string } };
  };

  it('uploads an image whose meta signature and sha256 the simulator verifies', async () => {
    const content = jpg();
    const { media_id } = await wechatPay.media.uploadImage({ filename: 'license.jpg', content });
    expect(media_id).toMatch(/\.jpg$/);
    expect(simulator.requests.at(-1)).toMatchObject({
      path: '/v3/merchant/media/upload',
      status: 200,
    });
  });

  it('uploads to any media endpoint with its own rules (a video of the onboarding API)', async () => {
    const video = Buffer.concat([Buffer.from('....ftypmp42'), randomBytes(3000)]);
    const { media_id } = await wechatPay.media.upload(MEDIA_UPLOADS.merchantVideo, {
      filename: 'store.mp4',
      content: video,
    });
    expect(media_id).toMatch(/\.mp4$/);
  });

  it('is refused by WeChat Pay when the signature covers the whole body instead of meta', async () => {
    const file = jpg();
    const meta = JSON.stringify({ filename: 'x.jpg', sha256: sha256(file) });
    expect((await rawUpload(meta, file, meta)).status).toBe(200);
    const whole = mediaMultipart({ meta, file, filename: 'x.jpg', contentType: 'image/jpeg' });
    expect(await rawUpload(meta, file, whole.body.toString('latin1'))).toMatchObject({
      status: 401,
      body: { code: 'SIGN_ERROR' },
    });
  });

  it('is refused by WeChat Pay when the file does not match meta.sha256', async () => {
    const file = jpg();
    const meta = JSON.stringify({ filename: 'x.jpg', sha256: sha256(jpg()) });
    expect(await rawUpload(meta, file, meta)).toMatchObject({
      status: 400,
      body: { code: 'PARAM_ERROR' },
    });
  });

  it.each([
    ['over 2 MB', 'big.jpg', jpg(2 * MB + 1), /at most 2097152 bytes/],
    ['a type outside jpg, png, bmp', 'anim.gif', Buffer.from('GIF89a....'), /jpg, png, bmp/],
    ['.jpeg instead of .jpg', 'photo.jpeg', jpg(), /rename \.jpeg to \.jpg/],
    ['content that is not the type named', 'fake.png', jpg(), /is not a PNG file/],
    ['an empty file', 'empty.jpg', Buffer.alloc(0), /non-empty Buffer/],
    ['a path instead of a file name', '../x.jpg', jpg(), /bare file name/],
  ])('refuses %s before sending', async (_, filename, content, message) => {
    const sent = simulator.requests.length;
    const error = await wechatPay.complaints
      .uploadImage({ filename, content })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayValidationError);
    expect((error as Error).message).toMatch(message);
    expect(simulator.requests.length).toBe(sent);
  });

  it('refuses a video over 5 MB before sending', async () => {
    await expect(
      wechatPay.media.upload(MEDIA_UPLOADS.merchantVideo, {
        filename: 'long.mp4',
        content: Buffer.alloc(5 * MB + 1),
      }),
    ).rejects.toThrow(/at most 5242880 bytes/);
  });
});
