/**
 * Client authentication: the bearer JWT of an HTTP request
 * becomes the request Identity. The algorithm is pinned (HS256 locally, the configured asymmetric
 * algorithms with JWKS), `exp`/`nbf`/`iss`/`aud` are checked with a small clock tolerance, and the
 * tenant comes from the token alone. Every failure is the same 401 UNAUTHENTICATED to the client;
 * the reason is logged, never the token.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ErrorCode } from '../schema/error-codes';
import { ROLES, type Identity } from '../tenancy/identity';
import type { TenantConfig } from '../tenancy/registry';

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

/**
 * @param tenantOf the enabled tenant of an id
 * @param isDisabledTenant whether an id names a tenant the registry holds but has disabled (told apart from an unknown one only in the reason)
 */
export function createAuthenticator(
  settings: AuthSettings,
  tenantOf: (id: string) => TenantConfig | undefined,
  isDisabledTenant: (id: string) => boolean = () => false,
): Authenticator {
  const key: Uint8Array | JWTVerifyGetKey =
    settings.mode === 'hs256' ? settings.secret : createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  const algorithms = settings.mode === 'hs256' ? ['HS256'] : settings.algorithms;

  return async (header) => {
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header?.trim() ?? '');
    if (!match?.[1]) throw new AuthenticationError(header ? 'malformed authorization header' : 'no bearer token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], key as Uint8Array, {
        algorithms,
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: settings.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      throw new AuthenticationError(`token rejected: ${(err as { code?: string }).code ?? 'invalid'}`);
    }
    const claims = ClientClaims.safeParse(payload);
    if (!claims.success) throw new AuthenticationError('token claims malformed');
    const tenantId = claims.data[TENANT_CLAIM];
    const tenant = tenantOf(tenantId);
    if (!tenant) throw isDisabledTenant(tenantId) ? new AuthenticationError('disabled tenant', true) : new AuthenticationError('unknown tenant');
    return {
      tenant,
      expiresAt: (payload.exp ?? 0) * 1000,
      identity: { tenant: tenant.id, subject: claims.data.sub, roles: claims.data[ROLES_CLAIM], scopes: claims.data.scope?.split(' ').filter(Boolean) ?? [] },
    };
  };
}
