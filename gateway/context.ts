/** The gateway's per-request context: who is asking, for which tenant, and the token to forward. */
import type { Identity } from '../tenancy/identity';
import type { TenantConfig } from '../tenancy/registry';

export interface GatewayContext {
  readonly identity: Identity;
  readonly tenant: TenantConfig;
  /** Stale entries the subgraphs served for this request (reported in `extensions.stale`). */
  readonly stale: Array<Record<string, unknown>>;
}
