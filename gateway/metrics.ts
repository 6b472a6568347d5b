/**
 * Prometheus metrics of the gateway process at `/metrics`: request counts and durations by
 * operation type, outcome, tenant and operation name, error codes, process metrics, and the entity
 * cache's counters (in-process parts of the embedded stack report there too).
 *
 * Every label is bounded: `tenant` is one of the registry's tenant ids or `other`; `operation_name`
 * is one of the first `maxOperationNames` distinct names this gateway served (default 50), else
 * `other` (`anonymous` for unnamed operations, `unknown` before an operation is resolved). Labels
 * never carry a user, a token or a query text.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { entityCacheRegistry } from '../cache/metrics';
import type { GatewayContext } from './context';

/** Distinct `operation_name` label values one gateway reports before the rest become `other`. */
export const DEFAULT_MAX_OPERATION_NAMES = 50;

/** Longest operation name reported as itself (longer ones are `other`). */
const MAX_OPERATION_NAME_LENGTH = 100;

export interface GatewayMetricsOptions {
  /** The tenant ids a `tenant` label may carry (the registry's); any other tenant is `other`. @default [] */
  tenants?: readonly string[];
  /**
   * Distinct operation names labelled as themselves per tenant label, first come first served, for
   * the life of the gateway. The label's cardinality is then at most this + 3 (`other`, `anonymous`,
   * `unknown`) per tenant label.
   * @default DEFAULT_MAX_OPERATION_NAMES (50)
   */
  maxOperationNames?: number;
}

export interface GatewayMetrics {
  registry: Registry;
  plugin: ApolloServerPlugin<GatewayContext>;
  /** The text exposition of every registry this process reports. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Process metrics (CPU, memory, event-loop lag, GC): collected once per process, however many gateways it runs. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Maps operation names to bounded label values: the first `max` distinct names, then `other`. */
export function operationNameLabels(max: number): (name: string | null | undefined, resolved: boolean, tenant: string) => string {
  // Per tenant label: one tenant's junk names cannot use up another's.
  const seenBy = new Map<string, Set<string>>();
  return (name, resolved, tenant) => {
    if (!resolved) return 'unknown';
    if (!name) return 'anonymous';
    let seen = seenBy.get(tenant);
    if (!seen) seenBy.set(tenant, (seen = new Set()));
    if (seen.has(name)) return name;
    if (seen.size >= max || name.length > MAX_OPERATION_NAME_LENGTH) return 'other';
    seen.add(name);
    return name;
  };
}

export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const tenants = new Set(options.tenants ?? []);
  const operationName = operationNameLabels(options.maxOperationNames ?? DEFAULT_MAX_OPERATION_NAMES);
  const registry = new Registry();
  const requests = new Counter({
    name: 'gateway_graphql_requests_total',
    help: 'GraphQL requests by operation type, outcome, tenant and operation name',
    labelNames: ['operation', 'outcome', 'tenant', 'operation_name'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'GraphQL request duration by operation type, tenant and operation name',
    labelNames: ['operation', 'tenant', 'operation_name'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'Errors in GraphQL responses by code',
    labelNames: ['code'],
    registers: [registry],
  });

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ contextValue }) {
      const end = duration.startTimer();
      const tenant = tenants.has(contextValue.tenant.id) ? contextValue.tenant.id : 'other';
      let operation = 'unknown';
      let resolved = false;
      return {
        async didResolveOperation({ operation: op }) {
          operation = op?.operation ?? 'unknown';
          resolved = true;
        },
        async willSendResponse({ response, operationName: name }) {
          const operation_name = operationName(name, resolved, tenant);
          end({ operation, tenant, operation_name });
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const codes = (result?.errors ?? []).map((e) => String(e.extensions?.['code'] ?? 'UNKNOWN'));
          for (const code of codes) errors.inc({ code });
          requests.inc({ operation, outcome: codes.length === 0 ? 'ok' : result?.data ? 'partial' : 'error', tenant, operation_name });
        },
      };
    },
  };
  return {
    registry,
    plugin,
    // Merged at each scrape: metrics registered after start (subscriptions) are included.
    render: async () => {
      const merged = Registry.merge([registry, processMetrics(), entityCacheRegistry]);
      return { contentType: merged.contentType, body: await merged.metrics() };
    },
  };
}
