import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { WechatPayApiError, WechatPayNetworkError, WechatPaySignatureError } from '../errors.js';
import { instruments, startRecordingSpan } from './instruments.js';

/** Told by the transport about each failover attempt of a call. */
export interface AttemptObserver {
  /** Attempt `attempt` (1 = primary domain) goes to `baseUrl`. */
  attemptStarted(baseUrl: string, attempt: number): void;
  /** Attempt `attempt` got no answer (`code`: ECONNREFUSED, ETIMEDOUT…). */
  attemptFailed(baseUrl: string, attempt: number, code: string): void;
  /** An answer came, with this HTTP status and these (lower-case) headers. */
  answered(status: number, headers: Record<string, string>): void;
}

/** How a call ended, as the `wechatpay.outcome` metric attribute says it. */
type CallOutcome = 'success' | 'api_error' | 'network_error' | 'signature_error' | 'error';

/**
 * The span and the duration metric of one WeChat Pay call, following the OpenTelemetry HTTP
 * client conventions. Attributes hold the path template, never the concrete path, query or
 * body: those carry order numbers. {@link start} returns `undefined` when no SDK records
 * anything, so an app without OpenTelemetry pays for one provider lookup per call.
 */
export class CallTelemetry implements AttemptObserver {
  private readonly startedAt = performance.now();
  private attempt = 0;
  private host: string | undefined;
  private status: number | undefined;

  private constructor(
    private readonly span: Span | undefined,
    private readonly attributes: Attributes,
  ) {}

  /**
   * Starts the telemetry of a call, or `undefined` when neither traces nor metrics are recorded.
   * @param template the path template (`urlTemplate` of the path), never the concrete path
   */
  static start(
    apiVersion: 'v2' | 'v3',
    method: string,
    template: string,
  ): CallTelemetry | undefined {
    const attributes: Attributes = {
      'http.request.method': method,
      'url.template': template,
      'wechatpay.api_version': apiVersion,
    };
    const span = startRecordingSpan(`${method} ${template}`, { kind: SpanKind.CLIENT, attributes });
    if (!span && instruments() === undefined) return undefined;
    return new CallTelemetry(span, attributes);
  }

  /** Runs `send` with the call's span active, so HTTP instrumentation nests under it. */
  run<T>(send: () => Promise<T>): Promise<T> {
    if (!this.span) return send();
    return context.with(trace.setSpan(context.active(), this.span), send);
  }

  attemptStarted(baseUrl: string, attempt: number): void {
    this.attempt = attempt;
    this.host = hostOf(baseUrl);
  }

  attemptFailed(baseUrl: string, attempt: number, code: string): void {
    this.span?.addEvent('wechatpay.failover', {
      'server.address': hostOf(baseUrl),
      'wechatpay.failover.attempt': attempt,
      'error.type': code,
    });
  }

  answered(status: number, headers: Record<string, string>): void {
    this.status = status;
    const requestId = headers['request-id'];
    if (requestId) this.span?.setAttribute('wechatpay.request_id', requestId);
  }

  /** Ends the call: with `error` when it threw. */
  end(error?: unknown): void {
    const outcome = outcomeOf(error);
    const final: Attributes = {};
    if (this.host !== undefined) {
      final['server.address'] = this.host;
      final['wechatpay.domain'] = this.attempt > 1 ? 'backup' : 'primary';
      final['wechatpay.failover.attempt'] = this.attempt;
    }
    if (this.status !== undefined) final['http.response.status_code'] = this.status;
    const errorType = errorTypeOf(error, this.status);
    if (errorType !== undefined) final['error.type'] = errorType;
    if (error instanceof WechatPayApiError) final['wechatpay.code'] = error.code;
    const span = this.span;
    if (span) {
      span.setAttributes(final);
      if (error !== undefined) {
        // The error's name only: messages may quote fields of the request.
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
      }
      span.end();
    }
    instruments()?.callDuration.record((performance.now() - this.startedAt) / 1000, {
      'wechatpay.operation': `${String(this.attributes['http.request.method'])} ${String(this.attributes['url.template'])}`,
      'wechatpay.api_version': this.attributes['wechatpay.api_version'],
      'wechatpay.outcome': outcome,
      ...(final['wechatpay.code'] !== undefined && { 'wechatpay.code': final['wechatpay.code'] }),
      ...(errorType !== undefined && { 'error.type': errorType }),
    });
  }
}

/**
 * Runs one call inside its span and duration metric; just runs it (no observer) when no
 * OpenTelemetry SDK is registered.
 * @param template the path template (`urlTemplate` of the path), never the concrete path
 */
export async function observeCall<T>(
  apiVersion: 'v2' | 'v3',
  method: string,
  template: string,
  call: (observer: AttemptObserver | undefined) => Promise<T>,
): Promise<T> {
  const telemetry = CallTelemetry.start(apiVersion, method, template);
  if (!telemetry) return call(undefined);
  try {
    const result = await telemetry.run(() => call(telemetry));
    telemetry.end();
    return result;
  } catch (error) {
    telemetry.end(error);
    throw error;
  }
}

function outcomeOf(error: unknown): CallOutcome {
  if (error === undefined) return 'success';
  if (error instanceof WechatPayApiError) return 'api_error';
  if (error instanceof WechatPayNetworkError) return 'network_error';
  if (error instanceof WechatPaySignatureError) return 'signature_error';
  return 'error';
}

/**
 * `error.type` as the HTTP conventions want it: the status code of an error answer, the
 * network error code (ECONNREFUSED, ETIMEDOUT…) when no domain answered, else the error's class.
 */
function errorTypeOf(error: unknown, status: number | undefined): string | undefined {
  if (error === undefined) return undefined;
  if (error instanceof WechatPayApiError) {
    // An API v2 refusal comes with HTTP 200: its code says what failed.
    return error.status >= 400 ? String(error.status) : error.code;
  }
  if (status !== undefined && status >= 400) return String(status);
  if (error instanceof WechatPayNetworkError) {
    const code = (error.cause as Error | undefined)?.message;
    if (code && /^E[A-Z_]+$/.test(code)) return code;
  }
  return error instanceof Error ? error.constructor.name : '_OTHER';
}

function hostOf(baseUrl: string): string {
  return new URL(baseUrl).hostname;
}
