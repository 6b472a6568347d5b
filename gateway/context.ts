/** The gateway's per-request context: who is asking, for which tenant, and the token to forward. */
import type { Identity } from '../tenancy/identity';
import type { TenantConfig } from '../tenancy/registry';

export interface GatewayContext {
  readonly identity: Identity;
  readonly tenant: TenantConfig;
  /** Stale entries the subgraphs served for this request (reported in `extensions.stale`). */
  readonly stale: Array<Record<string, unknown>>;
  /**
   * The request id, sent to every subgraph this operation calls (`x-request-id`). Set by the request
   * log plugin when the operation starts: the HTTP request's id (request-id.ts), or a fresh one for
   * the gateway's own executions (graphql-ws operations, subscription pushes).
   */
  requestId?: string;
}
