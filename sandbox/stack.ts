/**
 * The whole product in one process tree on localhost: the three emulators, the three subgraphs and
 * the gateway, wired through the sandbox tenant registry with freshly minted credentials. This is
 * what `npm start` runs (fixed default ports) and what end-to-end tests and benchmarks start
 * (port 0 everywhere). Production runs each part as its own service instead (docker-compose.yml).
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { createEntityCache } from '../cache';
import { createChangeCapture } from '../cache/capture';
import type { ChangeCapture } from '../cache/events';
import { publishingActionStore } from '../subgraphs/kit/action-events';
import type { EntityCache } from '../cache/entity-cache';
import { createAuthenticator, tenantIssuers } from '../gateway/auth';
import { mintLocalToken } from '../gateway/local-tokens';
import { startGatewayServer, type GatewayServerOptions, type RunningGateway } from '../gateway/server';
import { SUBGRAPHS, SUPERGRAPH_PATH, type SubgraphDefinition } from '../schema/subgraphs';
import { SUBGRAPH_STARTERS } from '../subgraphs';
import type { RunningSubgraph } from '../subgraphs/kit/server';
import { onceOnly } from '../platform/listen';
import { createLogger, logLevelFrom } from '../platform/log';
import { internalKey, type Role } from '../tenancy/identity';
import { actionStoreOptionsFromEnv, createActionStore, type ActionStore, type ActionStoreOptions } from '../actions';
import type { SecretSource } from '../platform/secrets';
import { disabledTenant, tenantLookup, type TenantRegistry } from '../tenancy/registry';
import { startSandboxUpstreams, type SandboxUpstreams } from './emulators';
import { sandboxCredentials } from './credentials';
import { registerSandboxWebhooks } from './zendesk/webhook-setup';
import type { FaultRuleInput } from './kit/faults';
import type { RunningEmulator } from './kit/emulator';
import type { RunningOdooEmulator } from './odoo';
import type { RunningZendeskEmulator } from './zendesk';
import { EPHEMERAL_PORTS, type StackPorts } from './ports';

export { DEFAULT_PORTS, EPHEMERAL_PORTS, type StackPorts } from './ports';

export interface StackOptions {
  /** @default EPHEMERAL_PORTS */
  ports?: Partial<StackPorts>;
  /** Latency injected into every upstream call (ms). @default 0 */
  latencyMs?: number;
  /** Fault rules per emulator from the start. */
  faults?: { odoo?: FaultRuleInput[]; salesforce?: FaultRuleInput[]; zendesk?: FaultRuleInput[] };
  /** Redis URL for the entity cache; unset = in-process cache. `cache: false` disables caching. */
  redisUrl?: string;
  cache?: boolean;
  /** The entity cache's clock (epoch ms): tests move it to expire entries without sleeping. @default Date.now */
  cacheClock?: () => number;
  /** 'naive' turns batching and caching off in the subgraphs (benchmark baseline). @default 'batched' */
  economy?: 'batched' | 'naive';
  /** HS256 secret for client tokens and the internal identity key; random when absent. */
  authSecret?: string;
  internalSecret?: string;
  /** Changes the registry before use (e.g. a tenant policy overlay in a test). */
  editRegistry?: (registry: TenantRegistry) => TenantRegistry;
  log?: Logger;
  /** Zendesk per-tenant rate limit per minute. */
  zendeskRateLimitPerMinute?: number;
  /**
   * The durable action log. Default: `DATABASE_URL` (PostgreSQL) when set, else an embedded in-memory
   * PGlite: the zero-configuration start.
   */
  actions?: ActionStoreOptions;
  /** How often the pollers ask the upstreams for changes (ms). @default 2000 */
  captureIntervalMs?: number;
  /**
   * Change capture: pollers, Zendesk webhooks, action events on the bus (`npm start` turns it on).
   * Off, subscriptions push nothing and the upstreams see only the queries' calls (tests that count
   * upstream calls rely on that). @default false
   */
  capture?: boolean;
  /** The gateway's burst window per entity for pushes (ms). @default 50 */
  coalesceMs?: number;
  /** Redis only: a prefix for change capture's keys (streams, leases, cursors): stacks sharing one Redis apart, or together when equal. @default '' */
  captureKeyPrefix?: string;
  /** Emulators already running (another stack's `upstreams`): this stack uses them and leaves them running at stop. */
  upstreams?: SandboxUpstreams;
  /** Whether to connect the Zendesk emulator's webhooks to this stack's gateway. @default true, false with `upstreams` (another replica's) */
  registerWebhooks?: boolean;
  /** Sandbox credentials to use instead of minting them, by reference name (`SANDBOX_ACME_ODOO_API_KEY`...). */
  sandboxEnv?: Readonly<Record<string, string | undefined>>;
  /** The gateway's HTTP hardening and admin surface, passed through (timeouts, headers, admin port, readiness cache and extra checks). */
  gateway?: Pick<GatewayServerOptions, 'http' | 'security' | 'adminPort' | 'adminHost' | 'readyCacheMs' | 'readiness'>;
}

export const LOCAL_ISSUER = 'support-gateway-local';
export const LOCAL_AUDIENCE = 'support-gateway';

