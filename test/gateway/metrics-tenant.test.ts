/**
 * The gateway's request metrics by tenant and operation name, read from `/metrics` of the embedded
 * stack: one label set per tenant, and operation names capped so a client inventing names cannot
 * grow the series without bound.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_MAX_OPERATION_NAMES, operationNameLabels } from '../../gateway/metrics';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { query } from '../support/stack';

let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack({ cache: false });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of one metric in the Prometheus text exposition. */
async function samples(name: string): Promise<Sample[]> {
  const res = await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${await stack.token('acme', 'admin')}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = Object.fromEntries([...match[2]!.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    out.push({ labels, value: Number(match[3]) });
  }
  return out;
}

const sum = (list: Sample[]) => list.reduce((a, s) => a + s.value, 0);

describe('operation name labels', () => {
  it("should cap names per tenant: one tenant's junk names leave another's labelled", () => {
    const label = operationNameLabels(3);
    expect(['J1', 'J2', 'J3', 'J4'].map((n) => label(n, true, 'acme'))).toEqual(['J1', 'J2', 'J3', 'other']);
    expect(label('TicketContext', true, 'globex')).toBe('TicketContext');
    expect(label('J1', true, 'acme')).toBe('J1');
    expect(label(undefined, true, 'acme')).toBe('anonymous');
    expect(label('X', false, 'acme')).toBe('unknown');
  });
});

describe('request metrics by tenant and operation name', () => {
  it("should count two tenants' queries under two label sets", async () => {
    for (const tenant of ['acme', 'acme', 'globex']) {
      const res = await query(stack, tenant, 'agent', 'query TenantProbe { __typename }');
      expect(res.errors).toBeUndefined();
    }
    const requests = (await samples('gateway_graphql_requests_total')).filter((s) => s.labels['operation_name'] === 'TenantProbe');
    expect(requests.map((s) => s.labels).sort((a, b) => String(a['tenant']).localeCompare(String(b['tenant'])))).toEqual([
      { operation: 'query', outcome: 'ok', tenant: 'acme', operation_name: 'TenantProbe' },
      { operation: 'query', outcome: 'ok', tenant: 'globex', operation_name: 'TenantProbe' },
    ]);
    expect(Object.fromEntries(requests.map((s) => [s.labels['tenant'], s.value]))).toEqual({ acme: 2, globex: 1 });
    const durations = (await samples('gateway_graphql_request_duration_seconds_count')).filter((s) => s.labels['operation_name'] === 'TenantProbe');
    expect(Object.fromEntries(durations.map((s) => [s.labels['tenant'], s.value]))).toEqual({ acme: 2, globex: 1 });
  });

  it('should keep 300 random operation names under the cap, the rest counted as other', async () => {
    const before = new Set((await samples('gateway_graphql_requests_total')).map((s) => s.labels['operation_name']));
    const names = Array.from({ length: 300 }, (_, i) => `Random${i}_${randomBytes(6).toString('hex')}`);
    for (let i = 0; i < names.length; i += 10) {
      const batch = await Promise.all(names.slice(i, i + 10).map((name) => query(stack, 'acme', 'agent', `query ${name} { __typename }`)));
      for (const res of batch) expect(res.errors).toBeUndefined();
    }
    const requests = await samples('gateway_graphql_requests_total');
    const labelled = new Set(requests.map((s) => s.labels['operation_name']));
    // Names other than the placeholders (other, anonymous, unknown) never exceed the cap.
    const real = [...labelled].filter((n) => !['other', 'anonymous', 'unknown'].includes(String(n)));
    expect(real.length).toBe(DEFAULT_MAX_OPERATION_NAMES);
    const admitted = DEFAULT_MAX_OPERATION_NAMES - [...before].filter((n) => !['other', 'anonymous', 'unknown'].includes(String(n))).length;
    expect(names.filter((n) => labelled.has(n)).length).toBe(admitted);
    // Every request is still counted: the admitted names once each, the others under `other`.
    expect(sum(requests.filter((s) => names.includes(String(s.labels['operation_name']))))).toBe(admitted);
    expect(sum(requests.filter((s) => s.labels['operation_name'] === 'other'))).toBe(300 - admitted);
    const durations = await samples('gateway_graphql_request_duration_seconds_count');
    expect(new Set(durations.map((s) => s.labels['operation_name'])).size).toBeLessThanOrEqual(DEFAULT_MAX_OPERATION_NAMES + 3);
  });
});
