import {
  Agent as HttpAgent,
  type IncomingMessage,
  request as httpRequest,
  type RequestOptions,
} from 'node:http';
import {
  Agent as HttpsAgent,
  type AgentOptions as HttpsAgentOptions,
  request as httpsRequest,
} from 'node:https';
import type { Readable } from 'node:stream';
import { WechatPayNetworkError } from '../errors.js';
import { decisionForNoAnswer } from '../retry-decision.js';
import type { AttemptObserver } from '../telemetry/call-telemetry.js';
import type { ResolvedDomains } from './domains.js';
import { withIdleTimeout } from './idle-timeout.js';

/** The HTTP methods WeChat Pay APIs use. */
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
  /** Told about each attempt and the answer, for the call's span and metrics. */
  observer?: AttemptObserver;
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
  /**
   * Deadline of each attempt in milliseconds, covering connect, TLS, sending, the headers and
   * the whole body of the answer; for {@link HttpTransport.stream} and
   * {@link HttpTransport.download} (large files), the headers, then each wait for more data.
   */
  timeout: number;
  /** Sent as `User-Agent`. */
  userAgent: string;
  /** TLS options for every HTTPS agent, e.g. the v2 client certificate. */
  tls?: Pick<HttpsAgentOptions, 'cert' | 'key' | 'pfx' | 'passphrase' | 'ca'>;
}

/** The deadline of one attempt: `onExpiry` aborts whatever the attempt has under way. */
interface Deadline {
  expired: boolean;
  onExpiry?: () => void;
}

/** Where one base URL's requests go. */
interface Target {
  agent: HttpAgent;
  send: typeof httpRequest;
  options: RequestOptions;
}

/** Errors raised before any byte of the request left: re-sending cannot duplicate anything. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The code of an attempt whose deadline ran out, whatever phase it was in. */
const TIMED_OUT = 'ETIMEDOUT';

/**
 * HTTP to WeChat Pay: one keep-alive agent per domain, a deadline per attempt, and failover to
 * the backup domain on connection errors and timeouts, never on an HTTP answer. At most one
 * attempt per domain, so retries stay bounded.
 *
 * The deadline is a timer that aborts the attempt, not a socket idle timeout: a server that
 * sends a byte now and then cannot keep a request open past it.
 */
export class HttpTransport {
  /** Per base URL: its keep-alive agent and connection options, parsed once. */
  private readonly targets = new Map<string, Target>();

  constructor(private readonly options: TransportOptions) {
    for (const baseUrl of this.baseUrls) {
      const url = new URL(baseUrl);
      const agent = this.createAgent(baseUrl);
      this.targets.set(baseUrl, {
        agent,
        send: url.protocol === 'https:' ? httpsRequest : httpRequest,
        options: {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: url.port || undefined,
          agent,
        },
      });
    }
  }

  /** The base URLs tried, in order. */
  get baseUrls(): string[] {
    const { primary, backup } = this.options.domains;
    return backup ? [primary, backup] : [primary];
  }

  /** Sends the request and reads the whole answer. */
  async send(request: TransportRequest): Promise<TransportResponse> {
    return this.exchange<Buffer>(request, 'arraybuffer');
  }

  /**
   * Sends the request and returns the answer as soon as its headers arrive. The body stream
   * fails with a `WechatPayNetworkError` when it stalls for longer than `timeout` or breaks:
   * a large file may take longer than `timeout` in all, as long as it keeps arriving.
   */
  async stream(request: TransportRequest): Promise<TransportStreamResponse> {
    const response = await this.exchange<Readable>(request, 'stream');
    const { timeout } = this.options;
    const failed = (code: string, what: string) =>
      new WechatPayNetworkError(
        `${describeRequest(request)}: the answer from ${response.baseUrl} ${what}. ${retryHint(request.idempotent, false)}`,
        [response.baseUrl],
        { cause: new Error(code), retrySafe: request.idempotent },
      );
    const body = withIdleTimeout(response.body, timeout, {
      idle: () => failed(TIMED_OUT, `stopped: no data for ${timeout} ms`),
      broken: (cause) => failed(errorCode(cause), `broke off (${errorCode(cause)})`),
    });
    return { ...response, body };
  }

  /**
   * Sends the request and reads the whole answer, for files that may be large (API v2 bills):
   * `timeout` bounds the wait for the headers, then each wait for more data, so a file that
   * keeps arriving is never cut off. A stall counts as a timeout of the attempt (failover).
   */
  download(request: TransportRequest): Promise<TransportResponse> {
    const { timeout } = this.options;
    return this.attempt(request, async (baseUrl) => {
      const response = await this.withDeadline((deadline) =>
        this.sendOnce<Readable>(request, baseUrl, 'stream', deadline),
      );
      const chunks: Buffer[] = [];
      const body = withIdleTimeout(response.body, timeout, {
        idle: timedOut,
        // Only its code is kept by attempt(): the original error holds the request.
        broken: (cause) => (cause instanceof Error ? cause : new Error(String(cause))),
      });
      for await (const chunk of body) chunks.push(chunk as Buffer);
      return { ...response, body: Buffer.concat(chunks) };
    });
  }

