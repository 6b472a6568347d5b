/**
 * Prometheus metrics of the gateway process at `/metrics`: request counts and durations by
 * operation type and outcome, process metrics, and the entity cache's counters (in-process parts
 * of the embedded stack report there too). Labels never carry a tenant id, a user or a query text.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { entityCacheRegistry } from '../cache/metrics';

export interface GatewayMetrics {
  registry: Registry;
  plugin: ApolloServerPlugin;
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

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'gateway_graphql_requests_total',
    help: 'GraphQL requests by operation type and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'GraphQL request duration',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'Errors in GraphQL responses by code',
    labelNames: ['code'],
    registers: [registry],
  });

  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      const end = duration.startTimer();
      let operation = 'unknown';
      return {
        async didResolveOperation({ operation: op }) {
          operation = op?.operation ?? 'unknown';
        },
        async willSendResponse({ response }) {
          end({ operation });
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const codes = (result?.errors ?? []).map((e) => String(e.extensions?.['code'] ?? 'UNKNOWN'));
          for (const code of codes) errors.inc({ code });
          requests.inc({ operation, outcome: codes.length === 0 ? 'ok' : result?.data ? 'partial' : 'error' });
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
