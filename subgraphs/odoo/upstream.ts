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

/** One tenant's Odoo: its client and what its server offers. */
export interface OdooTenantUpstream {
  client: OdooClient;
  capabilities: CapabilityHolder;
}

/** The tenant's Odoo client (no I/O). */
export function createTenantOdooClient(tenant: TenantConfig, secrets: SecretSource, log: Logger | undefined): OdooClient {
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
  });
}

/** The tenant's client and its capability holder (discovery not started: call `capabilities.refresh()`). */
export function createOdooUpstream(tenant: TenantConfig, secrets: SecretSource, log: Logger): OdooTenantUpstream {
  const client = createTenantOdooClient(tenant, secrets, log);
  return { client, capabilities: new CapabilityHolder(client, tenant.upstreams.odoo, log) };
}
