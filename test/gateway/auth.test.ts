import { describe, expect, it } from '@jest/globals';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
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
    ['alg none', async () => `Bearer ${new UnsecuredJWT({ tenant: 'acme', roles: ['admin'] }).setSubject('x').setIssuer('iss-test').setAudience('aud-test').setExpirationTime('1h').encode()}`],
    ['an expired token', async () => `Bearer ${await new SignJWT({ tenant: 'acme', roles: ['agent'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('iss-test').setAudience('aud-test').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(secret)}`],
    ['a token not valid yet', async () => `Bearer ${await new SignJWT({ tenant: 'acme', roles: ['agent'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('iss-test').setAudience('aud-test').setNotBefore(Math.floor(Date.now() / 1000) + 600).setExpirationTime('2h').sign(secret)}`],
    ['a wrong audience', async () => `Bearer ${await mint({ audience: 'someone-else' })}`],
    ['a wrong issuer', async () => `Bearer ${await mint({ issuer: 'evil' })}`],
    ['an unknown tenant', async () => `Bearer ${await mint({ tenant: 'initrode' })}`],
    ['a token without exp', async () => `Bearer ${await new SignJWT({ tenant: 'acme', roles: ['agent'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('iss-test').setAudience('aud-test').sign(secret)}`],
    ['a token with an unknown role', async () => `Bearer ${await new SignJWT({ tenant: 'acme', roles: ['god'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('iss-test').setAudience('aud-test').setExpirationTime('1h').sign(secret)}`],
  ];
  it.each(refusals)('should refuse %s', async (_name, header) => {
    await expect(authenticate(await header())).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('should refuse an RS256 token when HS256 is pinned (algorithm confusion)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ tenant: 'acme', roles: ['agent'] }).setProtectedHeader({ alg: 'RS256' }).setSubject('x').setIssuer('iss-test').setAudience('aud-test').setExpirationTime('1h').sign(privateKey);
    await expect(authenticate(`Bearer ${token}`)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('should refuse a disabled tenant', async () => {
    const disabled = { tenants: registry.tenants.map((t) => (t.id === 'globex' ? { ...t, enabled: false } : t)) };
    const auth = createAuthenticator(settings, tenantLookup(disabled));
    await expect(auth(`Bearer ${await mint({ tenant: 'globex' })}`)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(auth(`Bearer ${await mint({ tenant: 'acme' })}`)).resolves.toMatchObject({ identity: { tenant: 'acme' } });
  });
});
