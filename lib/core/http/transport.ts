import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { WechatPayNetworkError } from '../errors.js';
import type { ResolvedDomains } from './domains.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request, independent of the domain it goes to. */
export interface TransportRequest {
  method: HttpMethod;
  /** Path and query, starting with `/`. */
  path: string;
  body?: string | Buffer;
  /** Headers that are the same on every attempt. */
  headers?: Record<string, string>;
  /**
   * Headers made fresh for each attempt, e.g. an `Authorization` with its own nonce and
   * timestamp, so a failover attempt is never a replay.
   */
  headersForAttempt?: () => Record<string, string>;
  /**
   * Whether the request may be sent again after the connection broke mid-request or timed out:
   * true for reads and for writes keyed by a merchant-chosen number (out_trade_no,
   * out_refund_no), which WeChat Pay deduplicates. A request that never left (connection
   * refused, DNS failure) is always sent to the backup.
   */
  idempotent: boolean;
}

/** A complete answer: any HTTP status, the raw body bytes. */
export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
  /** The base URL that answered. */
  baseUrl: string;
}

/** An answer whose body is still arriving. */
export interface TransportStreamResponse extends Omit<TransportResponse, 'body'> {
  body: Readable;
}

export interface TransportOptions {
  domains: ResolvedDomains;
  /** Per-attempt timeout in milliseconds. */
  timeout: number;
  /** Sent as `User-Agent`. */
  userAgent: string;
  /** TLS options for every HTTPS agent, e.g. the v2 client certificate. */
  tls?: Pick<HttpsAgentOptions, 'cert' | 'key' | 'pfx' | 'passphrase' | 'ca'>;
}

/** Errors raised before any byte of the request left: re-sending cannot duplicate anything. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * HTTP to WeChat Pay: one keep-alive agent per domain, a timeout per attempt, and failover to the
 * backup domain on connection errors and timeouts, never on an HTTP answer. At most one attempt
 * per domain, so retries stay bounded.
 */
export class HttpTransport {
  private readonly agents = new Map<string, HttpAgent>();
  private readonly http: AxiosInstance;

  constructor(private readonly options: TransportOptions) {
    this.http = axios.create({
      timeout: options.timeout,
      maxRedirects: 0,
      // Every status is an answer for the caller to interpret; only transport failures throw.
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
      // Signatures cover the exact bytes: keep them untouched.
      transformResponse: [],
      decompress: true,
    });
    for (const baseUrl of this.baseUrls) this.agents.set(baseUrl, this.createAgent(baseUrl));
  }

  /** The base URLs tried, in order. */
  get baseUrls(): string[] {
    const { primary, backup } = this.options.domains;
    return backup ? [primary, backup] : [primary];
  }

  /** Sends the request and reads the whole answer. */
  async send(request: TransportRequest): Promise<TransportResponse> {
    const response = await this.exchange<ArrayBuffer>(request, 'arraybuffer');
    return { ...response, body: Buffer.from(response.body) };
  }

  /** Sends the request and returns the answer as soon as its headers arrive. */
  stream(request: TransportRequest): Promise<TransportStreamResponse> {
    return this.exchange<Readable>(request, 'stream');
  }

  private exchange<T>(
    request: TransportRequest,
    responseType: 'arraybuffer' | 'stream',
  ): Promise<Omit<TransportResponse, 'body'> & { body: T }> {
    return this.attempt(request, async (baseUrl) => {
      const response = await this.http.request<T>({
        ...this.axiosConfig(request, baseUrl),
        responseType,
      });
      return {
        status: response.status,
        headers: normaliseHeaders(response.headers),
        body: response.data,
        baseUrl,
      };
    });
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
  }

  private async attempt<T>(
    request: TransportRequest,
    send: (baseUrl: string) => Promise<T>,
  ): Promise<T> {
    const failures: string[] = [];
    const tried: string[] = [];
    for (const baseUrl of this.baseUrls) {
      tried.push(baseUrl);
      try {
        return await send(baseUrl);
      } catch (error) {
        const code = errorCode(error);
        failures.push(`${baseUrl}: ${describe(code, error, this.options.timeout)}`);
        const retryable = NOT_SENT.has(code) || request.idempotent;
        if (!retryable || tried.length === this.baseUrls.length) {
          const hint =
            !retryable && tried.length < this.baseUrls.length
              ? ' Not retried on the backup domain because the request may have been received and is not idempotent: query its result before sending it again.'
              : '';
          // Not the AxiosError itself as the cause: it holds the request's Authorization header,
          // body and TLS options, which must never reach a log.
          throw new WechatPayNetworkError(
            `${request.method} ${request.path.split('?')[0]} got no answer (${failures.join('; ')}).${hint}`,
            tried,
            { cause: new Error(code) },
          );
        }
      }
    }
    /* c8 ignore next */
    throw new WechatPayNetworkError('no domain configured', tried);
  }

  private axiosConfig(request: TransportRequest, baseUrl: string) {
    const agent = this.agents.get(baseUrl);
    return {
      method: request.method,
      url: baseUrl + request.path,
      data: request.body,
      headers: {
        'User-Agent': this.options.userAgent,
        ...request.headers,
        ...request.headersForAttempt?.(),
      },
      httpAgent: agent,
      httpsAgent: agent,
      proxy: false as const,
    };
  }

  private createAgent(baseUrl: string): HttpAgent {
    const common = { keepAlive: true, maxSockets: 64, scheduling: 'lifo' as const };
    return baseUrl.startsWith('https:')
      ? new HttpsAgent({ ...common, ...this.options.tls })
      : new HttpAgent(common);
  }
}

function normaliseHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string') result[name.toLowerCase()] = value;
    else if (Array.isArray(value)) result[name.toLowerCase()] = value.join(', ');
    else if (typeof value === 'number') result[name.toLowerCase()] = String(value);
  }
  return result;
}

function errorCode(error: unknown): string {
  if (isAxiosError(error)) return error.code ?? 'ERR_NETWORK';
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'ERR_NETWORK';
}

function describe(code: string, error: unknown, timeout: number): string {
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') return `timed out after ${timeout} ms`;
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(code) ? message : `${code} ${message}`;
}
