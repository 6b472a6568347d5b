/**
 * Per-tenant observability through the whole embedded stack: one ticket-context query traced from
 * the gateway through the subgraphs to the upstream emulators in one trace (an in-memory exporter
 * in this process, which runs every component), the request id answered, forwarded and logged
 * everywhere, and no credential in any span or log line.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../platform/log';
import { spanUrlPath, startTracing, wellFormedRequestId, type Tracing } from '../../platform/tracing';
import { sandboxCredentials } from '../../sandbox/credentials';
import { TICKET_CONTEXT_QUERY } from '../../sandbox/queries';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { injectFault, totalFor } from '../support/http';
import { allStats, resetStats, SYSTEMS } from '../support/stack';

/** An in-memory exporter that wakes whoever waits for a span to arrive (no sleeping). */
class WatchedExporter extends InMemorySpanExporter {
  #waiters: Array<() => void> = [];
  override export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    super.export(spans, done);
    for (const wake of this.#waiters.splice(0)) wake();
  }
  /** Resolves with the finished spans once `ready` holds for them. */
  async until(ready: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
    for (;;) {
      const spans = this.getFinishedSpans();
      if (ready(spans)) return spans;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

const exporter = new WatchedExporter();
const lines: Array<Record<string, unknown>> = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
let withoutExporter: Tracing;
let tracing: Tracing;
let stack: RunningStack;

beforeAll(async () => {
  withoutExporter = startTracing({ serviceName: 'tracing-test' });
  tracing = startTracing({ serviceName: 'tracing-test', exporter });
  stack = await startStack({ cache: false, log: createLogger('tracing-test', 'info', logSink) });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await tracing?.shutdown();
});

async function post(headers: Record<string, string>, query = TICKET_CONTEXT_QUERY, variables: Record<string, unknown> = { id: '1' }) {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, requestId: res.headers.get('x-request-id'), body: (await res.json()) as { data?: unknown; errors?: unknown[] } };
}

/** Every value the upstream emulators accept as a credential, and the client's own token. */
function secrets(token: string): string[] {
  const creds = sandboxCredentials(stack.registry, stack.secrets);
  return [token, ...creds.odoo.map((c) => c.apiKey), ...creds.salesforce.flatMap((c) => [c.clientId, c.clientSecret]), ...creds.zendesk.map((c) => c.token)];
}

const attr = (span: ReadableSpan, key: string) => span.attributes[key];
const JWT = /eyJ[\w-]+\.[\w-]+\./;

describe('tracing', () => {
  it('should register nothing without an endpoint or an exporter', () => {
    expect(withoutExporter.enabled).toBe(false);
    expect(tracing.enabled).toBe(true);
  });

  it('should trace one ticket-context query gateway → subgraph → upstream in one trace, carrying tenant and request id, never a secret', async () => {
    await resetStats(stack);
    exporter.reset();
    const token = await stack.token('acme', 'agent');
    const clientTrace = `00-${'a1'.repeat(16)}-${'b2'.repeat(8)}-01`;
    const res = await post({ authorization: `Bearer ${token}`, 'x-request-id': 'trace-test-0001', traceparent: clientTrace });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.requestId).toBe('trace-test-0001');

    const isRoot = (s: ReadableSpan) => s.name === 'gateway.http' && attr(s, 'request.id') === 'trace-test-0001';
    const spans = await exporter.until((all) => all.some(isRoot));
    const root = spans.find(isRoot)!;
    const traceId = root.spanContext().traceId;
    // The public edge starts its own trace and only links the client's.
    expect(root.parentSpanContext).toBeUndefined();
    expect(traceId).not.toBe('a1'.repeat(16));
    expect(root.links.map((l) => l.context.traceId)).toEqual(['a1'.repeat(16)]);
    expect(root.attributes).toMatchObject({ component: 'gateway', tenant: 'acme', 'operation.name': 'TicketContext', 'http.response.status_code': 200 });

    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const named = (name: string) => inTrace.filter((s) => s.name === name);
    // @apollo/gateway's own spans sit under the root.
    for (const name of ['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.fetch']) expect(named(name).length).toBeGreaterThan(0);
    expect(named('gateway.request')[0]?.parentSpanContext?.spanId).toBe(root.spanContext().spanId);

    const fetchIds = new Set(named('gateway.fetch').map((s) => s.spanContext().spanId));
    const subgraphSpans = named('subgraph.request');
    expect(new Set(subgraphSpans.map((s) => attr(s, 'subgraph')))).toEqual(new Set(SYSTEMS));
    for (const span of subgraphSpans) {
      expect(fetchIds.has(span.parentSpanContext?.spanId ?? '')).toBe(true);
      expect(span.attributes).toMatchObject({ tenant: 'acme', 'request.id': 'trace-test-0001', 'http.response.status_code': 200 });
      expect(String(attr(span, 'operation.name'))).toMatch(/^TicketContext__/);
    }

    // Every upstream call of the query is a span in this trace, a child of a subgraph span.
    const subgraphIds = new Set(subgraphSpans.map((s) => s.spanContext().spanId));
    const upstreamSpans = spans.filter((s) => attr(s, 'upstream') !== undefined);
    expect(upstreamSpans.length).toBeGreaterThan(0);
    for (const span of upstreamSpans) {
      expect(span.spanContext().traceId).toBe(traceId);
      expect(subgraphIds.has(span.parentSpanContext?.spanId ?? '')).toBe(true);
      expect(span.attributes).toMatchObject({ 'http.response.status_code': 200 });
      expect(String(attr(span, 'url.path'))).not.toMatch(/[?#]/);
    }
    const stats = await allStats(stack);
    for (const system of SYSTEMS) expect(upstreamSpans.filter((s) => attr(s, 'upstream') === system).length).toBe(totalFor(stats[system], 'acme'));

    const values = spans.flatMap((s) => [...Object.values(s.attributes), ...s.events.flatMap((e) => Object.values(e.attributes ?? {}))].map(String));
    for (const secret of secrets(token)) expect(values.filter((v) => v.includes(secret))).toEqual([]);
    expect(values.filter((v) => JWT.test(v))).toEqual([]);
    expect(spans.flatMap((s) => Object.keys(s.attributes)).filter((k) => /authorization|header|body|token|key/i.test(k))).toEqual([]);
  });
});

describe('request id and logs', () => {
  it('should answer, forward and log a well-formed request id, and never log the token', async () => {
    const token = await stack.token('acme', 'agent');
    const res = await post({ authorization: `Bearer ${token}`, 'x-request-id': 'log-test-0001' });
    expect(res.requestId).toBe('log-test-0001');
    const mine = lines.filter((l) => l['requestId'] === 'log-test-0001');
    const gatewayLine = mine.find((l) => l['msg'] === 'graphql request' && l['operationType'] === 'query');
    expect(gatewayLine).toMatchObject({ tenant: 'acme', operationName: 'TicketContext', status: 200, errorCodes: [] });
    expect(typeof gatewayLine?.['durationMs']).toBe('number');
    // Each subgraph the query reached logged its part under the same id and tenant.
    const subgraphLines = mine.filter((l) => l['msg'] === 'graphql request' && String(l['operationName']).startsWith('TicketContext__'));
    expect(subgraphLines.length).toBeGreaterThanOrEqual(SYSTEMS.length);
    for (const line of subgraphLines) expect(line['tenant']).toBe('acme');
    const all = JSON.stringify(lines);
    for (const secret of secrets(token)) expect(all.includes(secret)).toBe(false);
  });

  it('should replace a malformed request id with a fresh one', async () => {
    const token = await stack.token('acme', 'agent');
    for (const bad of ['has spaces', 'x'.repeat(129), 'semi;colon', '-leading-dash']) {
      const res = await post({ authorization: `Bearer ${token}`, 'x-request-id': bad }, '{ __typename }', {});
      expect(res.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    const res = await post({ authorization: `Bearer ${token}` }, '{ __typename }', {});
    expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should log a request refused before execution with its id and status', async () => {
    const res = await post({ authorization: 'Bearer not-a-token', 'x-request-id': 'refused-0001' }, '{ __typename }', {});
    expect(res.status).toBe(401);
    expect(res.requestId).toBe('refused-0001');
    await exporter.until((all) => all.some((s) => s.name === 'gateway.http' && attr(s, 'request.id') === 'refused-0001'));
    expect(lines.find((l) => l['requestId'] === 'refused-0001')).toMatchObject({ msg: 'graphql request not executed', status: 401 });
  });
});

describe('helpers', () => {
  it('should accept only bounded, safe request ids', () => {
    expect(wellFormedRequestId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(wellFormedRequestId('a'.repeat(128))).toBe('a'.repeat(128));
    for (const bad of ['', 'a'.repeat(129), 'a b', 'a\nb', 'ü', '<script>', undefined, 42]) expect(wellFormedRequestId(bad)).toBeUndefined();
  });

  it('should keep the endpoint of an upstream URL and drop query strings and record ids', () => {
    expect(spanUrlPath('https://z.example/api/v2/tickets/42.json?include=users')).toBe('/api/v2/tickets/{id}.json');
    expect(spanUrlPath('https://z.example/api/v2/users/show_many.json?ids=1,2,3')).toBe('/api/v2/users/show_many.json');
    expect(spanUrlPath('https://sf.example/services/data/v60.0/sobjects/Account/001Ax00000AbCdEFGH')).toBe('/services/data/v60.0/sobjects/Account/{id}');
    expect(spanUrlPath('https://sf.example/services/data/v60.0/query?q=SELECT+Id+FROM+Account')).toBe('/services/data/v60.0/query');
    expect(spanUrlPath('https://odoo.example/json/2/res.partner/search_read')).toBe('/json/2/res.partner/search_read');
    expect(spanUrlPath('https://odoo.example/jsonrpc')).toBe('/jsonrpc');
  });
});

describe('upstream failures', () => {
  it('should mark a failed upstream exchange on its span with the error code', async () => {
    exporter.reset();
    const token = await stack.token('acme', 'agent');
    await injectFault(stack.emulators.zendesk.url, { tenant: 'acme', fault: 'reset', times: 1 });
    const res = await post({ authorization: `Bearer ${token}`, 'x-request-id': 'trace-test-fault' });
    await resetStats(stack, { faults: true });
    expect(res.status).toBe(200);
    const spans = await exporter.until((all) => all.some((s) => s.name === 'gateway.http' && attr(s, 'request.id') === 'trace-test-fault'));
    const failed = spans.filter((s) => attr(s, 'upstream') === 'zendesk' && attr(s, 'error.type') !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.attributes).toMatchObject({ 'error.type': 'UPSTREAM_UNAVAILABLE' });
    expect(failed[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });
});
