/**
 * `npm run doctor` against the real emulators: the three sandbox profiles, and broken tenants
 * (wrong key, dead URL, JSON-2 on an 18 server, wrong Salesforce / Zendesk credentials) as failing
 * rows, never a throw.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxUpstreams, type SandboxUpstreams } from '../../sandbox/emulators';
import { doctorMain } from '../../subgraphs/doctor-cli';
import { runDoctor } from '../../subgraphs/doctor';
import type { DoctorFinding } from '../../subgraphs/kit/doctor';
import { createLogger } from '../../platform/log';
import { odooDoctor } from '../../subgraphs/odoo/doctor';
import { salesforceDoctor } from '../../subgraphs/salesforce/doctor';
import { zendeskDoctor } from '../../subgraphs/zendesk/doctor';
import type { TenantConfig } from '../../tenancy/registry';

const log = createLogger('doctor-test', 'silent');
let sandbox: SandboxUpstreams;

beforeAll(async () => {
  sandbox = await startSandboxUpstreams();
});
afterAll(async () => {
  await sandbox.stop();
});

const tenant = (id: string): TenantConfig => {
  const t = sandbox.registry.tenants.find((x) => x.id === id);
  if (!t) throw new Error(`no tenant ${id}`);
  return t;
};
const row = (findings: readonly DoctorFinding[], check: string): DoctorFinding | undefined => findings.find((f) => f.check === check);
const statusOf = (findings: readonly DoctorFinding[], check: string): string | undefined => row(findings, check)?.status;

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the sandbox profiles', () => {
  let findings: DoctorFinding[];
  beforeAll(async () => {
    findings = await runDoctor({ registry: sandbox.registry, secrets: sandbox.secrets, log });
  });
  const of = (t: string, upstream = 'odoo'): DoctorFinding[] => findings.filter((f) => f.tenant === t && f.upstream === upstream);

  it('should find no blocking problem in any tenant', () => {
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    for (const t of ['acme', 'globex', 'initech']) for (const u of ['odoo', 'salesforce', 'zendesk']) expect(of(t, u).length).toBeGreaterThan(0);
  });

  it('should report acme as plain Odoo 18: stock_delivery missing (trackingRef quiet), no custom fields', () => {
    const acme = of('acme');
    expect(row(acme, 'reachability')?.detail).toMatch(/Odoo 18\.0/);
    expect(row(acme, 'module stock_delivery')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/Delivery\.trackingRef/) });
    // Quiet without its module: no field row of its own.
    expect(row(acme, 'field Delivery.trackingRef')).toBeUndefined();
    expect(row(acme, 'custom fields')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/none configured/) });
    expect(acme.filter((f) => f.check.startsWith('field '))).toEqual([]);
    expect(statusOf(acme, 'record rules')).toBe('ok');
    expect(statusOf(acme, 'accounting access')).toBe('ok');
  });

  it('should report globex as Odoo 19 over JSON-2 with two companies (USD, DKK) and its custom fields present', () => {
    const globex = of('globex');
    expect(row(globex, 'reachability')?.detail).toMatch(/Odoo 19\.0/);
    expect(row(globex, 'protocol')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^json2/) });
    expect(row(globex, 'companies')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^2: .*USD.*DKK/) });
    for (const key of ['entitlementStart', 'entitlementEnd', 'supportTier']) expect(statusOf(globex, `custom field ${key}`)).toBe('ok');
    expect(row(globex, 'module stock_delivery')).toBeUndefined();
    expect(row(globex, 'modules')?.detail).toMatch(/installed: .*stock_delivery/);
  });

  it('should report initech as Odoo 17 with a least-privilege user: credit limit unreadable naming the groups, own documents only', () => {
    const initech = of('initech');
    expect(row(initech, 'reachability')?.detail).toMatch(/Odoo 17\.0/);
    const credit = row(initech, 'field Customer.creditLimit');
    expect(credit?.status).toBe('warn');
    expect(credit?.detail).toMatch(/res\.partner\.credit_limit/);
    expect(credit?.detail).toMatch(/Invoicing \/ Invoicing/);
    expect(credit?.detail).toMatch(/Show Accounting Features - Readonly/);
    expect(row(initech, 'accounting access')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/account\.group_account_invoice.*account\.group_account_readonly/),
    });
    expect(row(initech, 'record rules')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(
        /^Sales \/ User: Own Documents Only — record rules hide other salespeople's orders, their lines and their customer invoices/,
      ),
    });
    // Exactly the fields the least-privilege user cannot read, and nothing else.
    expect(
      initech
        .filter((f) => f.check.startsWith('field '))
        .map((f) => f.check)
        .sort(),
    ).toEqual(['field CompanyBalance.creditLimit', 'field Customer.creditLimit']);
    expect(row(initech, 'groups')?.detail).toMatch(/Sales \/ User: Own Documents Only/);
  });

  it('should check Salesforce API version and external-id field, and Zendesk authentication and rate-limit headroom', () => {
    const sf = of('acme', 'salesforce');
    expect(row(sf, 'api version')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^62\.0 offered/) });
    expect(row(sf, 'external id field')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/Odoo_Partner_Id__c.*External ID/) });
    const zd = of('acme', 'zendesk');
    expect(row(zd, 'credentials')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/integration@acme\.example.*role (admin|agent)/) });
    expect(row(zd, 'rate limit')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/\d+ of \d+ requests left/) });
  });
});

describe('broken tenants are failing rows, not crashes', () => {
  const withOdoo = (id: string, odoo: Partial<TenantConfig['upstreams']['odoo']>): TenantConfig => {
    const t = tenant(id);
    return { ...t, upstreams: { ...t.upstreams, odoo: { ...t.upstreams.odoo, ...odoo } } };
  };
  const wrongSecrets = (name: string) => ({ env: { ...sandbox.secrets.env, [name]: 'not-the-key' } });

  it.each([
    ['acme', 'SANDBOX_ACME_ODOO_API_KEY'],
    ['globex', 'SANDBOX_GLOBEX_ODOO_API_KEY'],
  ])('should fail the credentials row of %s for a wrong Odoo API key', async (id, env) => {
    const findings = await odooDoctor(tenant(id), wrongSecrets(env), log);
    expect(row(findings, 'reachability')?.status).toBe('ok');
    expect(row(findings, 'credentials')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/refused the API key/) });
    expect(JSON.stringify(findings)).not.toContain('not-the-key');
  });

  it('should fail the credentials row when the secret is not set, naming only the reference', async () => {
    const findings = await odooDoctor(tenant('acme'), { env: {} }, log);
    expect(findings).toEqual([expect.objectContaining({ check: 'credentials', status: 'fail', detail: 'secret env:SANDBOX_ACME_ODOO_API_KEY is not set' })]);
  });

  it('should fail the reachability row for a URL nothing listens on', async () => {
    const findings = await odooDoctor(withOdoo('acme', { url: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 2_000 }), sandbox.secrets, log);
    expect(findings).toEqual([expect.objectContaining({ check: 'reachability', status: 'fail', detail: expect.stringMatching(/unreachable/) })]);
  });

  it('should fail the protocol row, naming the version, for JSON-2 against an Odoo 18 server', async () => {
    const findings = await odooDoctor(withOdoo('acme', { protocol: 'json2', version: '19.0' }), sandbox.secrets, log);
    expect(row(findings, 'version')?.status).toBe('warn');
    expect(row(findings, 'protocol')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/Odoo 18\.0.*no JSON-2 API/) });
  });

  it('should fail Salesforce and Zendesk credentials rows for wrong secrets', async () => {
    const sf = await salesforceDoctor(tenant('acme'), wrongSecrets('SANDBOX_ACME_SALESFORCE_CLIENT_SECRET'), log);
    expect(row(sf, 'credentials')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/refused the client credentials/) });
    const zd = await zendeskDoctor(tenant('acme'), wrongSecrets('SANDBOX_ACME_ZENDESK_TOKEN'), log);
    expect(row(zd, 'credentials')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/refused integration@acme\.example/) });
    expect(JSON.stringify([...sf, ...zd])).not.toContain('not-the-key');
  });

  it('should fail a Salesforce API version the org does not offer and a missing external-id field', async () => {
    const t = tenant('acme');
    const sf = await salesforceDoctor(
      { ...t, upstreams: { ...t.upstreams, salesforce: { ...t.upstreams.salesforce, apiVersion: '99.0' } } },
      sandbox.secrets,
      log,
    );
    expect(row(sf, 'api version')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/99\.0 is not offered/) });
    const field = await salesforceDoctor(
      { ...t, upstreams: { ...t.upstreams, salesforce: { ...t.upstreams.salesforce, accountExternalIdField: 'Nope__c' } } },
      sandbox.secrets,
      log,
    );
    expect(row(field, 'external id field')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/no field Nope__c/) });
  });

  it('should fail the Zendesk reachability row for a base URL that is not the API', async () => {
    const t = tenant('acme');
    const zd = await zendeskDoctor(
      { ...t, upstreams: { ...t.upstreams, zendesk: { ...t.upstreams.zendesk, url: `http://127.0.0.1:${await deadPort()}/api/v2` } } },
      sandbox.secrets,
      log,
    );
    expect(zd).toEqual([expect.objectContaining({ check: 'reachability', status: 'fail' })]);
  });
});

describe('the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (argv: string[], env: Record<string, string | undefined>) => {
    let stdout = '';
    let stderr = '';
    const code = await doctorMain(argv, {
      env,
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      log,
      startSandbox: () => startSandboxUpstreams(),
    });
    return { code, stdout, stderr };
  };

  it('should exit 1 with failing rows for a registry whose upstreams are dead, printing no secret', async () => {
    const port = await deadPort();
    const dead = `http://127.0.0.1:${port}`;
    const registry = {
      tenants: sandbox.registry.tenants.map((t) => ({
        ...t,
        upstreams: {
          odoo: { ...t.upstreams.odoo, url: dead, timeoutMs: 2_000 },
          salesforce: { ...t.upstreams.salesforce, loginUrl: dead, timeoutMs: 2_000 },
          zendesk: { ...t.upstreams.zendesk, url: `${dead}/api/v2`, timeoutMs: 2_000 },
        },
      })),
    };
    const file = join(dir, 'tenants.json');
    writeFileSync(file, JSON.stringify(registry));
    const { code, stdout } = await run(['--tenant', 'acme'], { ...sandbox.secrets.env, TENANTS_FILE: file });
    expect(code).toBe(1);
    expect(stdout).toMatch(/TENANT\s+UPSTREAM\s+CHECK\s+STATUS\s+DETAIL/);
    expect(stdout).toMatch(/acme\s+odoo\s+reachability\s+FAIL/);
    expect(stdout).toMatch(/acme\s+zendesk\s+reachability\s+FAIL/);
    expect(stdout).toMatch(/1 tenant, 3 checks: 0 ok, 0 warnings, 3 failures/);
    expect(stdout).not.toMatch(/globex/);
    for (const value of Object.values(sandbox.secrets.env)) if (value) expect(stdout).not.toContain(value);
  });

  it('should exit 0 on the sandbox (emulators started in-process) and 2 for an unknown tenant', async () => {
    const ok = await run(['--tenant=acme'], {});
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/acme\s+odoo\s+module stock_delivery\s+WARN/);
    const unknown = await run(['--tenant', 'nope'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown tenant "nope"/);
  });
});
