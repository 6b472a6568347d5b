/**
 * Tenant-owned issuers (JWKS): each token is verified with the keys of the issuer its `iss` names,
 * the gateway's own or a tenant's; a tenant's issuer speaks for that tenant alone. Real JWKS
 * servers on local ports (one per issuer), real RS256/ES256 keys.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { AuthenticationError, createAuthenticator, tenantIssuers, type Authenticator, type AuthSettings } from '../../gateway/auth';
import { disabledTenant, loadRegistry, parseRegistry, tenantLookup, type TenantRegistry } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';

interface Issuer {
  readonly name: string;
  readonly jwksUrl: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: KeyLike;
  /** Key-set fetches this server has answered. */
  fetches: number;
  readonly server: Server;
}

/** A JWKS endpoint for one fresh key pair, on an ephemeral port. */
async function startIssuer(name: string, alg: 'RS256' | 'ES256', kid: string): Promise<Issuer> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const issuer = { name, alg, privateKey, fetches: 0 } as { -readonly [K in keyof Issuer]: Issuer[K] };
  issuer.server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    issuer.fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => issuer.server.listen(0, '127.0.0.1', resolve));
  const address = issuer.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  issuer.jwksUrl = `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
  return issuer;
}

const AUDIENCE = 'support-gateway';
const GLOBAL_ISSUER = 'https://login.gateway.example';
const ACME_ISSUER = 'https://idp.acme.example';

async function token(issuer: Issuer, claims: { tenant: string; roles?: string[] }, over: { iss?: string; kid?: string; aud?: string } = {}): Promise<string> {
  return new SignJWT({ tenant: claims.tenant, roles: claims.roles ?? ['agent'] })
    .setProtectedHeader({ alg: issuer.alg, kid: over.kid ?? `${issuer.name}-1` })
    .setSubject(`someone@${claims.tenant}.example`)
    .setIssuer(over.iss ?? issuer.name)
    .setAudience(over.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(issuer.privateKey);
}

let global: Issuer;
let acme: Issuer;
let stranger: Issuer;
let registry: TenantRegistry;
let authenticate: Authenticator;
const settings = (): AuthSettings => ({
  mode: 'jwks',
  jwksUrl: global.jwksUrl,
  algorithms: ['RS256', 'ES256'],
  issuer: GLOBAL_ISSUER,
  audience: AUDIENCE,
  clockToleranceSeconds: 5,
});

beforeAll(async () => {
  [global, acme, stranger] = await Promise.all([
    startIssuer(GLOBAL_ISSUER, 'RS256', `${GLOBAL_ISSUER}-1`),
    startIssuer(ACME_ISSUER, 'ES256', `${ACME_ISSUER}-1`),
    startIssuer('https://idp.stranger.example', 'RS256', 'https://idp.stranger.example-1'),
  ]);
  const sandbox = loadRegistry(SANDBOX_REGISTRY_PATH);
  registry = parseRegistry({
    tenants: sandbox.tenants.map((t) => (t.id === 'acme' ? { ...t, auth: { issuer: ACME_ISSUER, jwksUrl: acme.jwksUrl } } : t)),
  });
  authenticate = createAuthenticator(settings(), tenantLookup(registry), disabledTenant(registry), tenantIssuers(registry));
});
afterAll(async () => {
  await Promise.all([global, acme, stranger].map((i) => new Promise((resolve) => i?.server.close(resolve))));
});

const refusal = async (header: string): Promise<string> => {
  const err = await authenticate(header).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthenticationError);
  return (err as AuthenticationError).reason;
};

describe('tokens verified by the issuer they name', () => {
  it("should accept a token of acme's own issuer for acme", async () => {
    const { identity, tenant } = await authenticate(`Bearer ${await token(acme, { tenant: 'acme', roles: ['supervisor'] })}`);
    expect(tenant.id).toBe('acme');
    expect(identity).toEqual({ tenant: 'acme', subject: 'someone@acme.example', roles: ['supervisor'], scopes: [] });
  });

  it("should refuse a token of acme's issuer that claims tenant globex (401 on the wire)", async () => {
    expect(await refusal(`Bearer ${await token(acme, { tenant: 'globex', roles: ['admin'] })}`)).toBe("token names a tenant other than its issuer's");
  });

  it('should accept a token of the global issuer for a tenant without its own issuer', async () => {
    const { tenant } = await authenticate(`Bearer ${await token(global, { tenant: 'globex' })}`);
    expect(tenant.id).toBe('globex');
  });

  it('should refuse a token of the global issuer for acme, which signs its users in with its own', async () => {
    expect(await refusal(`Bearer ${await token(global, { tenant: 'acme' })}`)).toBe('tenant signs its users in with its own issuer');
  });

  it('should refuse an unknown issuer without fetching any key set', async () => {
    const before = global.fetches + acme.fetches + stranger.fetches;
    expect(await refusal(`Bearer ${await token(stranger, { tenant: 'globex' })}`)).toBe('token rejected: unknown issuer');
    expect(global.fetches + acme.fetches + stranger.fetches).toBe(before);
  });

  it("should refuse a token that names acme's issuer but is signed with another key", async () => {
    // The stranger signs with its own key and claims to be acme's IdP, with acme's key id.
    const forged = await token(stranger, { tenant: 'acme' }, { iss: ACME_ISSUER, kid: `${ACME_ISSUER}-1` });
    expect(await refusal(`Bearer ${forged}`)).toMatch(/^token rejected: /);
  });

  it('should check the audience of a tenant issuer (its own, else the gateway’s)', async () => {
    expect(await refusal(`Bearer ${await token(acme, { tenant: 'acme' }, { aud: 'someone-else' })}`)).toBe('token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED');
    const withAudience = parseRegistry({
      tenants: registry.tenants.map((t) => (t.id === 'acme' ? { ...t, auth: { issuer: ACME_ISSUER, jwksUrl: acme.jwksUrl, audience: 'acme-sidebar' } } : t)),
    });
    const auth = createAuthenticator(settings(), tenantLookup(withAudience), disabledTenant(withAudience), tenantIssuers(withAudience));
    expect((await auth(`Bearer ${await token(acme, { tenant: 'acme' }, { aud: 'acme-sidebar' })}`)).tenant.id).toBe('acme');
    await expect(auth(`Bearer ${await token(acme, { tenant: 'acme' })}`)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('should fetch each issuer’s key set once, when its first token arrives, and reuse it', async () => {
    const auth = createAuthenticator(settings(), tenantLookup(registry), disabledTenant(registry), tenantIssuers(registry));
    const [acme0, global0] = [acme.fetches, global.fetches];
    for (let i = 0; i < 5; i++) await auth(`Bearer ${await token(acme, { tenant: 'acme' })}`);
    expect([acme.fetches - acme0, global.fetches - global0]).toEqual([1, 0]);
    for (let i = 0; i < 5; i++) await auth(`Bearer ${await token(global, { tenant: 'globex' })}`);
    expect([acme.fetches - acme0, global.fetches - global0]).toEqual([1, 1]);
  });

  it("should tell a disabled tenant's token from its own issuer apart (WebSocket 4403)", async () => {
    const disabled = parseRegistry({ tenants: registry.tenants.map((t) => (t.id === 'acme' ? { ...t, enabled: false } : t)) });
    const auth = createAuthenticator(settings(), tenantLookup(disabled), disabledTenant(disabled), tenantIssuers(disabled));
    const err = await auth(`Bearer ${await token(acme, { tenant: 'acme' })}`).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'disabled tenant', tenantDisabled: true });
  });
});

describe('issuer configuration', () => {
  it("should refuse at start a tenant issuer equal to the gateway's or to another tenant's", () => {
    const clash = (issuer: string) =>
      parseRegistry({
        tenants: registry.tenants.map((t) => (t.id === 'globex' ? { ...t, auth: { issuer, jwksUrl: stranger.jwksUrl } } : t)),
      });
    expect(() =>
      createAuthenticator(
        settings(),
        () => undefined,
        () => false,
        tenantIssuers(clash(GLOBAL_ISSUER)),
      ),
    ).toThrow(/gateway's own/);
    expect(() =>
      createAuthenticator(
        settings(),
        () => undefined,
        () => false,
        tenantIssuers(clash(ACME_ISSUER)),
      ),
    ).toThrow(/another tenant's/);
  });

  it('should accept https key sets and http ones only on localhost', () => {
    const withJwks = (jwksUrl: string) => () =>
      parseRegistry({ tenants: registry.tenants.map((t) => (t.id === 'acme' ? { ...t, auth: { issuer: ACME_ISSUER, jwksUrl } } : t)) });
    expect(withJwks('https://idp.acme.example/.well-known/jwks.json')).not.toThrow();
    expect(withJwks('http://localhost:8080/jwks.json')).not.toThrow();
    expect(withJwks('http://idp.acme.example/jwks.json')).toThrow(/https URL/);
    expect(withJwks('not a url')).toThrow(/auth\.jwksUrl/);
  });
});
