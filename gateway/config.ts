/**
 * Gateway configuration, read from the environment once at start-up and validated with zod: a bad
 * value stops the process before it listens, with every bad key named. Nothing else in the gateway
 * reads process.env.
 */
import { z } from 'zod';
import { ConfigError, parseConfig } from '../platform/config';
import { SUBGRAPHS, defaultRoutingUrl, type SubgraphDefinition } from '../schema/subgraphs';

/** A subgraph's routing URL as composed into the supergraph (schema/subgraphs.ts holds the ports). */
const defaultUrlOf = (name: SubgraphDefinition['name']): string => defaultRoutingUrl(SUBGRAPHS.find((s) => s.name === name)!);

const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const Url = z.string().url();

export const GatewayEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    /** Tenant registry file. */
    TENANTS_FILE: z.string().min(1).default('tenancy/sandbox.tenants.json'),
    /** Redis for cache, idempotency and the event bus; unset = in-process (embedded default). */
    REDIS_URL: Url.optional(),
    /** Client token verification: `hs256` with a shared secret (local use) or `jwks` (production). */
    AUTH_MODE: z.enum(['hs256', 'jwks']).default('hs256'),
    AUTH_HS256_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    AUTH_JWKS_URL: Url.optional(),
    /** Algorithms accepted with JWKS. @default RS256,ES256 */
    AUTH_JWKS_ALGORITHMS: z
      .string()
      .default('RS256,ES256')
      .transform((s) => s.split(',').map((a) => a.trim()))
      .pipe(z.array(z.enum(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'])).min(1)),
    AUTH_ISSUER: z.string().min(1).default('support-gateway-local'),
    AUTH_AUDIENCE: z.string().min(1).default('support-gateway'),
    /** Allowed clock skew for exp/nbf in seconds. */
    AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    /** Key the gateway signs subgraph identity tokens with (shared with the subgraphs). */
    INTERNAL_TOKEN_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    ODOO_SUBGRAPH_URL: Url.default(defaultUrlOf('odoo')),
    SALESFORCE_SUBGRAPH_URL: Url.default(defaultUrlOf('salesforce')),
    ZENDESK_SUBGRAPH_URL: Url.default(defaultUrlOf('zendesk')),
    /** Introspection; defaults to off in production. */
    INTROSPECTION: Bool.optional(),
    /** Budget for one subgraph call in ms. */
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    /** OpenTelemetry: OTLP/HTTP collector base URL; spans go to `<url>/v1/traces`. Unset = no tracing (platform/tracing.ts). */
    OTEL_EXPORTER_OTLP_ENDPOINT: Url.optional(),
    /** OpenTelemetry `service.name` of the gateway's spans. */
    OTEL_SERVICE_NAME: z.string().min(1).default('support-gateway'),
    /** Time a client has to send its request headers (ms); then 408 and the connection closes. */
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** Time a client has to send its whole request, body included (ms); then 408. At least HTTP_HEADERS_TIMEOUT_MS. */
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    /** Idle keep-alive connections close after this (ms); keep it above a load balancer's idle timeout. */
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
    /** Open connections per listener (WebSocket subscribers included); unset = no cap. */
    HTTP_MAX_CONNECTIONS: z.coerce.number().int().positive().optional(),
    /** Strict-Transport-Security max-age (s): set only when clients reach the gateway over TLS; unset = no HSTS. */
    HSTS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).optional(),
    /**
     * Admin listener: `/metrics`, the detailed `/readyz` and `/admin/doctor` move to this port, off the
     * public one. Unset = they stay on PORT behind an admin-role token.
     */
    ADMIN_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** Address the admin listener binds (0.0.0.0 to let a scraper on the container network in). */
    ADMIN_HOST: z.string().min(1).default('127.0.0.1'),
    /** How long the public `/readyz` reuses one probe round of the subgraphs and Redis (ms). */
    READYZ_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
  })
  .superRefine((env, ctx) => {
    if (env.AUTH_MODE === 'jwks' && !env.AUTH_JWKS_URL) ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'required when AUTH_MODE=jwks' });
    if (env.NODE_ENV === 'production' && env.AUTH_MODE === 'hs256' && !env.AUTH_HS256_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_HS256_SECRET'], message: 'required in production with AUTH_MODE=hs256' });
    }
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS)
      ctx.addIssue({ code: 'custom', path: ['HTTP_HEADERS_TIMEOUT_MS'], message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS' });
    if (env.ADMIN_PORT !== undefined && env.ADMIN_PORT === env.PORT) ctx.addIssue({ code: 'custom', path: ['ADMIN_PORT'], message: 'must differ from PORT' });
    if (env.NODE_ENV === 'production' && !env.INTERNAL_TOKEN_SECRET)
      ctx.addIssue({ code: 'custom', path: ['INTERNAL_TOKEN_SECRET'], message: 'required in production' });
  });

export type GatewayConfig = z.infer<typeof GatewayEnv>;

export { ConfigError };

export function loadGatewayConfig(env: Readonly<Record<string, string | undefined>> = process.env): GatewayConfig {
  return parseConfig(GatewayEnv, env);
}
