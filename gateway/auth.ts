/**
 * Client authentication: the bearer JWT of an HTTP request
 * becomes the request Identity. The algorithm is pinned (HS256 locally, the configured asymmetric
 * algorithms with JWKS), `exp`/`nbf`/`iss`/`aud` are checked with a small clock tolerance, and the
 * tenant comes from the token alone. Every failure is the same 401 UNAUTHENTICATED to the client;
 * the reason is logged, never the token.
 *
 * Tenant-owned issuers: a tenant may name its own issuer and JWKS in the registry (`auth`). The
 * token's unverified `iss` picks the keys (the gateway's own issuer, or a tenant's); a token of a
 * tenant's issuer must name that tenant, a tenant with its own issuer accepts no other, and an
 * issuer nobody configured is refused before any key is fetched.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { ErrorCode } from '../schema/error-codes';
import { ROLES, type Identity } from '../tenancy/identity';
import type { TenantConfig, TenantRegistry } from '../tenancy/registry';

/** The claims a client token carries beyond the registered ones. */
export const TENANT_CLAIM = 'tenant';
export const ROLES_CLAIM = 'roles';

const ClientClaims = z.object({
  sub: z.string().min(1),
  [TENANT_CLAIM]: z.string().min(1),
  [ROLES_CLAIM]: z.array(z.enum(ROLES)).min(1),
  scope: z.string().optional(),
});

export type AuthSettings =
  | { mode: 'hs256'; secret: Uint8Array; issuer: string; audience: string; clockToleranceSeconds: number }
  | { mode: 'jwks'; jwksUrl: string; algorithms: string[]; issuer: string; audience: string; clockToleranceSeconds: number };

export class AuthenticationError extends Error {
  constructor(
    readonly reason: string,
    /** The token is valid but names a tenant the registry has disabled (WebSocket close 4403, not 4401). */
    readonly tenantDisabled = false,
  ) {
    super(reason);
    this.name = 'AuthenticationError';
  }
}

/** The client-facing error: one message for every cause, so it tells an attacker nothing. */
export const unauthenticatedError = (): GraphQLError =>
  new GraphQLError('Authentication required: send a valid bearer token', { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });

/** A verified client token: who, for which tenant, and until when (epoch ms, the token's `exp`). */
export interface Authenticated {
  identity: Identity;
  tenant: TenantConfig;
  expiresAt: number;
}

export type Authenticator = (authorizationHeader: string | undefined) => Promise<Authenticated>;

/** A tenant's own token issuer (registry `auth`): its tokens are verified with its keys and may name only that tenant. */
export interface TenantIssuer {
  tenant: string;
  issuer: string;
  jwksUrl: string;
  /** @default the gateway's audience */
  audience?: string;
}

/** Every tenant's own issuer in the registry (disabled tenants too, so their tokens are told apart as disabled). */
export function tenantIssuers(registry: TenantRegistry): TenantIssuer[] {
  return registry.tenants.flatMap((t) =>
    t.auth ? [{ tenant: t.id, issuer: t.auth.issuer, jwksUrl: t.auth.jwksUrl, ...(t.auth.audience ? { audience: t.auth.audience } : {}) }] : [],
  );
}

/** Asymmetric algorithms accepted from a tenant's JWKS when the gateway itself runs HS256 (local use). */
const TENANT_JWKS_ALGORITHMS = ['RS256', 'ES256'];
const remoteKeys = (url: string): JWTVerifyGetKey => createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });

interface Verifier {
  key: Uint8Array | JWTVerifyGetKey;
  algorithms: string[];
  audience: string;
  /** Set for a tenant's own issuer: the only tenant its tokens may name. */
  owner?: string;
}

export interface VerifiedTokenCacheOptions {
  /** Tokens kept at most. @default 10_000 */
  max?: number;
  /** @default Date.now */
  now?: () => number;
  /** Called once per signature verification (tests count them). */
  onVerified?: () => void;
}

/**
 * @param tenantOf the enabled tenant of an id
 * @param isDisabledTenant whether an id names a tenant the registry holds but has disabled (told apart from an unknown one only in the reason)
 * @param issuers tenants' own issuers (`tenantIssuers(registry)`); each must differ from the gateway's and from each other (else this throws)
 */
