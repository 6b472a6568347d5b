/**
 * The doctor for the admin role over the embedded stack: the gateway's `GET /admin/doctor`, each
 * subgraph's `GET /doctor` behind the internal identity, and the summary in `/readyz`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { INTERNAL_IDENTITY_HEADER, internalAudience, signInternalToken, type Role } from '../../tenancy/identity';
import { bearer } from '../support/http';

const INTERNAL_SECRET = 'doctor-test-internal-secret-0123456789-abc';
let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack({ cache: false, internalSecret: INTERNAL_SECRET });
});
afterAll(async () => {
  await stack.stop();
});

const gatewayBase = (): string => stack.gateway.url.replace(/\/graphql$/, '');

interface Finding {
  tenant: string;
  upstream: string;
  check: string;
  status: string;
  detail: string;
}

async function adminDoctor(
  tenant: string,
  role: Role,
): Promise<{ status: number; body: { tenant?: string; findings?: Finding[]; counts?: Record<string, number> } }> {
  const res = await fetch(`${gatewayBase()}/admin/doctor`, { headers: bearer(await stack.token(tenant, role)) });
  return { status: res.status, body: (await res.json()) as { tenant?: string; findings?: Finding[] } };
}

describe('GET /admin/doctor', () => {
  it('should refuse a request without a token (401) and an agent (403)', async () => {
    expect((await fetch(`${gatewayBase()}/admin/doctor`)).status).toBe(401);
    expect((await adminDoctor('acme', 'agent')).status).toBe(403);
    expect((await adminDoctor('acme', 'finance')).status).toBe(403);
  });

  it("should answer an admin with its own tenant's findings from all three upstreams, and only those", async () => {
    const { status, body } = await adminDoctor('acme', 'admin');
    expect(status).toBe(200);
    expect(body.tenant).toBe('acme');
    const findings = body.findings ?? [];
    expect(new Set(findings.map((f) => f.tenant))).toEqual(new Set(['acme']));
    expect(new Set(findings.map((f) => f.upstream))).toEqual(new Set(['odoo', 'salesforce', 'zendesk']));
    expect(findings).toContainEqual(expect.objectContaining({ upstream: 'odoo', check: 'module stock_delivery', status: 'warn' }));
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(body.counts).toMatchObject({ fail: 0 });
  });
});

describe("a subgraph's GET /doctor", () => {
  const doctorUrl = (tenant?: string): string => {
    const url = new URL('/doctor', stack.subgraphs.odoo.url);
    if (tenant) url.searchParams.set('tenant', tenant);
    return url.toString();
  };
  const sign = (tenant: string, roles: Role[], secret = INTERNAL_SECRET) =>
    signInternalToken({ tenant, subject: 'test', roles, scopes: [] }, new TextEncoder().encode(secret), internalAudience('odoo'));
  const get = async (url: string, token?: string) => fetch(url, token ? { headers: { [INTERNAL_IDENTITY_HEADER]: token } } : {});

  it('should refuse a call without the gateway identity, or with a forged one (401)', async () => {
    expect((await get(doctorUrl())).status).toBe(401);
    expect((await get(doctorUrl('acme'), await sign('acme', ['admin'], 'not-the-gateway-key-0123456789-abcdefgh'))).status).toBe(401);
  });

  it('should refuse an agent, and an admin asking about another tenant (403)', async () => {
    expect((await get(doctorUrl('acme'), await sign('acme', ['agent', 'supervisor']))).status).toBe(403);
    expect((await get(doctorUrl('globex'), await sign('acme', ['admin']))).status).toBe(403);
  });

  it("should answer an admin with its own tenant's Odoo findings", async () => {
    const res = await get(doctorUrl(), await sign('initech', ['admin']));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { service: string; tenant: string; findings: Finding[] };
    expect(body).toMatchObject({ service: 'odoo', tenant: 'initech' });
    expect(new Set(body.findings.map((f) => `${f.tenant}/${f.upstream}`))).toEqual(new Set(['initech/odoo']));
  });
});

describe('/readyz (the details, for an admin token)', () => {
  it('should stay ready while the doctor summary is computed in the background, then show counts per upstream, naming no tenant', async () => {
    const admin = bearer(await stack.token('acme', 'admin'));
    const first = await fetch(`${gatewayBase()}/readyz`, { headers: admin });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { status: string }).status).toBe('ready');
    let summary: { at: string | null; upstreams: Record<string, { ok: number; warn: number; fail: number }> } | undefined;
    let text = '';
    for (let i = 0; i < 100; i++) {
      text = await (await fetch(`${gatewayBase()}/readyz`, { headers: admin })).text();
      summary = (JSON.parse(text) as { doctor?: typeof summary }).doctor;
      if (summary?.at) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(summary?.at).toEqual(expect.any(String));
    expect(summary?.upstreams).toEqual({
      odoo: expect.objectContaining({ fail: 0 }),
      salesforce: { ok: expect.any(Number), warn: 0, fail: 0 },
      zendesk: { ok: expect.any(Number), warn: 0, fail: 0 },
    });
    expect(text).not.toMatch(/acme|globex|initech/);
  });
});
