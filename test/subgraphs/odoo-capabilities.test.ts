/**
 * Capability reasons (pure) and the client's protocol checks against servers that answer as a real
 * Odoo 18 does where the API is not (fixtures json2.acmeonly.* and json2.both.*: a 303 to the web
 * login, an HTML 404).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '../../schema/error-codes';
import { startOdooEmulator, type RunningOdooEmulator } from '../../sandbox/odoo';
import { CapabilityHolder, OdooCapabilities, type FieldInfo } from '../../subgraphs/odoo/capabilities';
import { createOdooClient, OdooMisconfigured, OdooRejection } from '../../subgraphs/odoo/client';
import { parseRegistry } from '../../tenancy/registry';
import { emulatorStats } from '../support/http';

const fields = (...names: string[]): ReadonlyMap<string, FieldInfo> => new Map(names.map((n) => [n, { type: 'char' }]));

function capabilities(opts: { modules?: Record<string, string>; major?: number; custom?: string[] } = {}): OdooCapabilities {
  const major = opts.major ?? 18;
  return new OdooCapabilities(
    { serverVersion: `${major}.0-20250702`, serie: `${major}.0`, major },
    new Map(Object.entries(opts.modules ?? { stock_delivery: 'uninstalled', sale_margin: 'installed', sale_stock: 'installed', stock: 'installed' })),
    new Map<string, ReadonlyMap<string, FieldInfo> | null>([
      ['res.partner', fields('id', 'name', 'email')],
      ['stock.picking', fields('id', 'name', 'sale_id')],
      ['sale.order.line', fields('id', 'name', 'x_entitlement_start')],
      ['product.product', fields('id', 'name', 'type')],
      ['account.move', null],
    ]),
    [{ id: 1, name: 'My Company', currencyCode: 'USD', timeZone: 'Europe/Berlin' }],
    new Map(),
    { companyId: 1, groups: null },
    new Set(opts.custom ?? []),
    0,
  );
}

describe('Odoo capabilities: why a field cannot be read', () => {
  it('should name the missing module, the missing model, the version, the custom field and the groups', () => {
    const caps = capabilities();
    expect(caps.missing('stock.picking', 'carrier_tracking_ref')).toBe('Odoo module stock_delivery is not installed');
    expect(caps.missing('account.move', 'amount_residual_signed')).toBe('Odoo module account is not installed (the server has no model account.move)');
    expect(capabilities({ major: 17 }).missing('product.product', 'is_storable')).toBe(
      'product.product.is_storable exists only from Odoo 18.0 (the server runs 17.0-20250702)',
    );
    expect(caps.missing('res.partner', 'credit_limit')).toMatch(
      /^the integration user cannot read res\.partner\.credit_limit \(allowed for groups 'Technical \/ Show Accounting Features - Readonly' or 'Invoicing \/ Invoicing'\)$/,
    );
    expect(caps.missing('res.partner', 'email')).toBeNull();
  });

  it('should read a custom field only when the registry configures it and the database has it', () => {
    expect(capabilities().has('sale.order.line', 'x_entitlement_start')).toBe(false);
    expect(capabilities().missing('sale.order.line', 'x_entitlement_start')).toMatch(/no custom field is configured/);
    expect(capabilities({ custom: ['x_entitlement_start'] }).has('sale.order.line', 'x_entitlement_start')).toBe(true);
    expect(capabilities({ custom: ['x_entitlement_end'] }).missing('sale.order.line', 'x_entitlement_end')).toMatch(
      /configured for this tenant does not exist/,
    );
  });

  it('should keep only readable fields in a read and throw the coded error with its reason', () => {
    const caps = capabilities();
    expect(caps.readable('stock.picking', ['name', 'carrier_tracking_ref', 'sale_id'])).toEqual(['name', 'sale_id']);
    let thrown: unknown;
    try {
      caps.require('stock.picking', 'name', 'carrier_tracking_ref');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({
      extensions: { code: ErrorCode.UPSTREAM_CAPABILITY_MISSING, upstream: 'odoo', reason: 'Odoo module stock_delivery is not installed' },
    });
  });
});

describe('Odoo client: the web client where the API should be is a configuration error, not an outage', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // Byte for byte what Odoo 18 answers on /json/2 (one database: 303 to the login; several: HTML 404).
    server = createServer((req, res) => {
      if (req.url?.startsWith('/one/')) {
        res.writeHead(303, { 'content-type': 'text/html; charset=utf-8', location: '/web/login?redirect=%2Fjson%2F2%2Fres.partner%2Fsearch_read%3F' });
        res.end('<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n');
      } else {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('should report a redirect to /web/login with the URL and the location, never following it', async () => {
    const client = createOdooClient({ url: `${base}/one`, db: 'acme', login: 'admin', apiKey: 'k', protocol: 'json2' });
    const err = await client.searchRead('res.partner', [], { fields: ['name'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ extensions: { code: ErrorCode.UPSTREAM_MISCONFIGURED, status: 303 } });
    // The detail (URL, location) is for logs and the doctor; the client-facing message names neither.
    expect(err).toBeInstanceOf(OdooMisconfigured);
    expect((err as OdooMisconfigured).detail).toContain(`${base}/one/json/2/res.partner/search_read`);
    expect((err as OdooMisconfigured).detail).toContain('/web/login?redirect=');
    expect(String((err as Error).message)).not.toMatch(/127\.0\.0\.1|web\/login/);
  });

  it('should report an HTML page as a configuration error naming the URL and the status', async () => {
    const client = createOdooClient({ url: base, db: 'acme', login: 'admin', apiKey: 'k', protocol: 'jsonrpc' });
    const err = await client.searchRead('res.partner', [], { fields: ['name'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ extensions: { code: ErrorCode.UPSTREAM_MISCONFIGURED, status: 404 } });
    expect((err as OdooMisconfigured).detail).toContain(`${base}/jsonrpc`);
  });
});

describe('Odoo capabilities over time (against the emulated Odoo, with an injected clock)', () => {
  let emulator: RunningOdooEmulator;
  beforeAll(async () => {
    emulator = await startOdooEmulator({ port: 0, tenants: [{ tenant: 'acme', db: 'acme', login: 'admin@acme.example', apiKey: 'key' }] });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const versionCalls = async (): Promise<number> => (await emulatorStats(emulator.url))['_anonymous']?.['common.version'] ?? 0;

  it('should discover once, serve the answer until it is stale, then refresh in the background', async () => {
    const config = parseRegistry({ tenants: [sandboxTenant(emulator.urlOf('acme'))] }).tenants[0]!.upstreams.odoo;
    let now = 1_000_000;
    const holder = new CapabilityHolder(
      createOdooClient({ url: emulator.urlOf('acme'), db: 'acme', login: 'admin@acme.example', apiKey: 'key' }),
      config,
      undefined,
      () => now,
    );
    const before = await versionCalls();
    const first = await holder.get();
    expect(first.server.major).toBe(18);
    expect(first.moduleInstalled('stock_delivery')).toBe(false);
    expect(first.plans.size).toBe(3);
    expect(await holder.get()).toBe(first);
    expect(await versionCalls()).toBe(before + 1);
    // A refusal rediscovers, but not twice within the throttle window.
    const second = await holder.afterRefusal();
    expect(second).not.toBe(first);
    expect(await holder.afterRefusal()).toBe(second);
    expect(await versionCalls()).toBe(before + 2);
    now += config.capabilityRefreshSeconds * 1_000;
    expect(await holder.get()).toBe(second); // stale: served, refreshed behind it
    const third = await holder.refresh(); // joins the background refresh (one discovery at a time)
    expect(third).not.toBe(second);
    expect(holder.current).toBe(third);
    expect(await versionCalls()).toBe(before + 3);
  });

  it('should refuse JSON-2 against a server below 19 with the version it found, and keep refusing until the next refresh', async () => {
    const config = parseRegistry({
      tenants: [
        {
          ...sandboxTenant(emulator.urlOf('acme')),
          upstreams: {
            ...sandboxTenant(emulator.urlOf('acme')).upstreams,
            odoo: { ...sandboxTenant(emulator.urlOf('acme')).upstreams.odoo, protocol: 'json2', version: '19.0' },
          },
        },
      ],
    }).tenants[0]!.upstreams.odoo;
    const holder = new CapabilityHolder(
      createOdooClient({ url: emulator.urlOf('acme'), db: 'acme', login: 'admin@acme.example', apiKey: 'key', protocol: 'json2' }),
      config,
    );
    const err = await holder.get().catch((e: unknown) => e);
    expect(err).toMatchObject({ extensions: { code: ErrorCode.UPSTREAM_MISCONFIGURED } });
    expect((err as OdooMisconfigured).detail).toMatch(/runs 18\.0-\d+, which has no JSON-2 API/);
    const before = await versionCalls();
    await expect(holder.get()).rejects.toBe(err);
    expect(await versionCalls()).toBe(before);
  });

  it('should tell "Invalid field" and AccessError refusals from other ones', () => {
    expect(
      new OdooRejection(ErrorCode.UPSTREAM_REJECTED, 'x', 'builtins.ValueError', "Invalid field 'carrier_tracking_ref' on model 'stock.picking'")
        .isCapabilityError,
    ).toBe(true);
    expect(new OdooRejection(ErrorCode.UPSTREAM_REJECTED, 'x', 'odoo.exceptions.AccessError', 'You do not have enough rights').isCapabilityError).toBe(true);
    expect(new OdooRejection(ErrorCode.UPSTREAM_REJECTED, 'x', 'builtins.ValueError', 'Invalid "order" specified').isCapabilityError).toBe(false);
    expect(new OdooRejection(ErrorCode.UPSTREAM_REJECTED, 'x', 'odoo.exceptions.UserError', 'must be in draft').isCapabilityError).toBe(false);
  });
});

/** A registry entry for one acme tenant on the given Odoo (the sandbox's plans, inline test secrets by env reference). */
function sandboxTenant(odooUrl: string) {
  return {
    id: 'acme',
    displayName: 'acme',
    upstreams: {
      odoo: {
        url: odooUrl,
        db: 'acme',
        login: 'admin@acme.example',
        apiKey: { env: 'K' },
        entitlements: { plans: ['BASIC', 'STANDARD', 'PREMIUM'].map((t) => ({ sku: `SUP-${t}`, tier: t.toLowerCase(), termMonths: 12 })) },
      },
      salesforce: { loginUrl: 'http://127.0.0.1:9', clientId: { env: 'K' }, clientSecret: { env: 'K' } },
      zendesk: { url: 'http://127.0.0.1:9/api/v2', email: 'a@b.example', token: { env: 'K' } },
    },
  };
}
