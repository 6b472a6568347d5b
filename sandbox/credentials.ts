/**
 * The sandbox's upstream credentials. The registry (tenancy/sandbox.tenants.json) names them by
 * reference only; for a sandbox run they are minted at random, put where the references point (the
 * environment handed to the subgraphs), and handed to the emulators, so no credential of any kind
 * is written in the repository and every run uses fresh ones.
 */
import { randomBytes } from 'node:crypto';
import { resolveSecret, type SecretRef, type SecretSource } from '../platform/secrets';
import type { TenantRegistry } from '../tenancy/registry';
import type { OdooProfile, OdooVersion } from './odoo/profiles';

export interface OdooTenantCredentials {
  tenant: string;
  db: string;
  login: string;
  /** Works as the password in `common.authenticate` and `execute_kw`, and as the JSON-2 bearer key. */
  apiKey: string;
  /** The Odoo version the registry expects; the emulator hosts the database on a server of that version. */
  version?: OdooVersion;
  /** Overrides of the emulator's profile for this tenant (sandbox/odoo/profiles.ts `profileFor`). */
  profile?: Partial<OdooProfile>;
}
export interface SalesforceTenantCredentials {
  tenant: string;
  clientId: string;
  clientSecret: string;
}
export interface ZendeskTenantCredentials {
  tenant: string;
  email: string;
  token: string;
}

export interface SandboxCredentials {
  odoo: OdooTenantCredentials[];
  salesforce: SalesforceTenantCredentials[];
  zendesk: ZendeskTenantCredentials[];
}

const refsOf = (registry: TenantRegistry): SecretRef[] =>
  registry.tenants.flatMap((t) => [t.upstreams.odoo.apiKey, t.upstreams.salesforce.clientId, t.upstreams.salesforce.clientSecret, t.upstreams.zendesk.token]);

/**
 * Fills every `env` reference of the registry that `env` does not already hold with a fresh random
 * value, and returns the environment to resolve the registry against.
 */
export function mintSandboxSecrets(registry: TenantRegistry, env: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  for (const ref of refsOf(registry)) {
    if ('env' in ref && !out[ref.env]) {
      const isClientId = ref.env.endsWith('_CLIENT_ID');
      out[ref.env] = isClientId ? `3MVG9${randomBytes(18).toString('base64url')}` : randomBytes(20).toString('hex');
    }
  }
  return out;
}

/** The credentials each emulator must accept, resolved from the registry's references. */
export function sandboxCredentials(registry: TenantRegistry, source: SecretSource): SandboxCredentials {
  return {
    odoo: registry.tenants.map((t) => ({
      tenant: t.id,
      db: t.upstreams.odoo.db,
      login: t.upstreams.odoo.login,
      apiKey: resolveSecret(t.upstreams.odoo.apiKey, source),
      version: t.upstreams.odoo.version,
    })),
    salesforce: registry.tenants.map((t) => ({
      tenant: t.id,
      clientId: resolveSecret(t.upstreams.salesforce.clientId, source),
      clientSecret: resolveSecret(t.upstreams.salesforce.clientSecret, source),
    })),
    zendesk: registry.tenants.map((t) => ({ tenant: t.id, email: t.upstreams.zendesk.email, token: resolveSecret(t.upstreams.zendesk.token, source) })),
  };
}
