/**
 * The tenant registry: for every tenant, its upstream endpoints, credentials (by reference), how
 * records are matched across systems, and its policies. Loaded from a JSON file and validated once
 * at start-up; a bad file stops the process with every bad key named.
 *
 * The sandbox's tenants (tenancy/sandbox.tenants.json) use this same format: pointing a tenant at a
 * real Odoo, Salesforce org or Zendesk account is a change of this file, not of code.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatIssues } from '../platform/config';
import { ROLES, type Role } from './identity';
import { SecretRef } from '../platform/secrets';

const HttpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');
/** Plain http is accepted only for the local machine (development, tests). */
const isLocalHost = (host: string): boolean => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
const isSecureOrLocal = (u: URL): boolean => u.protocol === 'https:' || (u.protocol === 'http:' && isLocalHost(u.hostname));
/** A browser origin, exactly as browsers send it: `https://host[:port]`, no path or trailing slash; http only for localhost. */
const BrowserOrigin = z.string().refine((o) => {
  try {
    const u = new URL(o);
    return u.origin === o && isSecureOrLocal(u);
  } catch {
    return false;
  }
}, 'an exact origin like https://support.example.com (https except localhost; no path or trailing slash)');
const SecureUrl = z
  .string()
  .url()
  .refine((u) => URL.canParse(u) && isSecureOrLocal(new URL(u)), 'must be an https URL (http only for localhost)');
