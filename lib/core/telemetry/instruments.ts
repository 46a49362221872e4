import {
  type Counter,
  createNoopMeter,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  type Span,
  type SpanOptions,
  trace,
  type Tracer,
} from '@opentelemetry/api';

/** The instrumentation scope of every span and metric of this package. */
export const INSTRUMENTATION_SCOPE = 'nestjs-wechatpay';

/** The metrics of this package; see the README's "Observability" section for each one. */
export interface WechatPayInstruments {
  /** `wechatpay.client.duration` (s): one WeChat Pay call, all failover attempts included. */
  callDuration: Histogram;
  /** `wechatpay.notifications`: notifications received, by outcome. */
  notifications: Counter;
  /** `wechatpay.notification.handler.duration` (s): the application's handler. */
  handlerDuration: Histogram;
  /** `wechatpay.platform_key.refreshes`: downloads of the platform certificate list. */
  keyRefreshes: Counter;
  /** `wechatpay.store.errors`: idempotency store calls that failed or ran out of time. */
  storeErrors: Counter;
}

// Boundaries for calls and handlers: WeChat Pay answers in tens of ms, the 5 s notification
// answer window and the default 10 s timeout bound the tail.
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const NOOP_HISTOGRAM = createNoopMeter().createHistogram('noop').constructor;

let provider: MeterProvider | undefined;
let current: WechatPayInstruments | undefined;

/**
 * The instruments of the meter provider registered now, or `undefined` when none is (the
 * API's no-op), so callers skip measuring altogether. Made again when the app registers
 * another provider: the metrics API, unlike tracing, has no proxy that would follow it.
 */
export function instruments(): WechatPayInstruments | undefined {
  const registered = metrics.getMeterProvider();
  if (registered !== provider) {
    provider = registered;
    current = create(registered.getMeter(INSTRUMENTATION_SCOPE));
  }
  return current;
}

function create(meter: Meter): WechatPayInstruments | undefined {
  const callDuration = meter.createHistogram('wechatpay.client.duration', {
    description: 'Duration of WeChat Pay API calls, failover attempts included',
    unit: 's',
    advice: { explicitBucketBoundaries: SECONDS },
  });
  if (callDuration.constructor === NOOP_HISTOGRAM) return undefined;
  return {
    callDuration,
    notifications: meter.createCounter('wechatpay.notifications', {
      description: 'WeChat Pay notifications received, by outcome',
    }),
    handlerDuration: meter.createHistogram('wechatpay.notification.handler.duration', {
      description: "Duration of the application's notification handlers",
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS },
    }),
    keyRefreshes: meter.createCounter('wechatpay.platform_key.refreshes', {
      description: 'Downloads of the WeChat Pay platform certificate list, by outcome',
    }),
    storeErrors: meter.createCounter('wechatpay.store.errors', {
      description: 'Idempotency store calls that failed or did not answer in time',
    }),
  };
}

/** The class of the API's no-op tracer provider, which it does not export. */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate().constructor;

/**
 * Whether an SDK's tracer provider is registered: without one, no span is even started (the
 * no-op span would cost an allocation and a context lookup per call and per notification).
 */
export function tracingOn(): boolean {
  const registered = trace.getTracerProvider();
  return !(
    registered instanceof ProxyTracerProvider &&
    registered.getDelegate().constructor === NOOP_TRACER_PROVIDER
  );
}

let tracerProvider: unknown;
let currentTracer: Tracer | undefined;

/** The tracer of this package from the tracer provider registered now. */
export function tracer(): Tracer {
  const registered = trace.getTracerProvider();
  if (registered !== tracerProvider || !currentTracer) {
    tracerProvider = registered;
    currentTracer = registered.getTracer(INSTRUMENTATION_SCOPE);
  }
  return currentTracer;
}

/**
 * A span of this package's tracer, or `undefined` when no SDK records it (none registered, or
 * sampled out: the non-recording span is ended at once).
 */
export function startRecordingSpan(name: string, options: SpanOptions): Span | undefined {
  if (!tracingOn()) return undefined;
  const span = tracer().startSpan(name, options);
  if (span.isRecording()) return span;
  span.end();
  return undefined;
}
