import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { TrickleFault } from '../faults.js';

/** Reads a request body; rejects (and drops the connection) past `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes an answer at once, or a few bytes at a time for a `trickle` fault. */
export function write(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
  pace: TrickleFault | undefined,
): void {
  const bytes = Buffer.from(body);
  if (!pace || bytes.length === 0) {
    res.writeHead(status, headers).end(bytes);
    return;
  }
  res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) });
  res.flushHeaders();
  const step = pace.bytes ?? 1;
  let offset = 0;
  const timer = setInterval(() => {
    const piece = bytes.subarray(offset, offset + step);
    offset += step;
    if (offset < bytes.length) res.write(piece);
    else {
      clearInterval(timer);
      res.end(piece);
    }
  }, pace.intervalMs);
  res.on('close', () => clearInterval(timer));
}

/** The mchid of a client certificate the simulator's CA issued, if the request presented one. */
export function clientCertificateMchid(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (!socket.encrypted || !socket.authorized || !socket.getPeerCertificate) return undefined;
  const subject = socket.getPeerCertificate().subject as
    Record<string, string | string[]> | undefined;
  const cn = subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}