const ODOO_FIELD = /^[a-z_][a-z0-9_]*$/;
const FieldPath = z.string().regex(/^[A-Z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/, 'a field path like Customer.email');

/**
 * Upstream protection for one tenant × upstream (subgraphs/kit/upstream-guard.ts), counted per
 * subgraph process: a bulkhead, a circuit breaker, retries of idempotent reads, a pause on the
 * upstream's own throttling answers, a calls-per-minute cap and a per-request call budget. Every
 * key is optional; `callsPerMinute`'s default depends on the upstream (see each upstream below).
 */
const upstreamProtection = (defaultCallsPerMinute: number) =>
  z
    .object({
      /** Calls in flight at once to this tenant's upstream. @default 16 */
      maxConcurrent: z.number().int().positive().max(1_000).default(16),
      /** Calls waiting for a free slot; one more is refused at once (UPSTREAM_RATE_LIMITED). @default 64 */
      queue: z.number().int().nonnegative().max(10_000).default(64),
      /**
       * Calls started per minute (fixed 60 s windows, retries included), kept below the upstream's
       * plan limit; over it, calls are refused at once (UPSTREAM_RATE_LIMITED) until the window ends.
       */
      callsPerMinute: z.number().int().positive().default(defaultCallsPerMinute),
      breaker: z
        .object({
          /** Consecutive outage failures (timeout, unreachable, 5xx, unreadable answer, reset) that open the breaker. @default 5 */
          consecutiveFailures: z.number().int().positive().max(1_000).default(5),
          /** How long the breaker stays open before one probe call is let through, in ms. @default 30000 */
          halfOpenAfterMs: z.number().int().positive().max(3_600_000).default(30_000),
        })
        .strict()
        .prefault({}),
      /** Retries of an idempotent read after an outage failure (jittered exponential backoff, within the call's time budget). @default 2 */
      retries: z.number().int().min(0).max(2).default(2),
      /** Upstream calls one GraphQL request to the subgraph may cause; the next fails with QUERY_TOO_COMPLEX. @default 50 */
      maxCallsPerRequest: z.number().int().positive().max(10_000).default(50),
      /** How long a throttling answer without Retry-After (Salesforce REQUEST_LIMIT_EXCEEDED) pauses the upstream, in seconds. @default 60 */
      rateLimitPauseSeconds: z.number().int().positive().max(86_400).default(60),
    })
    .strict();
/** What every upstream's `protection` holds (Salesforce adds `apiUsageShare` and `apiUsagePauseSeconds`). */
export type UpstreamProtectionConfig = z.infer<ReturnType<typeof upstreamProtection>> & { apiUsageShare?: number; apiUsagePauseSeconds?: number };

export const OdooUpstream = z
  .object({
    /** Base URL of the Odoo server, e.g. `https://erp.example.com`. */
    url: HttpUrl,
    /** Database name. */
    db: z.string().min(1),
    /** Login of the integration user. */
    login: z.string().min(1),
    /** API key (or password) of that user. */
    apiKey: SecretRef,
    /** `jsonrpc` (`/jsonrpc` execute_kw, Odoo 17-19) or `json2` (`/json/2/...`, Odoo 19+). @default 'jsonrpc' */
    protocol: z.enum(['jsonrpc', 'json2']).default('jsonrpc'),
    /** The server's major version (field names differ between them). @default '18.0' */
    version: z.enum(['17.0', '18.0', '19.0']).default('18.0'),
    /**
     * Custom (Studio) fields the tenant keeps support-plan data in, by the tenant's own names. Each is
     * optional and read only when the server has it (capability discovery); a stock Odoo has none,
     * and entitlements then come from `entitlements.plans` alone.
     */
    customFields: z
      .object({
        /** `sale.order.line` date field: first day of the support period. */
        entitlementStart: z.string().regex(ODOO_FIELD).optional(),
        /** `sale.order.line` date field: last day of the support period. */
        entitlementEnd: z.string().regex(ODOO_FIELD).optional(),
        /** `product.product` selection field: the plan's tier (basic, standard, premium). */
        supportTier: z.string().regex(ODOO_FIELD).optional(),
        /** `product.product` integer field: months of warranty on the product (overrides `warranty`). */
        warrantyMonths: z.string().regex(ODOO_FIELD).optional(),
      })
      .strict()
      .default({}),
    /**
     * Which products are support plans: by internal reference (`sku`) or product category name
     * (`category`, the full name as Odoo shows it, e.g. `All / Support Plans`), each with its tier
     * and term. A plan's period runs from the order's confirmation for `termMonths` months. Works on
     * an uncustomized Odoo.
     */
    entitlements: z
      .object({
        plans: z
          .array(
            z
              .object({
                sku: z.string().min(1).optional(),
                category: z.string().min(1).optional(),
                tier: z.enum(['basic', 'standard', 'premium']),
                termMonths: z.number().int().positive().max(120),
              })
              .strict()
              .refine((p) => (p.sku === undefined) !== (p.category === undefined), { message: 'name exactly one of sku or category' }),
          )
          .default([]),
        /** A plan ending within this many days is EXPIRING_SOON. @default 30 */
        expiringSoonDays: z.number().int().positive().max(365).default(30),
        /** Service-level targets per tier, in hours (first response, resolution). @default none: no targets */
        sla: z
          .partialRecord(
            z.enum(['basic', 'standard', 'premium']),
            z.object({ firstResponseHours: z.number().positive(), resolutionHours: z.number().positive() }).strict(),
          )
          .default({}),
      })
      .strict()
      .default({ plans: [], expiringSoonDays: 30, sla: {} }),
    /**
     * Warranty on delivered goods: `months` from the delivery by default, per product category
     * (the category's full name, e.g. `All / Pumps`, or its last segment) where named, or from the
     * product's own field where the tenant names one (`customFields.warrantyMonths`).
     */
    warranty: z
      .object({
        months: z.number().int().nonnegative().max(240).default(12),
        categories: z.array(z.object({ category: z.string().min(1), months: z.number().int().nonnegative().max(240) }).strict()).default([]),
      })
      .strict()
      .default({ months: 12, categories: [] }),
    /**
     * The Odoo companies (ids) this tenant's data is read from, sent as `allowed_company_ids` in the
     * context of every call; the first is the main company (its currency labels `Customer.creditLimit`
     * and `openBalance`). Unset: every company the integration user belongs to.
     */
    companies: z.array(z.number().int().positive()).min(1).optional(),
    /** How often the server's modules and fields are discovered again, in seconds. @default 600 */
    capabilityRefreshSeconds: z.number().int().positive().default(600),
    /** Budget per upstream call in ms. @default 10000 */
    timeoutMs: z.number().int().positive().default(10_000),
    /** Upstream protection; Odoo has no plan limit, so `callsPerMinute` is only a ceiling against runaway load. @default callsPerMinute 20000 */
    protection: upstreamProtection(20_000).prefault({}),
  })
  .strict()
  .refine((o) => o.protocol !== 'json2' || o.version === '19.0', {
    message: 'the JSON-2 API needs Odoo 19 (set version "19.0" or protocol "jsonrpc")',
    path: ['protocol'],
  });

export const SalesforceUpstream = z
  .object({
    /** My Domain login URL the client-credentials token is requested from. */
    loginUrl: HttpUrl,
    clientId: SecretRef,
    clientSecret: SecretRef,
    /** REST API version, e.g. `62.0`. @default '62.0' */
    apiVersion: z
      .string()
      .regex(/^\d+\.\d$/)
      .default('62.0'),
    /** ISO 4217 code of the org's corporate currency (amounts without their own currency are in it). @default 'USD' */
    currencyCode: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code')
      .default('USD'),
    /** Account field holding the Odoo partner id (an external-id field). @default 'Odoo_Partner_Id__c' */
    accountExternalIdField: z.string().min(1).default('Odoo_Partner_Id__c'),
    timeoutMs: z.number().int().positive().default(10_000),
    /**
     * Upstream protection, plus the org's daily API usage (`Sforce-Limit-Info: api-usage=used/max`):
     * at or above `apiUsageShare` of it, reads made outside a client request (change capture) pause
     * for `apiUsagePauseSeconds`, leaving the rest of the day's calls to agents and the org's own
     * integrations. @default callsPerMinute 1000, apiUsageShare 0.95, apiUsagePauseSeconds 60
     */
    protection: upstreamProtection(1_000)
      .extend({
        /** Share (0 to 1] of the org's daily API limit above which non-essential reads pause. @default 0.95 */
        apiUsageShare: z.number().gt(0).max(1).default(0.95),
        /** How long such a pause lasts before the usage is looked at again, in seconds. @default 60 */
        apiUsagePauseSeconds: z.number().int().positive().max(86_400).default(60),
      })
      .prefault({}),
  })
  .strict();

export const ZendeskUpstream = z
  .object({
    /** API base, e.g. `https://acme.zendesk.com/api/v2`. */
    url: HttpUrl,
    /** Agent email used with an API token (`email/token:` basic auth). */
    email: z.string().email(),
    token: SecretRef,
    /**
     * Signing secret of the account's webhook to this gateway (`POST /webhooks/zendesk/<tenant>` on
     * the Zendesk subgraph), by reference. Resolved when a delivery is verified, so it may be set after
     * start. Unset: the tenant has no webhook endpoint (changes then come from the incremental export).
     */
    webhookSecret: SecretRef.optional(),
    timeoutMs: z.number().int().positive().default(10_000),
    /**
     * Upstream protection. `callsPerMinute` defaults below the 700 a minute of Zendesk's Enterprise
     * plan (and the sandbox's emulator); set it below your plan's (Team 200, Professional 400).
     * @default callsPerMinute 600
     */
    protection: upstreamProtection(600).prefault({}),
  })
  .strict();

/** The actions (mutations) the pipeline runs; the names of the tenant's action policy. */
export const ACTION_KINDS = [
  'requestReturn',
  'issueCreditNote',
  'createReplacementOrder',
  'cancelOrder',
  'addOrderNote',
  'updateTicket',
  'addTicketComment',
] as const;
export const ActionKindName = z.enum(ACTION_KINDS);
/** The actions whose approvals the ERP (Odoo) subgraph decides. */
export const ERP_ACTION_KINDS = [
  'requestReturn',
  'issueCreditNote',
  'createReplacementOrder',
  'cancelOrder',
  'addOrderNote',
] as const satisfies readonly (typeof ACTION_KINDS)[number][];
export type ActionKindName = z.infer<typeof ActionKindName>;

/** How a record in one system is matched to the Odoo customer; tried in order. */
export const MatchRule = z.enum(['external_id', 'email', 'name']);

/**
 * A tenant's share of the gateway. Windows are fixed minutes shared by every replica through Redis
 * (in-process for the embedded start); concurrency is counted per replica, the resource it protects.
 * Cost is the query cost the gateway's limits estimate (gateway/limits.ts: the ticket-context
 * query costs about 1,500), charged per request against the budget.
 */
export const TenantLimits = z
  .object({
    /** Requests per minute, the whole tenant. */
    requestsPerMinute: z.number().int().positive(),
    /** Requests per minute, one subject (user or service account) of the tenant. */
    requestsPerMinutePerSubject: z.number().int().positive(),
    /** Requests in flight at once on one gateway replica, the whole tenant. */
    concurrentRequests: z.number().int().positive(),
    /** Requests in flight at once on one gateway replica, one subject. */
    concurrentRequestsPerSubject: z.number().int().positive(),
    /** Query cost per minute, the whole tenant. */
    costPerMinute: z.number().int().positive(),
    /** Query cost per minute, one subject. */
    costPerMinutePerSubject: z.number().int().positive(),
  })
  .strict();
export type TenantLimits = z.infer<typeof TenantLimits>;

/**
 * Sized for people: an agent opening a ticket context every second stays well inside the subject's
 * share (60 requests, about 90,000 cost a minute); a tenant's integrations and many agents share
 * about 2,000 ticket contexts a minute. In flight, per replica (one core): 16 requests of a tenant
 * already keep a core busy (a warm ticket context is 2–10 ms of its CPU, the rest is waiting on
 * upstreams), and more only take the core from other tenants; over it, requests wait their turn.
 * Measured: with 16, a flooding tenant left another's cached query at 2.3–3.4× its idle p99; with
 * 64, 4.0–4.7× (bench/RESULTS.md, "Fairness under a noisy neighbour"). Raise them per tenant in the
 * registry for service accounts.
 */
export const DEFAULT_TENANT_LIMITS: Readonly<TenantLimits> = Object.freeze({
  requestsPerMinute: 6_000,
  requestsPerMinutePerSubject: 600,
  concurrentRequests: 16,
  concurrentRequestsPerSubject: 8,
  costPerMinute: 3_000_000,
  costPerMinutePerSubject: 150_000,
});

export const Tenant = z
  .object({
    /** Stable tenant id, as carried in tokens and every cache key. */
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case letters, digits and dashes'),
    displayName: z.string().min(1),
    /** A disabled tenant's tokens are refused. @default true */
    enabled: z.boolean().default(true),
    upstreams: z.object({ odoo: OdooUpstream, salesforce: SalesforceUpstream, zendesk: ZendeskUpstream }).strict(),
    matching: z
      .object({
        /** How a Zendesk requester or organization finds its Customer. @default ['external_id','email'] */
        zendesk: z
          .array(MatchRule.exclude(['name']))
          .min(1)
          .default(['external_id', 'email']),
        /** How a Customer finds its Salesforce account. @default ['external_id'] */
        salesforce: z.array(MatchRule).min(1).default(['external_id']),
      })
      .strict()
      .default({ zendesk: ['external_id', 'email'], salesforce: ['external_id'] }),
    policy: z
      .object({
        /** Fields hidden per role on top of the default policy (data minimization), e.g. `{"agent": ["Customer.email"]}`. */
        hiddenFields: z.partialRecord(z.enum(ROLES), z.array(FieldPath)).default({}),
      })
      .strict()
      .default({ hiddenFields: {} }),
    actions: z
      .object({
        /**
         * Who may request each action, replacing its default audience (e.g. `{"cancelOrder": ["supervisor"]}`).
         * `admin` may always.
         */
        roles: z.partialRecord(ActionKindName, z.array(z.enum(ROLES)).min(1)).default({}),
        /**
         * Approval rules: an action of `kind` (above `above.amount` in `above.currency`, or always when
         * no `above`) is stored PENDING_APPROVAL, nothing reaches the upstream, until a user with one of
         * `approvers` (never the requester) approves it. An amount in another currency needs approval.
         */
        approval: z
          .array(
            z
              .object({
                kind: ActionKindName.refine(
                  (k) => (ERP_ACTION_KINDS as readonly string[]).includes(k),
                  'approval rules apply to the ERP actions (the Odoo subgraph decides them)',
                ),
                above: z
                  .object({ amount: z.number().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code') })
                  .strict()
                  .optional(),
                approvers: z.array(z.enum(ROLES)).min(1),
              })
              .strict(),
          )
          .default([]),
        /** How long an action waits for approval before it expires, in hours. @default 72 */
        pendingExpiryHours: z.number().int().positive().default(72),
      })
      .strict()
      .default({ roles: {}, approval: [], pendingExpiryHours: 72 }),
    /** Admission control at the gateway (HTTP 429 RATE_LIMITED over a limit); see DEFAULT_TENANT_LIMITS. */
    limits: TenantLimits.default(DEFAULT_TENANT_LIMITS),
    cache: z
      .object({
        /** TTL overrides in seconds per entity type, e.g. `{"Order": 30}`. */
        ttlSeconds: z.record(z.string().min(1), z.number().int().positive()).default({}),
      })
      .strict()
      .default({ ttlSeconds: {} }),
    /**
     * Browser origins the tenant's agent sidebar runs on (exact: `https://support.acme.example`).
     * CORS preflights and WebSocket upgrades from an origin some enabled tenant lists are allowed; a
     * request from an origin is served only when the token's tenant lists it. @default none
     */
    cors: z
      .object({ origins: z.array(BrowserOrigin).default([]) })
      .strict()
      .optional(),
    /**
     * The tenant's own token issuer: a token whose `iss` is `issuer` is verified with the keys at
     * `jwksUrl` (and `audience`, else the gateway's) and must name this tenant; tokens of the
     * gateway's own issuer are then refused for this tenant. Unset: the gateway's issuer signs its users in.
     */
    auth: z
      .object({ issuer: z.string().min(1), jwksUrl: SecureUrl, audience: z.string().min(1).optional() })
      .strict()
      .optional(),
  })
  .strict();

export const Registry = z
  .object({ tenants: z.array(Tenant).min(1) })
  .strict()
  .superRefine((reg, ctx) => {
    const seen = new Set<string>();
    reg.tenants.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tenants', i, 'id'], message: `duplicate tenant id ${t.id}` });
      seen.add(t.id);
    });
  });

export type TenantConfig = z.infer<typeof Tenant>;
export type TenantRegistry = z.infer<typeof Registry>;
export type OdooUpstreamConfig = z.infer<typeof OdooUpstream>;
export type SalesforceUpstreamConfig = z.infer<typeof SalesforceUpstream>;
export type ZendeskUpstreamConfig = z.infer<typeof ZendeskUpstream>;

/** Thrown for an unreadable or invalid registry; the message names every bad key. */
export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export function parseRegistry(input: unknown, origin = 'tenant registry'): TenantRegistry {
  const parsed = Registry.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new RegistryError(`Invalid ${origin}:\n${formatIssues(parsed.error)}`);
}

export function loadRegistry(path: string): TenantRegistry {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new RegistryError(`Tenant registry ${path} cannot be read`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new RegistryError(`Tenant registry ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseRegistry(json, `tenant registry ${path}`);
}

/** Lookup by id; only enabled tenants are returned. */
/** Whether the tenant's overlay hides `Type.field` from one role (what every audience check applies on top). */
export function overlayHides(tenant: TenantConfig, role: Role, path: string): boolean {
  return tenant.policy.hiddenFields[role]?.includes(path) ?? false;
}

/** Whether an id names a tenant the registry holds but has disabled. */
export function disabledTenant(registry: TenantRegistry): (id: string) => boolean {
  const disabled = new Set(registry.tenants.filter((t) => !t.enabled).map((t) => t.id));
  return (id) => disabled.has(id);
}

export function tenantLookup(registry: TenantRegistry): (id: string) => TenantConfig | undefined {
  const byId = new Map(registry.tenants.map((t) => [t.id, t]));
  return (id) => {
    const t = byId.get(id);
    return t?.enabled ? t : undefined;
  };
}

/**
 * The policy overlay's field paths that the public schema does not have (a typo would otherwise
 * hide nothing, silently). Checked at start-up against the supergraph.
 */
export function unknownPolicyFields(registry: TenantRegistry, fieldExists: (typeName: string, fieldName: string) => boolean): string[] {
  const unknown: string[] = [];
  for (const tenant of registry.tenants) {
    for (const [role, paths] of Object.entries(tenant.policy.hiddenFields)) {
      for (const path of paths ?? []) {
        const [typeName = '', fieldName = ''] = path.split('.');
        if (!fieldExists(typeName, fieldName)) unknown.push(`tenants.${tenant.id}.policy.hiddenFields.${role}: ${path} is not a field of the schema`);
      }
    }
  }
  return unknown;
}

/** Base URLs of the three upstreams, for pointing a registry at emulators on other ports. */
export interface UpstreamUrls {
  odoo: string;
  salesforce: string;
  zendesk: string;
}

/**
 * A copy of the registry with every tenant's upstream URLs pointed at the given servers. The Odoo
 * URL may depend on the tenant (the sandbox runs one Odoo server per version).
 */
export function withUpstreamUrls(
  registry: TenantRegistry,
  urls: Omit<UpstreamUrls, 'odoo'> & { odoo: string | ((tenant: TenantConfig) => string) },
): TenantRegistry {
  return {
    tenants: registry.tenants.map((t) => ({
      ...t,
      upstreams: {
        odoo: { ...t.upstreams.odoo, url: typeof urls.odoo === 'string' ? urls.odoo : urls.odoo(t) },
        salesforce: { ...t.upstreams.salesforce, loginUrl: urls.salesforce },
        zendesk: { ...t.upstreams.zendesk, url: `${urls.zendesk}/api/v2` },
      },
    })),
  };
}
