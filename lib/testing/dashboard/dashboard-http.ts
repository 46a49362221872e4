import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/io.js';

/** Largest JSON body an action accepts. */
const MAX_ACTION_BYTES = 16 * 1024;

/** A refusal of the dashboard API: its HTTP status and what to fix. */
export class DashboardHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Headers every dashboard answer carries: no caching, no sniffing, no framing, and (for the page)
 * a policy that lets it load only its own script and stylesheet and talk only to its own API.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/** Answers with a JSON document. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(body));
}

/** Answers with a static asset (the page, its script or its stylesheet). */
export function sendAsset(res: ServerResponse, contentType: string, body: string): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentType }).end(body);
}

/**
 * Refuses a request that did not come from a page on 127.0.0.1 itself: a `Host` other than the
 * loopback address (a DNS-rebinding page), or a cross-site `Origin` (a page elsewhere posting to
 * the simulator in the developer's browser).
 */
export function assertLocalRequest(req: IncomingMessage): void {
  const port = req.socket.localPort;
  const allowed = ['127.0.0.1', 'localhost', '[::1]'].map((host) => `${host}:${port}`);
  if (!allowed.includes(req.headers.host ?? '')) {
    throw new DashboardHttpError(
      403,
      `the dashboard answers only on ${allowed[0]} (Host was ${req.headers.host ?? 'missing'})`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowed.some((host) => origin === `http://${host}`)) {
    throw new DashboardHttpError(403, `cross-origin request from ${origin} refused`);
  }
}

/**
 * The JSON object an action was sent with (`{}` for an empty body). Requiring
 * `application/json` means a page elsewhere cannot send it without a CORS preflight, which the
 * dashboard never grants.
 */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new DashboardHttpError(
      415,
      `send actions as Content-Type: application/json (got ${type || 'none'})`,
    );
  }
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_ACTION_BYTES);
  } catch {
    throw new DashboardHttpError(413, `the body is larger than ${MAX_ACTION_BYTES} bytes`);
  }
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DashboardHttpError(400, 'the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DashboardHttpError(400, 'the body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
