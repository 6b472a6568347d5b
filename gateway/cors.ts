/**
 * Browser access per tenant: each tenant lists the exact origins its agent sidebar runs on
 * (registry `cors.origins`). A preflight is answered for an origin some enabled tenant lists; a
 * request from an origin is served only when the token's tenant lists that origin, so an agent of
 * one tenant cannot use another tenant's sidebar. Requests without `Origin` (servers, scripts)
 * are not browser requests and pass untouched.
 */
import cors from 'cors';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ErrorCode } from '../schema/error-codes';
import type { TenantConfig, TenantRegistry } from '../tenancy/registry';
import { AuthenticationError, type Authenticator } from './auth';

/** Which browser origins may talk to the gateway, and for which tenant. */
export interface OriginPolicy {
  /** Whether some enabled tenant lists the origin (preflights, WebSocket upgrades). */
  known(origin: string): boolean;
  /** Whether this tenant lists the origin. */
  allows(tenant: TenantConfig, origin: string): boolean;
}

/** The registry's origins (enabled tenants only); without a registry no origin is known. */
export function originPolicy(registry: TenantRegistry | undefined): OriginPolicy {
  const known = new Set(registry?.tenants.filter((t) => t.enabled).flatMap((t) => t.cors?.origins ?? []) ?? []);
  return {
    known: (origin) => known.has(origin),
    allows: (tenant, origin) => tenant.cors?.origins.includes(origin) ?? false,
  };
}

/** Request headers a browser client may send: the token, JSON, Apollo's CSRF-prevention headers (needed for GET) and a request id. */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'] as const;

const refuse = (res: Response, message: string): void => {
  res.status(403).json({ errors: [{ message, extensions: { code: ErrorCode.FORBIDDEN } }] });
};

/**
 * For the `/graphql` route, before anything else reads the request: an `Origin` no tenant lists is
 * 403 FORBIDDEN (preflight or not); a preflight from a listed one is answered here (204); a request
 * from a listed origin is authenticated and served only if its tenant lists the origin (403
 * otherwise). A token that fails authentication passes on, to be refused as any other (401).
 */
export function corsGuard(policy: OriginPolicy, authenticate: Authenticator, log: Logger): RequestHandler {
  const headers = cors({
    origin: true, // reflects the request's origin, which the guard has already checked
    methods: ['GET', 'POST'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: ['x-request-id', 'retry-after'],
    credentials: false,
    maxAge: 600,
  });
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) {
      next();
      return;
    }
    if (!policy.known(origin)) {
      log.info({ origin }, 'request refused: origin not listed by any tenant');
      refuse(res, 'This origin may not call the gateway');
      return;
    }
    // Ends a preflight itself (204); calls back only for actual requests.
    headers(req, res, (err?: unknown) => {
      if (err) {
        next(err);
        return;
      }
      authenticate(req.headers.authorization).then(
        (auth) => {
          if (policy.allows(auth.tenant, origin)) next();
          else {
            log.info({ origin, tenant: auth.tenant.id }, "request refused: origin not listed by the token's tenant");
            refuse(res, "This origin may not call the gateway for the token's tenant");
          }
        },
        (authErr: unknown) => (authErr instanceof AuthenticationError ? next() : next(authErr)),
      );
    });
  };
}
