/**
 * One tenant's Odoo client, built from its registry entry the one way the subgraph and the doctor
 * both use: the API key resolved from its reference (a missing secret throws
 * SecretResolutionError, naming the reference only), the tenant's protocol, timeout, version and
 * custom field names, and its companies as `allowed_company_ids`.
 */
import type { Logger } from 'pino';
import type { TenantConfig } from '../../tenancy/registry';
import { resolveSecret, type SecretSource } from '../../platform/secrets';
import { CapabilityHolder } from './capabilities';
import { createOdooClient, type OdooClient } from './client';
import { createFieldAdapter } from './field-adapter';
import type { UpstreamGuard } from '../kit/upstream-guard';

/** One tenant's Odoo: its client and what its server offers. */
export interface OdooTenantUpstream {
  client: OdooClient;
  capabilities: CapabilityHolder;
}

/** The tenant's Odoo client (no I/O); with `guard`, every call goes through the tenant's upstream protection (the subgraph's; tools go without). */
export function createTenantOdooClient(tenant: TenantConfig, secrets: SecretSource, log: Logger | undefined, guard?: UpstreamGuard): OdooClient {
  const odoo = tenant.upstreams.odoo;
  return createOdooClient({
    url: odoo.url,
    db: odoo.db,
    login: odoo.login,
    apiKey: resolveSecret(odoo.apiKey, secrets),
    protocol: odoo.protocol,
    timeoutMs: odoo.timeoutMs,
    fieldAdapter: createFieldAdapter(odoo.version, odoo.customFields),
    ...(odoo.companies ? { baseContext: { allowed_company_ids: odoo.companies } } : {}),
    ...(log ? { log } : {}),
    ...(guard ? { guard } : {}),
  });
}

/** The tenant's client and its capability holder (discovery not started: call `capabilities.refresh()`). */
export function createOdooUpstream(tenant: TenantConfig, secrets: SecretSource, log: Logger, guard?: UpstreamGuard): OdooTenantUpstream {
  const client = createTenantOdooClient(tenant, secrets, log, guard);
  return { client, capabilities: new CapabilityHolder(client, tenant.upstreams.odoo, log) };
}
