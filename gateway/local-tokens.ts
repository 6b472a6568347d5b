/**
 * Local (HS256) client tokens for the sandbox and development: what `npm run token` prints and what
 * `npm start` hands out per role. Production tokens come from the identity provider (JWKS).
 */
import { SignJWT } from 'jose';
import type { Role } from '../tenancy/identity';
import { ROLES_CLAIM, TENANT_CLAIM } from './auth';

export interface LocalTokenRequest {
  tenant: string;
  role: Role;
  subject?: string;
  /** Lifetime in seconds. @default 3600 */
  ttlSeconds?: number;
  issuer: string;
  audience: string;
  scopes?: string[];
}

export async function mintLocalToken(req: LocalTokenRequest, secret: Uint8Array): Promise<string> {
  const { tenant, role, subject = `${role}@${tenant}.example`, ttlSeconds = 3600, issuer, audience, scopes = [] } = req;
  return new SignJWT({ [TENANT_CLAIM]: tenant, [ROLES_CLAIM]: [role], ...(scopes.length ? { scope: scopes.join(' ') } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(secret);
}
