/**
 * The request identity and the short-lived token the gateway signs to carry it to the subgraphs.
 *
 * The gateway derives an Identity from the client's verified bearer token and forwards it as an
 * internal JWT (HS256, its own key, 60 s, addressed to one subgraph, signed for each fetch). Every
 * subgraph verifies that token and takes the tenant from it alone; a request without it, or with a
 * forged, expired or misaddressed one, gets nothing.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

export const ROLES = ['agent', 'supervisor', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  readonly tenant: string;
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly scopes: readonly string[];
}

export const INTERNAL_ISSUER = 'support-gateway';
/**
 * The audience of an internal token: one subgraph. The gateway signs a token per subgraph fetch, so
 * a token one subgraph has seen cannot be replayed against another.
 */
export const internalAudience = (subgraph: string): string => `support-subgraph:${subgraph}`;
/** Lifetime of an internal token in seconds. */
export const INTERNAL_TOKEN_TTL_SECONDS = 60;
/** The header the gateway puts the internal token in. */
export const INTERNAL_IDENTITY_HEADER = 'x-gateway-identity';

const InternalClaims = z.object({
  sub: z.string().min(1),
  tid: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
  scp: z.array(z.string()).default([]),
});

/** Thrown when an internal token is missing, forged, expired or malformed. Never says which secret. */
export class InternalTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalTokenError';
  }
}

export function internalKey(secret: string): Uint8Array {
  if (secret.length < 32) throw new Error('internal token secret must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

export async function signInternalToken(identity: Identity, key: Uint8Array, audience: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  return new SignJWT({ tid: identity.tenant, roles: [...identity.roles], scp: [...identity.scopes] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(identity.subject)
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(audience)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + INTERNAL_TOKEN_TTL_SECONDS)
    .sign(key);
}

export async function verifyInternalToken(token: string | undefined, key: Uint8Array, audience: string): Promise<Identity> {
  return (await verifyInternalClaims(token, key, audience)).identity;
}

/** What a verified internal token says, and when it expires (ms since the epoch). */
async function verifyInternalClaims(token: string | undefined, key: Uint8Array, audience: string): Promise<{ identity: Identity; expiresAt: number }> {
  if (!token) throw new InternalTokenError('missing gateway identity');
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: INTERNAL_ISSUER,
      audience,
      clockTolerance: 5,
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    const claims = InternalClaims.safeParse(payload);
    if (!claims.success) throw new InternalTokenError('malformed gateway identity');
    return {
      identity: { tenant: claims.data.tid, subject: claims.data.sub, roles: claims.data.roles, scopes: claims.data.scp },
      expiresAt: (payload.exp ?? 0) * 1000,
    };
  } catch (err) {
    if (err instanceof InternalTokenError) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new InternalTokenError('expired gateway identity');
    throw new InternalTokenError('invalid gateway identity');
  }
}

/**
 * A subgraph's check of internal tokens, each verified token remembered until its `exp`: the
 * gateway reuses a token for 30 s, so its signature is checked once, not on every request. Only the
 * exact string that verified is remembered (never a refused one), for this subgraph's audience.
 */
export class InternalTokenVerifier {
  readonly #key: Uint8Array;
  readonly #audience: string;
  readonly #now: () => number;
  readonly #verified: LRUCache<string, { identity: Identity; expiresAt: number }>;

  constructor(key: Uint8Array, audience: string, options: { max?: number; now?: () => number } = {}) {
    this.#key = key;
    this.#audience = audience;
    this.#now = options.now ?? Date.now;
    this.#verified = new LRUCache({ max: options.max ?? 10_000 });
  }

  async verify(token: string | undefined): Promise<Identity> {
    const held = token === undefined ? undefined : this.#verified.get(token);
    const verified = held && this.#now() < held.expiresAt ? held : await verifyInternalClaims(token, this.#key, this.#audience);
    if (verified !== held && token !== undefined) this.#verified.set(token, verified);
    const { identity } = verified;
    // Each request gets its own object: nothing one request holds is shared with another.
    return { tenant: identity.tenant, subject: identity.subject, roles: [...identity.roles], scopes: [...identity.scopes] };
  }
}
