import { createHash } from 'node:crypto';
import { findOrThrow } from '../../find-or-throw.js';
import {
  notFound,
  ok,
  param,
  type SimulatorAnswer,
  type SimulatorRequest,
  type V3Route,
} from '../../v3/answers.js';
import type { SimulatorProduct } from '../product.js';
import { MediaStore } from './media-store.js';

const MB = 1024 * 1024;
const IMAGES = { extensions: ['jpg', 'png', 'bmp'], maxBytes: 2 * MB };

/** What each upload endpoint accepts, as WeChat Pay documents it. */
const ENDPOINTS: [RegExp, { extensions: string[]; maxBytes: number }][] = [
  [/^\/v3\/merchant\/media\/upload$/, IMAGES],
  [/^\/v3\/merchant-service\/images\/upload$/, IMAGES],
  [
    /^\/v3\/merchant\/media\/video_upload$/,
    {
      extensions: ['avi', 'wmv', 'mpeg', 'mp4', 'mov', 'mkv', 'flv', 'f4v', 'm4v', 'rmvb'],
      maxBytes: 5 * MB,
    },
  ],
];

/**
 * Media uploads and complaint image downloads. An upload must be signed over its `meta` JSON
 * (the request handler checks that); here the file must match `meta.sha256` and the endpoint's
 * types and size, as WeChat Pay checks them.
 */
export class MediaProduct implements SimulatorProduct {
  readonly store = new MediaStore();
  readonly v3Routes: V3Route[] = [
    ...ENDPOINTS.map(([pattern, rules]): V3Route => [
      'POST',
      pattern,
      (r) => this.upload(r, rules),
    ]),
    [
      'GET',
      /^\/v3\/merchant-service\/images\/(.+)$/,
      (r, m) => {
        const media = findOrThrow(
          this.store.get(m[1]!),
          notFound('RESOURCE_NOT_EXISTS', '图片不存在 (no such image)'),
        );
        if (media.mchid !== r.mchid) throw notFound('RESOURCE_NOT_EXISTS', '图片不存在')();
        return { status: 200, file: media.content, contentType: media.contentType };
      },
    ],
  ];

  private upload(
    req: SimulatorRequest,
    rules: { extensions: string[]; maxBytes: number },
  ): SimulatorAnswer {
    const { upload } = req;
    if (!upload) throw param('请使用 multipart/form-data 上传 (use multipart/form-data)');
    const { filename, sha256 } = req.json;
    if (typeof filename !== 'string' || typeof sha256 !== 'string') {
      throw param('meta 须包含 filename 和 sha256 (meta needs filename and sha256)');
    }
    const extension = filename.split('.').pop()?.toLowerCase() ?? '';
    if (!rules.extensions.includes(extension)) {
      throw param(`文件格式不支持，仅支持 ${rules.extensions.join('、')} (unsupported type)`);
    }
    if (upload.file.length > rules.maxBytes) {
      throw param(`文件大小不能超过 ${rules.maxBytes / MB}M (file too large)`);
    }
    if (createHash('sha256').update(upload.file).digest('hex') !== sha256.toLowerCase()) {
      throw param('文件摘要 sha256 与文件内容不一致 (sha256 does not match the file)');
    }
    const media = this.store.add(
      {
        content: upload.file,
        contentType: upload.contentType ?? 'application/octet-stream',
        filename,
        mchid: req.mchid,
      },
      'merchant',
    );
    return ok({ media_id: media.mediaId });
  }
}
