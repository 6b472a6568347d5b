import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import { AuthenticationError, createAuthenticator } from '../../gateway/auth';
import { mintLocalToken } from '../../gateway/local-tokens';
import { loadRegistry, tenantLookup } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';

const secret = new TextEncoder().encode('a'.repeat(48));
const settings = { mode: 'hs256' as const, secret, issuer: 'iss-test', audience: 'aud-test', clockToleranceSeconds: 5 };
const registry = loadRegistry(SANDBOX_REGISTRY_PATH);
const authenticate = createAuthenticator(settings, tenantLookup(registry));
const mint = (over: Partial<Parameters<typeof mintLocalToken>[0]> = {}, key = secret) =>
  mintLocalToken({ tenant: 'acme', role: 'agent', issuer: 'iss-test', audience: 'aud-test', ...over }, key);

describe('client token verification', () => {
  it('should derive the identity from a valid token', async () => {
    const { identity, tenant } = await authenticate(`Bearer ${await mint({ role: 'finance' })}`);
    expect(identity).toEqual({ tenant: 'acme', subject: 'finance@acme.example', roles: ['finance'], scopes: [] });
    expect(tenant.id).toBe('acme');
  });

  const refusals: Array<[string, () => Promise<string | undefined>]> = [
    ['no header', async () => undefined],
    ['a non-bearer scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a malformed token', async () => 'Bearer not.a.jwt'],
    ['a wrong signature', async () => `Bearer ${await mint({}, new TextEncoder().encode('b'.repeat(48)))}`],
    [
      'alg none',
      async () =>
        `Bearer ${new UnsecuredJWT({ tenant: 'acme', roles: ['admin'] }).setSubject('x').setIssuer('iss-test').setAudience('aud-test').setExpirationTime('1h').encode()}`,
    ],
    [
      'an expired token',
      async () =>
        `Bearer ${await new SignJWT({ tenant: 'acme', roles: ['agent'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer('iss-test')
          .setAudience('aud-test')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(secret)}`,
    ],
    [
      'a token not valid yet',
      async () =>
        `Bearer ${await new SignJWT({ tenant: 'acme', roles: ['agent'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer('iss-test')
          .setAudience('aud-test')
          .setNotBefore(Math.floor(Date.now() / 1000) + 600)
          .setExpirationTime('2h')
          .sign(secret)}`,
    ],
    ['a wrong audience', async () => `Bearer ${await mint({ audience: 'someone-else' })}`],
    ['a wrong issuer', async () => `Bearer ${await mint({ issuer: 'evil' })}`],
    ['an unknown tenant', async () => `Bearer ${await mint({ tenant: 'initrode' })}`],
    [
      'a token without exp',
      async () =>
        `Bearer ${await new SignJWT({ tenant: 'acme', roles: ['agent'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('iss-test').setAudience('aud-test').sign(secret)}`,
    ],
    [
      'a token with an unknown role',
      async () =>
        `Bearer ${await new SignJWT({ tenant: 'acme', roles: ['god'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('iss-test').setAudience('aud-test').setExpirationTime('1h').sign(secret)}`,
    ],
  ];
  it.each(refusals)('should refuse %s', async (_name, header) => {
    await expect(authenticate(await header())).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('should refuse an RS256 token when HS256 is pinned (algorithm confusion)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ tenant: 'acme', roles: ['agent'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('x')
      .setIssuer('iss-test')
      .setAudience('aud-test')
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(authenticate(`Bearer ${token}`)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('should refuse a disabled tenant', async () => {
    const disabled = { tenants: registry.tenants.map((t) => (t.id === 'globex' ? { ...t, enabled: false } : t)) };
    const auth = createAuthenticator(settings, tenantLookup(disabled));
    await expect(auth(`Bearer ${await mint({ tenant: 'globex' })}`)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(auth(`Bearer ${await mint({ tenant: 'acme' })}`)).resolves.toMatchObject({ identity: { tenant: 'acme' } });
  });
});

describe('verified-token cache', () => {
  it('should verify a token once, until its own exp, re-checking the tenant on every use', async () => {
    let clock = Date.now();
    let verifications = 0;
    let enabled = true;
    const lookup = tenantLookup(registry);
    const auth = createAuthenticator(
      settings,
      (id) => (enabled ? lookup(id) : undefined),
      () => !enabled,
      [],
      {
        now: () => clock,
        onVerified: () => {
          verifications += 1;
        },
      },
    );
    const token = await mint({ ttlSeconds: 60 });
    for (let i = 0; i < 3; i++) expect((await auth(`Bearer ${token}`)).identity.subject).toBe('agent@acme.example');
    expect(verifications).toBe(1);
    // Another token is verified on its own.
    await auth(`Bearer ${await mint({ role: 'finance' })}`);
    expect(verifications).toBe(2);
    // A tenant disabled since the token was verified is refused at once, cache or not.
    enabled = false;
    await expect(auth(`Bearer ${token}`)).rejects.toMatchObject({ reason: 'disabled tenant' });
    enabled = true;
    // Past the token's exp the cache no longer answers: the token is verified again (and jose,
    // on the real clock, still accepts it; the point is that the cache did not).
    clock += 61_000;
    verifications = 0;
    await auth(`Bearer ${token}`);
    expect(verifications).toBe(1);
  });

  it('should never cache a refused token', async () => {
    let verifications = 0;
    const auth = createAuthenticator(settings, tenantLookup(registry), () => false, [], { onVerified: () => (verifications += 1) });
    const forged = `Bearer ${await mint({}, new TextEncoder().encode('b'.repeat(48)))}`;
    for (let i = 0; i < 2; i++) await expect(auth(forged)).rejects.toBeInstanceOf(AuthenticationError);
    expect(verifications).toBe(0);
  });
});

describe('client token verification with JWKS', () => {
  it('should accept RS256 and ES256 tokens signed by a key of the JWKS, and refuse HS256 and unknown keys', async () => {
    const rsa = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    const stranger = await generateKeyPair('RS256');
    const jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const auth = createAuthenticator(
        {
          mode: 'jwks',
          jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
          algorithms: ['RS256', 'ES256'],
          issuer: 'idp',
          audience: 'api',
          clockToleranceSeconds: 5,
        },
        tenantLookup(registry),
      );
      const sign = (alg: string, kid: string, key: Parameters<SignJWT['sign']>[0]) =>
        new SignJWT({ tenant: 'globex', roles: ['supervisor'], scope: 'read:tickets act:notes' })
          .setProtectedHeader({ alg, kid })
          .setSubject('u-1')
          .setIssuer('idp')
          .setAudience('api')
          .setExpirationTime('5m')
          .sign(key);
      await expect(auth(`Bearer ${await sign('RS256', 'rsa-1', rsa.privateKey)}`)).resolves.toMatchObject({
        identity: { tenant: 'globex', subject: 'u-1', roles: ['supervisor'], scopes: ['read:tickets', 'act:notes'] },
      });
      await expect(auth(`Bearer ${await sign('ES256', 'ec-1', ec.privateKey)}`)).resolves.toMatchObject({ identity: { tenant: 'globex' } });
      await expect(auth(`Bearer ${await sign('RS256', 'rsa-1', stranger.privateKey)}`)).rejects.toBeInstanceOf(AuthenticationError);
      await expect(auth(`Bearer ${await sign('HS256', 'rsa-1', secret)}`)).rejects.toBeInstanceOf(AuthenticationError);
    } finally {
      server.close();
    }
  });
});
