/**
 * The doctor across upstreams: every tenant of a registry (or one), its Odoo, Salesforce and
 * Zendesk checked in parallel, findings in a stable order (tenant as in the registry, then odoo,
 * salesforce, zendesk, then check order). Each subgraph's `/doctor` endpoint runs its own doctor
 * alone; `npm run doctor` runs them all.
 */
import type { Logger } from 'pino';
import type { TenantConfig, TenantRegistry } from '../tenancy/registry';
import type { SecretSource } from '../platform/secrets';
import { runSafely, type DoctorFinding, type UpstreamDoctor } from './kit/doctor';
import type { Upstream } from './kit/errors';
import { odooDoctor } from './odoo/doctor';
import { salesforceDoctor } from './salesforce/doctor';
import { zendeskDoctor } from './zendesk/doctor';

export const UPSTREAM_DOCTORS: Readonly<Record<Upstream, UpstreamDoctor>> = {
  odoo: odooDoctor,
  salesforce: salesforceDoctor,
  zendesk: zendeskDoctor,
};

export interface DoctorOptions {
  registry: TenantRegistry;
  secrets: SecretSource;
  log: Logger;
  /** One tenant only (by id); every tenant when absent. */
  tenant?: string;
  /** @default all three */
  upstreams?: readonly Upstream[];
}

/** The findings of one tenant: its upstreams checked in parallel. */
export async function doctorTenant(
  tenant: TenantConfig,
  secrets: SecretSource,
  log: Logger,
  upstreams: readonly Upstream[] = ['odoo', 'salesforce', 'zendesk'],
): Promise<DoctorFinding[]> {
  if (!tenant.enabled) return [{ tenant: tenant.id, upstream: 'odoo', check: 'tenant', status: 'ok', detail: 'disabled: not checked' }];
  const parts = await Promise.all(upstreams.map((u) => runSafely(UPSTREAM_DOCTORS[u], tenant, u, secrets, log.child({ tenant: tenant.id, upstream: u }))));
  return parts.flat();
}

/** Throws a RangeError for an unknown tenant id (the CLI turns it into exit status 2). */
export async function runDoctor(options: DoctorOptions): Promise<DoctorFinding[]> {
  const { registry, secrets, log, tenant, upstreams } = options;
  const tenants = tenant === undefined ? registry.tenants : registry.tenants.filter((t) => t.id === tenant);
  if (tenants.length === 0) throw new RangeError(`unknown tenant ${JSON.stringify(tenant)} (the registry has ${registry.tenants.map((t) => t.id).join(', ')})`);
  const all = await Promise.all(tenants.map((t) => doctorTenant(t, secrets, log, upstreams)));
  return all.flat();
}
