import { SimulatorError } from '../v3/answers.js';

/** A media upload as WeChat Pay receives it: the `meta` JSON text and the file part. */
export interface SimulatorUpload {
  /** The `meta` part's bytes as text: what the request signature covers. */
  meta: string;
  file: Buffer;
  /** The file part's `filename`. */
  filename: string | undefined;
  /** The file part's Content-Type. */
  contentType: string | undefined;
}

const invalid = (why: string) =>
  new SimulatorError(400, 'PARAM_ERROR', `multipart 请求格式错误 (${why})`);

/**
 * Reads a `multipart/form-data` upload (a `meta` part and a `file` part), refusing a body that
 * is not one as WeChat Pay would (400 PARAM_ERROR).
 */
export function parseUpload(contentType: string, body: Buffer): SimulatorUpload {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw invalid('no boundary in Content-Type');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { headers: string; content: Buffer }[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const from = start + delimiter.length;
    if (body.subarray(from, from + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, from);
    if (next === -1) throw invalid('unterminated part');
    const part = body.subarray(from + 2, next - 2); // the CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) throw invalid('part without headers');
    parts.push({
      headers: part.subarray(0, split).toString('utf8'),
      content: part.subarray(split + 4),
    });
    start = next;
  }
  const named = (name: string) =>
    parts.find((p) => new RegExp(`name="${name}"`, 'i').test(p.headers));
  const meta = named('meta');
  const file = named('file');
  if (!meta || !file) throw invalid('a meta part and a file part are required');
  return {
    meta: meta.content.toString('utf8'),
    file: file.content,
    filename: /filename="([^"]*)"/i.exec(file.headers)?.[1],
    contentType: /content-type:\s*([^\r\n]+)/i.exec(file.headers)?.[1]?.trim(),
  };
}
