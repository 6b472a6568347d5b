/**
 * Test harness for the Salesforce and Zendesk subgraphs: the subgraph on port 0 in front of its
 * sandbox emulator on port 0, tenants from tenancy/sandbox.tenants.json with fresh credentials,
 * and a helper that calls the subgraph directly with a signed gateway identity.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pino from 'pino';
import type { EntityCache } from '../../cache';
import { sandboxCredentials, mintSandboxSecrets } from '../../sandbox/credentials';
import type { RunningEmulator } from '../../sandbox/kit/emulator';
import type { FaultRuleInput } from '../../sandbox/kit/faults';
import { startSalesforceEmulator } from '../../sandbox/salesforce';
import { startZendeskEmulator } from '../../sandbox/zendesk';
import type { RunningSubgraph } from '../../subgraphs/kit/server';
import { startSalesforceSubgraph } from '../../subgraphs/salesforce/server';
import { startZendeskSubgraph } from '../../subgraphs/zendesk/server';
import { INTERNAL_IDENTITY_HEADER, internalAudience, internalKey, signInternalToken, type Role } from '../../tenancy/identity';
import { loadRegistry, withUpstreamUrls, type TenantRegistry } from '../../tenancy/registry';
import { postGraphQL, type GraphQLResponse } from './http';

/** Where the other upstreams point: nothing listens there, and these tests never call them. */
const NOWHERE = 'http://127.0.0.1:9';

export interface Harness {
  readonly emulator: RunningEmulator;
  readonly subgraph: RunningSubgraph;
  readonly registry: TenantRegistry;
  /** Calls the subgraph as `tenant` with `roles`, through a freshly signed gateway identity. */
  query<T = Record<string, any>>(tenant: string, roles: Role[], query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Calls the subgraph with the given headers only (no identity unless given). */
  raw<T = Record<string, any>>(query: string, headers: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  faults?: FaultRuleInput[];
  economy?: 'batched' | 'naive';
  cache?: EntityCache;
  rateLimitPerMinute?: number;
  /** Edits the registry before the subgraph starts (e.g. a tenant's matching rules). */
  editRegistry?: (registry: TenantRegistry) => TenantRegistry;
}

const silent = pino({ level: 'silent' });

async function harness(system: 'salesforce' | 'zendesk', options: HarnessOptions): Promise<Harness> {
  const base = loadRegistry(resolve(__dirname, '../../tenancy/sandbox.tenants.json'));
  const env = mintSandboxSecrets(base);
  const creds = sandboxCredentials(base, { env });
  const emulator =
    system === 'zendesk'
      ? await startZendeskEmulator({
          port: 0,
          tenants: creds.zendesk,
          ...(options.faults ? { faults: options.faults } : {}),
          ...(options.rateLimitPerMinute ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
        })
      : await startSalesforceEmulator({ port: 0, tenants: creds.salesforce, ...(options.faults ? { faults: options.faults } : {}) });
  let registry = withUpstreamUrls(base, {
    odoo: NOWHERE,
    salesforce: system === 'salesforce' ? emulator.url : NOWHERE,
    zendesk: system === 'zendesk' ? emulator.url : NOWHERE,
  });
  if (options.editRegistry) registry = options.editRegistry(registry);
  const identityKey = internalKey(randomBytes(32).toString('hex'));
  const common = {
    port: 0,
    registry,
    secrets: { env },
    identityKey,
    log: silent,
    economy: options.economy ?? 'batched',
    ...(options.cache ? { cache: options.cache } : {}),
  } as const;
  let subgraph: RunningSubgraph;
  try {
    subgraph = system === 'zendesk' ? await startZendeskSubgraph(common) : await startSalesforceSubgraph(common);
  } catch (err) {
    await emulator.close();
    throw err;
  }
  return {
    emulator,
    subgraph,
    registry,
    async query(tenant, roles, query, variables = {}) {
      const token = await signInternalToken({ tenant, subject: `test-${roles.join('-')}`, roles, scopes: [] }, identityKey, internalAudience(system));
      return postGraphQL(subgraph.url, query, variables, { [INTERNAL_IDENTITY_HEADER]: token });
    },
    raw(query, headers) {
      return postGraphQL(subgraph.url, query, {}, headers);
    },
    async close() {
      await subgraph.stop();
      await emulator.close();
    },
  };
}

export const startZendeskHarness = (options: HarnessOptions = {}): Promise<Harness> => harness('zendesk', options);
export const startSalesforceHarness = (options: HarnessOptions = {}): Promise<Harness> => harness('salesforce', options);

/** Calls per operation of one tenant since the last reset. */
export function statsOf(emulator: RunningEmulator, tenant: string): Record<string, number> {
  return emulator.stats.snapshot().requests[tenant] ?? {};
}

export const callsOf = (emulator: RunningEmulator, tenant: string): number => emulator.stats.total(tenant);