export interface RunningStack {
  readonly gateway: RunningGateway;
  /** The Odoo emulator runs one server per Odoo version: `odoo.urlOf(db)` is a tenant's. */
  readonly emulators: { odoo: RunningOdooEmulator; salesforce: RunningEmulator; zendesk: RunningZendeskEmulator };
  /** The emulators with their registry and credentials: hand to another stack (`upstreams`) to run a second replica over them. */
  readonly upstreams: SandboxUpstreams;
  readonly subgraphs: { odoo: RunningSubgraph; salesforce: RunningSubgraph; zendesk: RunningSubgraph };
  readonly registry: TenantRegistry;
  readonly cache: EntityCache | undefined;
  /** The durable action log the subgraphs write to. */
  readonly actionStore: ActionStore;
  /** Change capture: the event bus, leases and cursors (Redis with `redisUrl`, else in-process); undefined unless `capture: true`. */
  readonly capture: ChangeCapture | undefined;
  /** Where the registry's (minted) upstream secrets resolve: for tools run beside the stack (the reconciler). */
  readonly secrets: SecretSource;
  /** A client token the gateway accepts. */
  token(tenant: string, role: Role, ttlSeconds?: number): Promise<string>;
  /** Idempotent: gateway first, then subgraphs, cache and emulators. */
  stop(): Promise<void>;
}

const randomSecret = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const ports: StackPorts = { ...EPHEMERAL_PORTS, ...(options.ports ?? {}) };
  const log = options.log ?? createLogger('sandbox', logLevelFrom(process.env, 'warn'));
  const upstreams =
    options.upstreams ??
    (await startSandboxUpstreams({
      ports,
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.zendeskRateLimitPerMinute !== undefined ? { zendeskRateLimitPerMinute: options.zendeskRateLimitPerMinute } : {}),
      ...(options.sandboxEnv ? { env: options.sandboxEnv } : {}),
    }));
  const { odoo, salesforce, zendesk } = upstreams.emulators;
  const env = upstreams.secrets.env;

  const started: Array<{ close: () => Promise<void> }> = options.upstreams ? [] : [{ close: () => upstreams.stop() }];
  const stopAll = async () => {
    for (const part of started.reverse()) await part.close().catch(() => undefined);
  };
  try {
    let registry = upstreams.registry;
    if (options.editRegistry) registry = options.editRegistry(registry);
    const cache =
      options.cache === false || options.economy === 'naive' ? undefined : createEntityCache({ redisUrl: options.redisUrl, clock: options.cacheClock });
    if (cache) started.push({ close: () => cache.close() });
    const capture = options.capture !== true ? undefined : createChangeCapture({ redisUrl: options.redisUrl, keyPrefix: options.captureKeyPrefix });
    if (capture) started.push({ close: () => capture.close() });
    const rawStore = await createActionStore(options.actions ?? actionStoreOptionsFromEnv());
    started.push({ close: () => rawStore.close() });
    // ERP actions publish their own events at once.
    const actionStore = capture ? publishingActionStore(rawStore, capture.bus, log) : rawStore;

    const identityKey = internalKey(options.internalSecret ?? randomSecret());
    const secrets = { env };
    const common = {
      registry,
      secrets,
      identityKey,
      cache,
      actionStore,
      economy: options.economy ?? 'batched',
      log,
      ...(capture ? { capture } : {}),
      ...(options.captureIntervalMs !== undefined ? { captureIntervalMs: options.captureIntervalMs } : {}),
    } as const;
    const subgraphs = {} as Record<SubgraphDefinition['name'], RunningSubgraph>;
    for (const { name } of SUBGRAPHS) {
      const running = await SUBGRAPH_STARTERS[name]({ ...common, port: ports[`${name}Subgraph`] });
      started.push({ close: () => running.stop() });
      subgraphs[name] = running;
    }

    const authSecret = new TextEncoder().encode(options.authSecret ?? randomSecret());
    const gateway = await startGatewayServer({
      supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
      subgraphs: SUBGRAPHS.map(({ name }) => ({ name, url: subgraphs[name].url })),
      authenticate: createAuthenticator(
        { mode: 'hs256', secret: authSecret, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, clockToleranceSeconds: 30 },
        tenantLookup(registry),
        disabledTenant(registry),
        tenantIssuers(registry),
      ),
      internalKey: identityKey,
      log,
      port: ports.gateway,
      introspection: true,
      registry,
      ...(capture ? { bus: capture.bus } : {}),
      ...(options.coalesceMs !== undefined ? { subscriptions: { coalesceMs: options.coalesceMs } } : {}),
      webhookTargets: { zendesk: new URL(subgraphs.zendesk.url).origin },
      ...(options.gateway ?? {}),
    });
    started.push({ close: () => gateway.stop() });
    if (capture && (options.registerWebhooks ?? !options.upstreams)) {
      // Another replica over the same emulators shares its webhook (one endpoint per tenant, as
      // behind a load balancer), so only the stack that started the emulators registers it.
      // Zendesk sends its signed webhooks to the gateway's public intake, as a real account would be set up.
      await registerSandboxWebhooks({
        emulatorUrl: zendesk.url,
        tenants: registry.tenants,
        credentials: sandboxCredentials(registry, secrets).zendesk,
        endpointFor: (tenant) => `http://127.0.0.1:${gateway.port}/webhooks/zendesk/${tenant}`,
        setSecret: (_tenant, name, value) => {
          env[name] = value;
        },
      });
    }

    return {
      gateway,
      emulators: { odoo, salesforce, zendesk },
      subgraphs,
      registry,
      cache,
      actionStore,
      capture,
      upstreams,
      secrets: upstreams.secrets,
      token: (tenant, role, ttlSeconds) => mintLocalToken({ tenant, role, ttlSeconds, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }, authSecret),
      stop: onceOnly(stopAll),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
