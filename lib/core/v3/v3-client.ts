import { buildAuthorization } from '../crypto/authorization.js';
import type { WechatPayConfig } from '../config/resolve-config.js';
import { WechatPayError, WechatPaySignatureError } from '../errors.js';
import { decisionForUnusableAnswer } from '../retry-decision.js';
import type {
  HttpMethod,
  HttpTransport,
  TransportResponse,
  TransportStreamResponse,
} from '../http/transport.js';
import { mediaMultipart, type MediaUploadBody } from '../http/multipart.js';
import { type AttemptObserver, observeCall } from '../telemetry/call-telemetry.js';
import { urlTemplate } from '../telemetry/url-template.js';
import { apiErrorOf, type PlatformKeyStore } from './platform-key-store.js';
import type { V3SignatureVerifier } from './signature-verifier.js';

/** Options of one API v3 call. */
export interface V3RequestOptions {
  /** Query parameters; `undefined` values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** The JSON body; serialised once, and exactly those bytes are signed and sent. */
  body?: unknown;
  /**
   * May the request be sent again (to the backup domain) after a broken connection or a
   * timeout? Defaults to true for GET, false otherwise.
   */
  idempotent?: boolean;
  /** `Wechatpay-Serial` to send, e.g. the serial a sensitive field was encrypted for. */
  wechatpaySerial?: string;
}

/** A verified API v3 answer. */
export interface V3Response<T> {
  status: number;
  data: T;
  requestId: string | undefined;
}

/**
 * API v3 over a transport: signs each request, verifies each answer's signature before
 * parsing it, and maps error answers to `WechatPayApiError`.
 */
export class WechatPayV3Client {
  constructor(
    private readonly config: WechatPayConfig,
    private readonly transport: HttpTransport,
    private readonly keys: PlatformKeyStore,
    private readonly verifier: V3SignatureVerifier,
  ) {}

  /**
   * Calls an API v3 endpoint.
   * @throws WechatPayApiError for a non-2xx answer
   * @throws WechatPaySignatureError when a 2xx answer does not verify; no data is returned
   * @throws WechatPayNetworkError when no domain answered
   */
  async request<T>(
    method: HttpMethod,
    path: string,
    options: V3RequestOptions = {},
  ): Promise<V3Response<T>> {
    const url = canonicalUrl(withQuery(path, options.query));
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    return this.observed(method, url, async (observer) => {
      const response = await this.sendCanonical(method, url, body, options, observer);
      return this.verifiedJson<T>(
        response,
        `the answer to ${method} ${path}`,
        idempotentRequest(method, options),
      );
    });
  }

  /** Runs one call inside its span and duration metric (see `observeCall`). */
  private observed<T>(
    method: HttpMethod,
    url: string,
    call: (observer: AttemptObserver | undefined) => Promise<T>,
  ): Promise<T> {
    return observeCall('v3', method, urlTemplate(url), call);
  }

  /**
   * Uploads a file to a media endpoint as `multipart/form-data` whose signature covers only the
   * `meta` JSON text (WeChat Pay's rule for uploads), then verifies the answer like
   * {@link request}. Never re-sent after a broken connection: WeChat Pay does not deduplicate
   * uploads (a second upload only yields a second media id, so callers may retry themselves).
   * @throws the errors of {@link request}
   */
  async upload<T>(path: string, upload: MediaUploadBody): Promise<V3Response<T>> {
    const url = canonicalUrl(path);
    const { body, contentType } = mediaMultipart(upload);
    return this.observed('POST', url, async (observer) => {
      const response = await this.transport.send({
        method: 'POST',
        path: url,
        body,
        headers: { ...this.staticHeaders(false, undefined), 'Content-Type': contentType },
        headersForAttempt: () => ({
          Authorization: this.authorization('POST', url, upload.meta),
        }),
        idempotent: false,
        observer,
      });
      return this.verifiedJson<T>(response, `the answer to POST ${path}`, false);
    });
  }

  private async verifiedJson<T>(
    response: TransportResponse,
    what: string,
    idempotent: boolean,
  ): Promise<V3Response<T>> {
    if (response.status < 200 || response.status >= 300) throw apiErrorOf(response, idempotent);
    await this.verifier.verify(response.headers, response.body, what).catch((error: unknown) => {
      throw unverified(error, what, idempotent);
    });
    return {
      status: response.status,
      data: parseJson<T>(response.body, what, idempotent),
      requestId: response.headers['request-id'],
    };
  }

  /**
   * A signed request whose answer is returned unverified and unparsed: for
   * `/v3/certificates`, which the key store verifies itself.
   */
  send(
    method: HttpMethod,
    rawUrl: string,
    body: string | undefined,
    options: Pick<V3RequestOptions, 'idempotent' | 'wechatpaySerial'> = {},
  ): Promise<TransportResponse> {
    const url = canonicalUrl(rawUrl);
    return this.observed(method, url, (observer) =>
      this.sendCanonical(method, url, body, options, observer),
    );
  }

