/**
 * Distributed tracing (OpenTelemetry) and request correlation, the same way in every process.
 *
 * One tracer provider per process (`startTracing`): W3C trace-context propagation (`traceparent`,
 * no baggage), spans kept in the async context (AsyncLocalStorage), and spans exported only when
 * there is somewhere to send them: batched to an OTLP/HTTP collector (`OTEL_EXPORTER_OTLP_ENDPOINT`),
 * or one by one to an exporter the caller hands in (tests). With neither, nothing is registered:
 * the OpenTelemetry API stays a no-op (no span objects, no `traceparent` sent) and the helpers below
 * return at once.
 *
 * Where several components share one process (`npm start`, the tests), they share its provider and
 * its `service.name`; each span says which component made it in its `component` attribute
 * (`gateway`, `subgraph:odoo`...).
 *
 * Span attributes never carry headers, bodies, query strings or credentials.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Attributes,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface TracingOptions {
  /** The process's `service.name` (one provider per process; components are told apart by the `component` span attribute). */
  serviceName: string;
  /**
   * OTLP/HTTP collector base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. `http://otel-collector:4318`):
   * spans are sent in batches to `<url>/v1/traces`. Extra headers for the collector come from
   * `OTEL_EXPORTER_OTLP_HEADERS`, read by the exporter itself. Unset = no OTLP export.
   */
  otlpEndpoint?: string | undefined;
  /** An exporter that receives each span as it ends (tests pass an `InMemorySpanExporter`). */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** Whether a provider was registered (an endpoint or an exporter was given). */
  readonly enabled: boolean;
  /** Exports the spans still buffered. */
  forceFlush(): Promise<void>;
  /** Flushes, shuts the provider down and unregisters it (a later `startTracing` may register another). Idempotent. */
  shutdown(): Promise<void>;
}

let registered: NodeTracerProvider | undefined;

const DISABLED: Tracing = { enabled: false, forceFlush: async () => undefined, shutdown: async () => undefined };

/**
 * Registers the process's tracer provider. Without `otlpEndpoint` and `exporter` it registers
 * nothing and returns a disabled handle. Throws if a provider is already registered by this module
 * (one process, one provider).
 */