  private exchange<T>(
    request: TransportRequest,
    responseType: 'arraybuffer' | 'stream',
  ): Promise<Omit<TransportResponse, 'body'> & { body: T }> {
    return this.attempt(request, (baseUrl) =>
      this.withDeadline((deadline) => this.sendOnce<T>(request, baseUrl, responseType, deadline)),
    );
  }

  /**
   * One exchange on node:http(s) directly: every status is an answer for the caller to
   * interpret, the body bytes are kept untouched (signatures cover them), no redirect is
   * followed and no proxy is used. (axios, used before, cost about 0.9 ms per call: as much as
   * the RSA signature itself; see test/bench/client.bench.ts.)
   */
  private sendOnce<T>(
    request: TransportRequest,
    baseUrl: string,
    responseType: 'arraybuffer' | 'stream',
    deadline: Deadline,
  ): Promise<Omit<TransportResponse, 'body'> & { body: T }> {
    const target = this.targets.get(baseUrl)!;
    const headers: Record<string, string | number> = {
      'User-Agent': this.options.userAgent,
      ...request.headers,
      ...request.headersForAttempt?.(),
    };
    if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);
    return new Promise((resolve, reject) => {
      const outgoing = target.send(
        { ...target.options, path: request.path, method: request.method, headers },
        (answer: IncomingMessage) => {
          const head = {
            status: answer.statusCode ?? 0,
            headers: normaliseHeaders(answer.headers),
            baseUrl,
          };
          if (responseType === 'stream') {
            resolve({ ...head, body: answer as T });
            return;
          }
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('error', reject);
          answer.on('aborted', () =>
            reject(Object.assign(new Error('ECONNRESET'), { code: 'ECONNRESET' })),
          );
          answer.on('end', () => resolve({ ...head, body: Buffer.concat(chunks) as T }));
        },
      );
      outgoing.on('error', reject);
      deadline.onExpiry = () => outgoing.destroy(timedOut());
      outgoing.end(request.body);
    });
  }

  /**
   * Runs one attempt, aborting it when `timeout` runs out. For a buffered answer the attempt
   * ends with the last byte of the body; for a streamed one, with the headers.
   */
  private async withDeadline<T>(run: (deadline: Deadline) => Promise<T>): Promise<T> {
    // A plain object rather than an AbortController: one fewer allocation chain per call.
    const deadline: Deadline = { expired: false };
    const timer = setTimeout(() => {
      deadline.expired = true;
      deadline.onExpiry?.();
    }, this.options.timeout);
    try {
      return await run(deadline);
    } catch (error) {
      throw deadline.expired ? timedOut() : error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    for (const { agent } of this.targets.values()) agent.destroy();
  }

  private async attempt<T extends Pick<TransportResponse, 'status' | 'headers'>>(
    request: TransportRequest,
    send: (baseUrl: string) => Promise<T>,
  ): Promise<T> {
    const failures: string[] = [];
    const tried: string[] = [];
    let mayHaveArrived = false;
    const { observer } = request;
    for (const baseUrl of this.baseUrls) {
      tried.push(baseUrl);
      observer?.attemptStarted(baseUrl, tried.length);
      try {
        const answer = await send(baseUrl);
        observer?.answered(answer.status, answer.headers);
        return answer;
      } catch (error) {
        const code = errorCode(error);
        observer?.attemptFailed(baseUrl, tried.length, code);
        failures.push(`${baseUrl}: ${describe(code, error, this.options.timeout)}`);
        mayHaveArrived ||= !NOT_SENT.has(code);
        const decision = decisionForNoAnswer(mayHaveArrived, request.idempotent);
        if (!decision.retrySafe || tried.length === this.baseUrls.length) {
          // Not the original error as the cause: it may hold the request's headers (with the
          // Authorization), body or TLS options, which must never reach a log.
          throw new WechatPayNetworkError(
            `${describeRequest(request)} got no answer (${failures.join('; ')}). ${retryHint(decision.retrySafe, tried.length < this.baseUrls.length)}`,
            tried,
            { cause: new Error(code), ...decision },
          );
        }
      }
    }
    /* c8 ignore next */
    throw new WechatPayNetworkError('no domain configured', tried);
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
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'ERR_NETWORK';
}

function timedOut(): Error {
  return Object.assign(new Error(TIMED_OUT), { code: TIMED_OUT });
}

/** Method and path, without the query (which may carry order numbers). */
function describeRequest(request: TransportRequest): string {
  return `${request.method} ${request.path.split('?')[0]}`;
}

/** What a caller may do after a failed request. */
function retryHint(retrySafe: boolean, backupNotTried: boolean): string {
  if (retrySafe) return 'It is safe to send again.';
  return `${backupNotTried ? 'Not retried on the backup domain: the' : 'The'} request may have been received and is not idempotent: query its result before sending it again.`;
}

function describe(code: string, error: unknown, timeout: number): string {
  if (code === TIMED_OUT) return `timed out after ${timeout} ms`;
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(code) ? message : `${code} ${message}`;
}
