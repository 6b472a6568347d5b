import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadGatewayConfig } from '../../gateway/config';
import { mintSandboxSecrets, sandboxCredentials } from '../../sandbox/credentials';
import { InternalTokenError, InternalTokenVerifier, internalAudience, internalKey, signInternalToken, verifyInternalToken } from '../../tenancy/identity';
import { loadRegistry, parseRegistry, RegistryError, tenantLookup, withUpstreamUrls } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';
import { resolveSecret, SecretResolutionError } from '../../platform/secrets';

const raw = JSON.parse(readFileSync(SANDBOX_REGISTRY_PATH, 'utf8')) as { tenants: Array<Record<string, unknown>> };

describe('tenant registry', () => {
  it('should load the sandbox registry with defaults applied', () => {
    const registry = loadRegistry(SANDBOX_REGISTRY_PATH);
    expect(registry.tenants.map((t) => t.id)).toEqual(['acme', 'globex', 'initech']);
    expect(registry.tenants[0]!.upstreams.odoo.timeoutMs).toBe(10_000);
    expect(registry.tenants[1]!.upstreams.odoo.protocol).toBe('json2');
  });

  it('should name every bad key and never accept an inline secret', () => {
    const bad = structuredClone(raw);
    const acme = bad.tenants[0] as { id: string; upstreams: { odoo: Record<string, unknown>; zendesk: Record<string, unknown> } };
    acme.id = 'Acme Corp';
    acme.upstreams.odoo['apiKey'] = 'plain-text-key';
    acme.upstreams.zendesk['url'] = 'ftp://x';
    let message = '';
    try {
      parseRegistry(bad);
    } catch (err) {
      expect(err).toBeInstanceOf(RegistryError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/tenants\.0\.id/);
    expect(message).toMatch(/tenants\.0\.upstreams\.odoo\.apiKey/);
    expect(message).toMatch(/tenants\.0\.upstreams\.zendesk\.url/);
    expect(message).not.toMatch(/plain-text-key/);
    const duplicated = structuredClone(raw);
    duplicated.tenants.push(structuredClone(raw.tenants[1]!));
    expect(() => parseRegistry(duplicated)).toThrow(/tenants\.3\.id: duplicate tenant id globex/);
  });

  it('should refuse unknown keys (a typo is not silently ignored)', () => {
    const bad = structuredClone(raw);
    (bad.tenants[0] as Record<string, unknown>)['polcy'] = {};
    expect(() => parseRegistry(bad)).toThrow(/polcy|Unrecognized/);
  });

  it('should hide disabled tenants from lookups and repoint upstream URLs', () => {
    const registry = loadRegistry(SANDBOX_REGISTRY_PATH);
    const disabled = { tenants: registry.tenants.map((t) => ({ ...t, enabled: t.id !== 'globex' })) };
    expect(tenantLookup(disabled)('globex')).toBeUndefined();
    expect(tenantLookup(disabled)('acme')?.id).toBe('acme');
    const moved = withUpstreamUrls(registry, { odoo: 'http://127.0.0.1:1', salesforce: 'http://127.0.0.1:2', zendesk: 'http://127.0.0.1:3' });
    expect(moved.tenants[0]!.upstreams.zendesk.url).toBe('http://127.0.0.1:3/api/v2');
  });
});

describe('secrets by reference', () => {
  it('should resolve env and file references, and name the reference (never a value) when missing', () => {
    expect(resolveSecret({ env: 'A_KEY' }, { env: { A_KEY: 'v1' } })).toBe('v1');
    expect(resolveSecret({ file: '/run/secrets/k' }, { env: {}, readFile: () => 'v2\n' })).toBe('v2');
    expect(() => resolveSecret({ env: 'MISSING' }, { env: {} })).toThrow(new SecretResolutionError('secret env:MISSING is not set'));
    expect(() =>
      resolveSecret(
        { file: '/nope' },
        {
          env: {},
          readFile: () => {
            throw new Error('ENOENT secret-value');
          },
        },
      ),
    ).toThrow(/file:\/nope cannot be read/);
  });

  it('should mint fresh sandbox credentials for every run and keep given ones', () => {
    const registry = loadRegistry(SANDBOX_REGISTRY_PATH);
    const a = mintSandboxSecrets(registry);
    const b = mintSandboxSecrets(registry, { SANDBOX_ACME_ODOO_API_KEY: 'given' });
    expect(a['SANDBOX_ACME_ODOO_API_KEY']).not.toBe(b['SANDBOX_ACME_ODOO_API_KEY']);
    expect(b['SANDBOX_ACME_ODOO_API_KEY']).toBe('given');
    const creds = sandboxCredentials(registry, { env: a });
    expect(creds.odoo.map((c) => c.db)).toEqual(['acme', 'globex', 'initech']);
    expect(new Set(creds.zendesk.map((c) => c.token)).size).toBe(3);
  });
});

describe('gateway identity tokens', () => {
  const key = internalKey('k'.repeat(40));
  it('should round-trip an identity and refuse forged, expired or missing tokens', async () => {
    const identity = { tenant: 'acme', subject: 's', roles: ['agent' as const], scopes: ['x'] };
    const odoo = internalAudience('odoo');
    await expect(verifyInternalToken(await signInternalToken(identity, key, odoo), key, odoo)).resolves.toEqual(identity);
    await expect(verifyInternalToken(await signInternalToken(identity, internalKey('z'.repeat(40)), odoo), key, odoo)).rejects.toBeInstanceOf(
      InternalTokenError,
    );
    await expect(verifyInternalToken(await signInternalToken(identity, key, odoo, Math.floor(Date.now() / 1000) - 3600), key, odoo)).rejects.toThrow(/expired/);
    await expect(verifyInternalToken(undefined, key, odoo)).rejects.toThrow(/missing/);
    // A token addressed to one subgraph is refused by another (no replay across subgraphs).
    await expect(verifyInternalToken(await signInternalToken(identity, key, internalAudience('zendesk')), key, odoo)).rejects.toBeInstanceOf(
      InternalTokenError,
    );
    expect(() => internalKey('short')).toThrow(/32/);
  });

  it("should check a token's signature once and remember it until its exp, never a refused one", async () => {
    const identity = { tenant: 'acme', subject: 's', roles: ['agent' as const], scopes: ['x'] };
    const odoo = internalAudience('odoo');
    const own = internalKey('v'.repeat(40));
    let clock = Date.now();
    const verifier = new InternalTokenVerifier(own, odoo, { now: () => clock });
    const token = await signInternalToken(identity, own, odoo);
    const first = await verifier.verify(token);
    expect(first).toEqual(identity);
    // The key changes under it: a fresh check would now fail, the remembered answer still stands.
    own.fill(0);
    const second = await verifier.verify(token);
    expect(second).toEqual(identity);
    expect(second).not.toBe(first); // each request its own object
    // Past the token's exp the remembered answer is not used: the token is checked again, and the
    // changed key refuses it.
    clock += 61_000;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InternalTokenError);
    // Refusals are never remembered as answers; a token for another subgraph stays refused.
    const other = new InternalTokenVerifier(key, odoo);
    const misaddressed = await signInternalToken(identity, key, internalAudience('zendesk'));
    await expect(other.verify(misaddressed)).rejects.toBeInstanceOf(InternalTokenError);
    await expect(other.verify(misaddressed)).rejects.toBeInstanceOf(InternalTokenError);
    await expect(other.verify(undefined)).rejects.toThrow(/missing/);
  });
});

describe('gateway configuration', () => {
  it('should apply defaults and name every bad key without echoing values', () => {
    expect(loadGatewayConfig({}).PORT).toBe(4000);
    let message = '';
    try {
      loadGatewayConfig({ PORT: 'eighty', AUTH_MODE: 'jwks', AUTH_HS256_SECRET: 'tooshort', NODE_ENV: 'production' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/AUTH_HS256_SECRET/);
    expect(message).not.toMatch(/tooshort/);
    // Cross-field rules run once every field is well-formed.
    expect(() => loadGatewayConfig({ AUTH_MODE: 'jwks', NODE_ENV: 'production' })).toThrow(/AUTH_JWKS_URL[\s\S]*INTERNAL_TOKEN_SECRET/);
  });
});
