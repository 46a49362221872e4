/** An answer of a simulated endpoint. `body: undefined` is an empty 204-style answer. */
export interface SimulatorAnswer {
  status: number;
  body?: unknown;
  /** Raw bytes that are sent unsigned, as bill files are. */
  file?: Buffer;
}

/** A request as the routes see it, after authentication. */
export interface SimulatorRequest {
  method: string;
  url: URL;
  json: Record<string, unknown>;
  /** The mchid of the verified Authorization header. */
  mchid: string;
  /** Base URL of the listener that received it, for links in answers. */
  baseUrl: string;
  /** The `Wechatpay-Serial` header: the key the request's sensitive fields are encrypted for. */
  wechatpaySerial?: string;
}

/** One API v3 endpoint: its method, its path pattern, and what answers it. */
export type V3Route = [
  method: string,
  pattern: RegExp,
  handler: (req: SimulatorRequest, match: string[]) => SimulatorAnswer,
];

/** A WeChat Pay error answer. */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** WeChat Pay's 400 PARAM_ERROR. */
export const param = (message: string) => new SimulatorError(400, 'PARAM_ERROR', message);

/** A 404 with WeChat Pay's code for the missing thing, for `findOrThrow`. */
export const notFound = (code: string, message: string) => () =>
  new SimulatorError(404, code, message);

/** A 200 answer. */
export function ok(body: unknown): SimulatorAnswer {
  return { status: 200, body };
}

/** A required, non-empty string field of a request body. */
export function str(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '')
    throw param(`${field} 为必填参数 (${field} is required)`);
  return value;
}