export function startTracing({ serviceName, otlpEndpoint, exporter }: TracingOptions): Tracing {
  if (!otlpEndpoint && !exporter) return DISABLED;
  if (registered) throw new Error('tracing is already started in this process (one tracer provider per process)');
  const spanProcessors: SpanProcessor[] = [];
  if (otlpEndpoint) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces` })));
  if (exporter) spanProcessors.push(new SimpleSpanProcessor(exporter));
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), spanProcessors });
  // Trace context only: W3C baggage from a caller is not carried anywhere.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  registered = provider;
  let stopping: Promise<void> | undefined;
  return {
    enabled: true,
    forceFlush: () => provider.forceFlush(),
    shutdown: () =>
      (stopping ??= provider.shutdown().finally(() => {
        trace.disable();
        context.disable();
        propagation.disable();
        registered = undefined;
      })),
  };
}

/** The request-correlation header the gateway accepts, answers and forwards to the subgraphs. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Longest accepted inbound request id. */
export const MAX_REQUEST_ID_LENGTH = 128;

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** An inbound request id if it is well formed (1–128 characters of `A-Z a-z 0-9 . _ : -`), else undefined. */
export function wellFormedRequestId(raw: unknown): string | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value.length <= MAX_REQUEST_ID_LENGTH && REQUEST_ID.test(value) ? value : undefined;
}

/** The request id of `headers` when well formed, else a fresh UUID. */
export const requestIdFrom = (headers: IncomingHttpHeaders): string => wellFormedRequestId(headers[REQUEST_ID_HEADER]) ?? randomUUID();

/** Writes the active trace context (`traceparent`) through `set`; nothing when tracing is off. */
export function injectTraceContext(set: (name: string, value: string) => void): void {
  if (!registered) return;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  for (const [name, value] of Object.entries(carrier)) set(name, value);
}

export interface ServerSpanOptions {
  /** Span name (low cardinality). */
  name: string;
  /** `component` attribute and instrumentation scope: `gateway`, `subgraph:odoo`... */
  component: string;
  /** The route served (`url.path`), e.g. `/graphql`. */
  route: string;
  /**
   * What an inbound `traceparent` becomes: `parent` continues the caller's trace (a trusted caller:
   * the gateway calling a subgraph); `link` starts a new trace that links to the caller's span (the
   * public edge: a client picks neither our trace ids nor our sampling).
   */
  inbound: 'parent' | 'link';
  attributes?: Attributes;
}

/**
 * Runs `next` (the rest of an HTTP request's handling) inside a new SERVER span, which ends when the
 * response finishes or the connection closes, with the status code (5xx, or a response that never
 * finished, marks it as an error). `next` receives the span, or undefined when tracing is off (it
 * is then simply called).
 */
export function runInServerSpan(req: IncomingMessage, res: ServerResponse, options: ServerSpanOptions, next: (span: Span | undefined) => void): void {
  if (!registered) {
    next(undefined);
    return;
  }
  const remote = propagation.extract(ROOT_CONTEXT, req.headers);
  const remoteSpan = trace.getSpanContext(remote);
  const parent = options.inbound === 'parent' ? remote : ROOT_CONTEXT;
  const links: Link[] = options.inbound === 'link' && remoteSpan && isSpanContextValid(remoteSpan) ? [{ context: remoteSpan }] : [];
  const span = trace.getTracer(options.component).startSpan(
    options.name,
    {
      kind: SpanKind.SERVER,
      links,
      attributes: { component: options.component, 'http.request.method': req.method ?? 'GET', 'url.path': options.route, ...options.attributes },
    },
    parent,
  );
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.with(trace.setSpan(parent, span), () => next(span));
}

/**
 * Runs `call` inside a CLIENT span (an upstream exchange). `describe` adds attributes from the
 * result; `errorType` names a failure's code (`error.type`). Without tracing, just runs `call`.
 */
export async function inClientSpan<T>(
  name: string,
  component: string,
  attributes: Attributes,
  call: () => Promise<T>,
  outcome: { describe?: (value: T) => Attributes; errorType?: (err: unknown) => string | undefined } = {},
): Promise<T> {
  if (!registered) return call();
  return trace.getTracer(component).startActiveSpan(name, { kind: SpanKind.CLIENT, attributes: { component, ...attributes } }, async (span) => {
    try {
      const value = await call();
      const described = outcome.describe?.(value);
      if (described) span.setAttributes(described);
      return value;
    } catch (err) {
      span.setAttribute('error.type', outcome.errorType?.(err) ?? (err instanceof Error ? err.name : 'error'));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

const NUMERIC = /^\d+$/;
/** Salesforce record ids: 15 or 18 letters and digits, at least one digit. */
const RECORD_ID = /^(?=[A-Za-z]*\d)[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/**
 * A URL's path for a span: no query string, no fragment, and record ids replaced by `{id}`
 * (`/api/v2/tickets/42.json` → `/api/v2/tickets/{id}.json`, a Salesforce `001…` id likewise), so
 * the value names the endpoint, not the record. The number after `json` is Odoo JSON-2's API
 * version (`/json/2/res.partner/search_read`) and stays.
 */
export function spanUrlPath(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return '';
  }
  return path
    .split('/')
    .map((segment, i, all) => {
      const dot = segment.indexOf('.');
      const [stem, suffix] = dot > 0 ? [segment.slice(0, dot), segment.slice(dot)] : [segment, ''];
      const isId = (NUMERIC.test(stem) && all[i - 1] !== 'json') || RECORD_ID.test(stem);
      return isId ? `{id}${suffix}` : segment;
    })
    .join('/');
}
