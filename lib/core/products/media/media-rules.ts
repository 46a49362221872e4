import { WechatPayValidationError, type WechatPayValidationProblem } from '../../errors.js';
import { MEDIA_PATHS } from './media.paths.js';
import type { MediaFile, MediaUploadRules } from './media.types.js';

const MB = 1024 * 1024;
const IMAGE_EXTENSIONS = ['jpg', 'png', 'bmp'] as const;

/**
 * The documented limits of each media endpoint:
 * images "只支持JPG、BMP、PNG格式，文件大小不能超过2M"; videos "只支持avi、wmv、mpeg、mp4、mov、mkv、
 * flv、f4v、m4v、rmvb格式，文件大小不能超过5M".
 * @see https://pay.weixin.qq.com/doc/v3/partner/4012760490 (图片上传)
 * @see https://pay.weixin.qq.com/doc/v3/partner/4012761084 (视频上传)
 * @see https://pay.weixin.qq.com/doc/v3/partner/4012467222 (complaint images)
 */
export const MEDIA_UPLOADS = {
  merchantImage: {
    path: MEDIA_PATHS.merchantImage,
    extensions: IMAGE_EXTENSIONS,
    maxBytes: 2 * MB,
  },
  merchantVideo: {
    path: MEDIA_PATHS.merchantVideo,
    extensions: ['avi', 'wmv', 'mpeg', 'mp4', 'mov', 'mkv', 'flv', 'f4v', 'm4v', 'rmvb'],
    maxBytes: 5 * MB,
  },
  complaintImage: {
    path: MEDIA_PATHS.complaintImage,
    extensions: IMAGE_EXTENSIONS,
    maxBytes: 2 * MB,
  },
} as const satisfies Record<string, MediaUploadRules>;

/** Content-Type of the file part per extension, and the leading bytes of each image format. */
const KINDS: Record<string, { type: string; magic?: Buffer }> = {
  jpg: { type: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  png: { type: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  bmp: { type: 'image/bmp', magic: Buffer.from('BM', 'latin1') },
  avi: { type: 'video/x-msvideo' },
  wmv: { type: 'video/x-ms-wmv' },
  mpeg: { type: 'video/mpeg' },
  mp4: { type: 'video/mp4' },
  mov: { type: 'video/quicktime' },
  mkv: { type: 'video/x-matroska' },
  flv: { type: 'video/x-flv' },
  f4v: { type: 'video/x-f4v' },
  m4v: { type: 'video/x-m4v' },
  rmvb: { type: 'application/vnd.rn-realmedia-vbr' },
};

/**
 * Checks a file against an endpoint's rules before it is sent: a plain file name with an allowed
 * extension, a size within the limit, and, for images, content that is what the extension says.
 * @returns the file part's Content-Type
 * @throws WechatPayValidationError naming each problem and its fix
 */
export function checkMediaFile(file: MediaFile, rules: MediaUploadRules, what: string): string {
  const problems: WechatPayValidationProblem[] = [];
  const { filename, content } = (file ?? {}) as Partial<MediaFile>;
  const extension =
    typeof filename === 'string' ? /\.([^.]+)$/.exec(filename)?.[1]?.toLowerCase() : undefined;
  const allowed = rules.extensions.join(', ');
  if (typeof filename !== 'string' || filename.length === 0 || filename.length > 128) {
    problems.push({ field: 'filename', message: 'must be a file name of 1 to 128 characters' });
  } else if (/["\\/\r\n]/.test(filename)) {
    problems.push({
      field: 'filename',
      message: 'must be a bare file name, without ", \\, / or line breaks',
    });
  } else if (!extension || !rules.extensions.includes(extension)) {
    problems.push({
      field: 'filename',
      message: `must end in one of ${allowed} (the types ${rules.path} accepts)${extension === 'jpeg' ? ': rename .jpeg to .jpg' : ''}`,
    });
  }
  if (!Buffer.isBuffer(content) || content.length === 0) {
    problems.push({ field: 'content', message: 'must be a non-empty Buffer of the file' });
  } else if (content.length > rules.maxBytes) {
    problems.push({
      field: 'content',
      message: `is ${content.length} bytes; ${rules.path} accepts at most ${rules.maxBytes} bytes (${rules.maxBytes / MB} MB): compress or resize it`,
    });
  } else if (extension && rules.extensions.includes(extension)) {
    const magic = KINDS[extension]?.magic;
    if (magic && !content.subarray(0, magic.length).equals(magic)) {
      problems.push({
        field: 'content',
        message: `is not a ${extension.toUpperCase()} file, as its name says`,
      });
    }
  }
  if (problems.length) throw new WechatPayValidationError(what, problems);
  return KINDS[extension!]?.type ?? 'application/octet-stream';
}