export function createAuthenticator(
  settings: AuthSettings,
  tenantOf: (id: string) => TenantConfig | undefined,
  isDisabledTenant: (id: string) => boolean = () => false,
  issuers: readonly TenantIssuer[] = [],
  cache: VerifiedTokenCacheOptions = {},
): Authenticator {
  // Verified tokens, by their exact text, until their own `exp` (never longer): a sidebar sends the
  // same token with every request, and a signature check per request is most of authentication's cost.
  // A hit re-checks the tenant (a tenant disabled since is refused at once).
  const now = cache.now ?? Date.now;
  const verifiedTokens = new LRUCache<string, Authenticated>({ max: cache.max ?? 10_000 });
  const algorithms = settings.mode === 'hs256' ? ['HS256'] : settings.algorithms;
  const verifiers = new Map<string, Verifier>([
    [settings.issuer, { key: settings.mode === 'hs256' ? settings.secret : remoteKeys(settings.jwksUrl), algorithms, audience: settings.audience }],
  ]);
  const ownIssuer = new Map<string, string>();
  for (const t of issuers) {
    if (verifiers.has(t.issuer))
      throw new Error(`tenant ${t.tenant}: issuer ${t.issuer} is ${t.issuer === settings.issuer ? "the gateway's own" : "already another tenant's"}`);
    // One key set per issuer, created once: jose caches its keys and refetches on an unknown kid (at most every 30 s).
    verifiers.set(t.issuer, {
      key: remoteKeys(t.jwksUrl),
      algorithms: settings.mode === 'hs256' ? TENANT_JWKS_ALGORITHMS : settings.algorithms,
      audience: t.audience ?? settings.audience,
      owner: t.tenant,
    });
    ownIssuer.set(t.tenant, t.issuer);
  }

  return async (header) => {
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header?.trim() ?? '');
    if (!match?.[1]) throw new AuthenticationError(header ? 'malformed authorization header' : 'no bearer token');
    const known = verifiedTokens.get(match[1]);
    if (known) {
      const current = now() < known.expiresAt ? tenantOf(known.identity.tenant) : undefined;
      if (current) return { ...known, tenant: current };
      verifiedTokens.delete(match[1]);
    }
    let issuer: unknown;
    try {
      issuer = decodeJwt(match[1]).iss;
    } catch {
      throw new AuthenticationError('token rejected: malformed');
    }
    const verifier = typeof issuer === 'string' ? verifiers.get(issuer) : undefined;
    if (!verifier) throw new AuthenticationError('token rejected: unknown issuer');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], verifier.key as Uint8Array, {
        algorithms: verifier.algorithms,
        issuer: issuer as string,
        audience: verifier.audience,
        clockTolerance: settings.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      throw new AuthenticationError(`token rejected: ${(err as { code?: string }).code ?? 'invalid'}`);
    }
    const claims = ClientClaims.safeParse(payload);
    if (!claims.success) throw new AuthenticationError('token claims malformed');
    const tenantId = claims.data[TENANT_CLAIM];
    // A tenant's IdP speaks for that tenant alone, and a tenant with its own IdP is signed in by it alone.
    if (verifier.owner !== undefined && verifier.owner !== tenantId) throw new AuthenticationError("token names a tenant other than its issuer's");
    if (verifier.owner === undefined && ownIssuer.has(tenantId)) throw new AuthenticationError('tenant signs its users in with its own issuer');
    const tenant = tenantOf(tenantId);
    if (!tenant) throw isDisabledTenant(tenantId) ? new AuthenticationError('disabled tenant', true) : new AuthenticationError('unknown tenant');
    const authenticated: Authenticated = {
      tenant,
      expiresAt: (payload.exp ?? 0) * 1000,
      identity: { tenant: tenant.id, subject: claims.data.sub, roles: claims.data[ROLES_CLAIM], scopes: claims.data.scope?.split(' ').filter(Boolean) ?? [] },
    };
    cache.onVerified?.();
    if (now() < authenticated.expiresAt) verifiedTokens.set(match[1], authenticated);
    return authenticated;
  };
}
