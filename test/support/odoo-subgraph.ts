/**
 * Test harness for the Odoo subgraph: the sandbox Odoo emulator (both sandbox tenants, port 0) and
 * the subgraph in front of it (port 0), called over HTTP with a signed internal identity, exactly
 * as the gateway calls it.
 */
import { join } from 'node:path';
import type { EntityCache } from '../../cache';
import { startOdooEmulator, type RunningOdooEmulator } from '../../sandbox/odoo';
import { mintSandboxSecrets, sandboxCredentials } from '../../sandbox/credentials';
import { buildWorld, type World } from '../../sandbox/world';
import { createLogger } from '../../platform/log';
import type { RunningSubgraph } from '../../subgraphs/kit/server';
import type { Economy } from '../../subgraphs/odoo/loaders';
import { startOdooSubgraph } from '../../subgraphs/odoo/server';
import { INTERNAL_IDENTITY_HEADER, internalAudience, internalKey, signInternalToken, type Role } from '../../tenancy/identity';
import { loadRegistry, withUpstreamUrls, type TenantRegistry } from '../../tenancy/registry';
import { emulatorStats, postGraphQL, resetEmulator, type GraphQLResponse, type StatsCounts } from './http';

export const SANDBOX_REGISTRY = join(__dirname, '..', '..', 'tenancy', 'sandbox.tenants.json');

export interface OdooHarnessOptions {
  cache?: EntityCache;
  economy?: Economy;
  /** Changes the registry before the subgraph starts (e.g. a tenant policy overlay). */
  editRegistry?: (registry: TenantRegistry) => TenantRegistry;
}

export interface OdooHarness {
  /** One server per Odoo version: `emulator.urlOf(db)` is a tenant's; stats and faults are shared. */
  readonly emulator: RunningOdooEmulator;
  readonly subgraph: RunningSubgraph;
  readonly registry: TenantRegistry;
  readonly identityKey: Uint8Array;
  world(tenant: 'acme' | 'globex'): World;
  /** A GraphQL request as the gateway would send it for this tenant and these roles. */
  query<T = Record<string, unknown>>(tenant: string, roles: Role | Role[], query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** `GET /__sandbox/stats` of the emulator: calls per tenant and operation. */
  stats(): Promise<StatsCounts>;
  /** Clears the emulator's stats (and its faults). */
  reset(): Promise<void>;
  /** The tenant's Odoo credentials (to change data in the emulator as another Odoo user would). */
  credentials(tenant: string): { db: string; login: string; apiKey: string };
  /** Idempotent. */
  stop(): Promise<void>;
}

export async function startOdooHarness(options: OdooHarnessOptions = {}): Promise<OdooHarness> {
  const base = loadRegistry(SANDBOX_REGISTRY);
  const env = mintSandboxSecrets(base, {});
  const creds = sandboxCredentials(base, { env });
  const emulator = await startOdooEmulator({ port: 0, tenants: creds.odoo });
  let subgraph: RunningSubgraph | undefined;
  try {
    let registry = withUpstreamUrls(base, {
      odoo: (t) => emulator.urlOf(t.upstreams.odoo.db),
      salesforce: 'http://127.0.0.1:9',
      zendesk: 'http://127.0.0.1:9',
    });
    if (options.editRegistry) registry = options.editRegistry(registry);
    const identityKey = internalKey('test-internal-secret-0123456789-abcdefghij');
    subgraph = await startOdooSubgraph({
      port: 0,
      registry,
      secrets: { env },
      identityKey,
      ...(options.cache ? { cache: options.cache } : {}),
      ...(options.economy ? { economy: options.economy } : {}),
      log: createLogger('odoo-subgraph-test', process.env['TEST_LOG_LEVEL'] ?? 'silent'),
    });
    const running = subgraph;
    const worlds = new Map<string, World>();
    let stopping: Promise<void> | undefined;
    return {
      emulator,
      subgraph: running,
      registry,
      identityKey,
      world(tenant) {
        let w = worlds.get(tenant);
        if (!w) worlds.set(tenant, (w = buildWorld(tenant)));
        return w;
      },
      async query<T>(tenant: string, roles: Role | Role[], query: string, variables: Record<string, unknown> = {}) {
        const token = await signInternalToken(
          { tenant, subject: `test-${tenant}`, roles: Array.isArray(roles) ? roles : [roles], scopes: [] },
          identityKey,
          internalAudience('odoo'),
        );
        return postGraphQL<T>(running.url, query, variables, { [INTERNAL_IDENTITY_HEADER]: token });
      },
      stats: () => emulatorStats(emulator.url),
      reset: () => resetEmulator(emulator.url, { faults: true }),
      credentials(tenant) {
        const c = creds.odoo.find((o) => o.tenant === tenant);
        if (!c) throw new RangeError(`no sandbox tenant ${tenant}`);
        return { db: c.db, login: c.login, apiKey: c.apiKey };
      },
      stop() {
        stopping ??= (async () => {
          await running.stop();
          await emulator.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await subgraph?.stop();
    await emulator.close();
    throw err;
  }
}

/** Calls per operation of one tenant in a stats snapshot (empty object when none). */
export const opsOf = (stats: StatsCounts, tenant: string): Record<string, number> => stats[tenant] ?? {};