  private sendCanonical(
    method: HttpMethod,
    url: string,
    body: string | undefined,
    options: Pick<V3RequestOptions, 'idempotent' | 'wechatpaySerial'>,
    observer: AttemptObserver | undefined,
  ): Promise<TransportResponse> {
    return this.transport.send({
      method,
      path: url,
      body,
      headers: this.staticHeaders(body !== undefined, options.wechatpaySerial),
      headersForAttempt: () => ({ Authorization: this.authorization(method, url, body) }),
      idempotent: idempotentRequest(method, options),
      observer,
    });
  }

  /** A signed GET whose body is streamed: bill files, which are not signed by WeChat Pay. */
  async stream(rawUrl: string): Promise<TransportStreamResponse> {
    const url = canonicalUrl(rawUrl);
    // The span covers the call up to the headers: the body is read by the caller.
    return this.observed('GET', url, async (observer) => {
      const response = await this.transport.stream({
        method: 'GET',
        path: url,
        headers: { Accept: '*/*' },
        headersForAttempt: () => ({ Authorization: this.authorization('GET', url, undefined) }),
        idempotent: true,
        observer,
      });
      if (response.status !== 200) {
        const chunks: Buffer[] = [];
        for await (const chunk of response.body) chunks.push(chunk as Buffer);
        throw apiErrorOf({ ...response, body: Buffer.concat(chunks) }, true);
      }
      return response;
    });
  }

  /**
   * A signed GET of binary content (complaint images) read whole, at most `maxBytes`. An answer
   * that carries WeChat Pay's signature headers must verify over the bytes; one without them is
   * taken as bill files are (the documentation gives no signature for binary answers).
   * @throws WechatPayApiError for a non-200 answer
   * @throws WechatPayError when the content exceeds `maxBytes` (the download is abandoned)
   * @throws WechatPaySignatureError when a signature sent with the content does not verify
   */
  async downloadBinary(
    rawUrl: string,
    maxBytes: number,
  ): Promise<{ content: Buffer; contentType: string | undefined }> {
    const response = await this.stream(rawUrl);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new WechatPayError(
          `the content of GET ${rawUrl.split('?')[0]} exceeds ${maxBytes} bytes: raise maxBytes if such files are expected`,
          { retrySafe: false },
        );
      }
      chunks.push(chunk as Buffer);
    }
    const content = Buffer.concat(chunks);
    if (response.headers['wechatpay-signature'] !== undefined) {
      const what = `the content of GET ${rawUrl.split('?')[0]}`;
      await this.verifier.verify(response.headers, content, what).catch((error: unknown) => {
        throw unverified(error, what, true);
      });
    }
    return { content, contentType: response.headers['content-type'] };
  }

  /** The `Authorization` header value for one request, as every call makes it. */
  authorization(method: string, url: string, body: string | undefined): string {
    const { privateKey, serialNo, mchid } = this.config;
    if (!privateKey || !serialNo) {
      throw new WechatPayError(
        `API v3 is not configured for merchant ${mchid}: set privateKey (or privateKeyPath), serialNo and apiV3Key`,
      );
    }
    return buildAuthorization({ method, url, body, mchid, serialNo, privateKey });
  }

  private staticHeaders(hasBody: boolean, serial: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (hasBody) headers['Content-Type'] = 'application/json';
    const wechatpaySerial = serial ?? this.keys.preferredSerial();
    if (wechatpaySerial) headers['Wechatpay-Serial'] = wechatpaySerial;
    return headers;
  }
}

/**
 * The path exactly as it will go on the wire (percent-encoded, dot segments resolved), so the
 * signed string and the request line are the same bytes.
 */
export function canonicalUrl(pathWithQuery: string): string {
  const url = new URL(pathWithQuery, 'http://canonical.invalid');
  return url.pathname + url.search;
}

/** Reads are idempotent unless told otherwise; writes only when the caller says so. */
function idempotentRequest(
  method: HttpMethod,
  options: Pick<V3RequestOptions, 'idempotent'>,
): boolean {
  return options.idempotent ?? method === 'GET';
}

function withQuery(path: string, query: V3RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.append(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

function parseJson<T>(body: Buffer, what: string, idempotent: boolean): T {
  if (body.length === 0) return undefined as T;
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch (cause) {
    throw new WechatPayError(`${what} is not JSON`, {
      cause,
      ...decisionForUnusableAnswer(idempotent),
    });
  }
}

/**
 * The request was answered, so whatever stopped the answer's verification (say, the platform
 * certificates could not be downloaded) leaves its outcome unknown: report it as such, not as
 * the failure of that other call.
 */
function unverified(error: unknown, what: string, idempotent: boolean): unknown {
  const decision = decisionForUnusableAnswer(idempotent);
  if (error instanceof WechatPaySignatureError) {
    if (error.retrySafe === decision.retrySafe) return error;
    return new WechatPaySignatureError(error.message, { cause: error, ...decision });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new WechatPaySignatureError(`${what} could not be verified: ${reason}`, {
    cause: error,
    ...decision,
  });
}
