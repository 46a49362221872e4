import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallTelemetry } from '../../../../lib/core/telemetry/call-telemetry.js';
import { NotificationTelemetry } from '../../../../lib/core/telemetry/notification-telemetry.js';

beforeEach(() => {
  trace.disable();
  metrics.disable();
});
afterEach(() => {
  trace.disable();
  metrics.disable();
});

describe('telemetry without an OpenTelemetry SDK', () => {
  it('starts nothing: no span, no measurement, for calls and notifications', () => {
    expect(CallTelemetry.start('v3', 'GET', '/v3/certificates')).toBeUndefined();
    expect(NotificationTelemetry.start('v3')).toBeUndefined();
  });

  it('measures as soon as an app registers a meter provider, and traces once it registers a tracer provider', () => {
    metrics.setGlobalMeterProvider(new MeterProvider());
    expect(CallTelemetry.start('v3', 'GET', '/v3/certificates')).toBeDefined();
    metrics.disable();
    expect(NotificationTelemetry.start('v2')).toBeUndefined();
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(NotificationTelemetry.start('v2')).toBeDefined();
  });
});
