/**
 * What every subgraph's per-request context holds before the subgraph adds its own upstream client
 * and loaders: the verified identity, the tenant's configuration (found from the identity alone),
 * the request's abort signal, and the stale entries served so far.
 */
import type { Logger } from 'pino';
import type { Identity } from '../../tenancy/identity';
import type { TenantConfig } from '../../tenancy/registry';

/** A cached record served past its freshness because its upstream failed. */
export interface StaleServe {
  type: string;
  id: string;
  ageSeconds: number;
}

export interface BaseContext {
  readonly identity: Identity;
  readonly tenant: TenantConfig;
  /** Aborted when the client goes away (the upstream calls then stop; each call has its own timeout). */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Filled by loaders; reported in the response's `extensions.stale`. */
  readonly stale: StaleServe[];
}
