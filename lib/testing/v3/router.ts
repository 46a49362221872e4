import { SimulatorError, type SimulatorAnswer, type V3Route } from './answers.js';

/** An authenticated API v3 request, before its body is parsed. */
export interface V3RawRequest {
  method: string;
  /** Path and query, as received. */
  path: string;
  body: Buffer;
  mchid: string;
  baseUrl: string;
  /** The `Wechatpay-Serial` header, if sent. */
  wechatpaySerial?: string;
}

/** Finds the product route that answers an API v3 request. */
export class V3Router {
  constructor(private readonly routes: readonly V3Route[]) {}

  /** The answer of the first route whose method and pattern match, or 404. */
  handle(request: V3RawRequest): SimulatorAnswer {
    const url = new URL(request.path, 'http://simulator');
    let json: Record<string, unknown> = {};
    if (request.body.length) {
      try {
        json = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new SimulatorError(400, 'PARAM_ERROR', '请求体不是合法的 JSON (body is not JSON)');
      }
    }
    for (const [method, pattern, handler] of this.routes) {
      const match = pattern.exec(url.pathname);
      if (match && method === request.method) {
        return handler(
          {
            method: request.method,
            url,
            json,
            mchid: request.mchid,
            baseUrl: request.baseUrl,
            wechatpaySerial: request.wechatpaySerial,
          },
          match.map((part) => (part === undefined ? '' : decodeURIComponent(part))),
        );
      }
    }
    throw new SimulatorError(
      404,
      'RESOURCE_NOT_EXISTS',
      `no such endpoint: ${request.method} ${url.pathname}`,
    );
  }
}
