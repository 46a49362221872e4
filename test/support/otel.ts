import { metrics, trace } from '@opentelemetry/api';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A metric reader the test collects from when it wants. */
class CollectingReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** One metric data point, flattened for assertions. */
export interface Point {
  name: string;
  attributes: Record<string, unknown>;
  /** The sum of a counter, the count of a histogram. */
  value: number;
}

/**
 * An in-memory OpenTelemetry SDK registered globally, as an app would register its own:
 * spans are kept in memory, metrics collected on demand.
 */
export class InMemoryOtel {
  readonly spans = new InMemorySpanExporter();
  private readonly reader = new CollectingReader();
  private readonly tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.spans)],
  });
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });

  register(): this {
    trace.setGlobalTracerProvider(this.tracerProvider);
    metrics.setGlobalMeterProvider(this.meterProvider);
    return this;
  }

  async shutdown(): Promise<void> {
    trace.disable();
    metrics.disable();
    await this.tracerProvider.shutdown();
    await this.meterProvider.shutdown();
  }

  finished(): ReadableSpan[] {
    return this.spans.getFinishedSpans();
  }

  /** Every data point of every metric of this package, cumulative since registration. */
  async points(): Promise<Point[]> {
    const { resourceMetrics } = await this.reader.collect();
    const data: MetricData[] = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    return data.flatMap((metric) =>
      (metric.dataPoints as DataPoint<number | Histogram>[]).map((point) => ({
        name: metric.descriptor.name,
        attributes: point.attributes,
        value: typeof point.value === 'number' ? point.value : point.value.count,
      })),
    );
  }

  /** Everything exported, as text: span names, attributes, events, status; metric attributes. */
  async everything(): Promise<string> {
    const spans = this.finished().map((s) => ({
      name: s.name,
      attributes: s.attributes,
      events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })),
      status: s.status,
    }));
    return JSON.stringify({ spans, metrics: await this.points() });
  }
}
