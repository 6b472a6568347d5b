/**
 * One log line per GraphQL request, written when its response is ready: `graphql request` (info)
 * with `requestId`, `tenant`, `operationName` (the resolved operation's name, null when anonymous
 * or not resolved), `operationType`, `status`, `durationMs` (from the request's arrival, so
 * authentication and body parsing count) and `errorCodes` (the response's distinct error codes).
 * The gateway's own executions (graphql-ws operations, subscription pushes) are logged at debug
 * as `graphql operation`. Never a token, a subject, a query text or variables.
 *
 * It also gives each operation its request id (`GatewayContext.requestId`, which the subgraph calls
 * forward) and puts the tenant and operation name on the request's root span.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayContext } from './context';
import { currentRequest, elapsedMs } from './request-id';

/** Most distinct error codes a line lists. */
const MAX_CODES = 20;

export function requestLogPlugin(log: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const http = currentRequest();
      if (http) http.executing = true;
      const requestId = (contextValue.requestId ??= http?.id ?? randomUUID());
      const startedAt = http?.startedAt ?? performance.now();
      const tenant = contextValue.tenant.id;
      http?.span?.setAttribute('tenant', tenant);
      let operationType: string | null = null;
      return {
        async didResolveOperation({ operation, operationName }) {
          operationType = operation?.operation ?? null;
          if (operationName) http?.span?.setAttribute('operation.name', operationName);
        },
        async willSendResponse({ response, operationName }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const errorCodes = [...new Set(errors.map((e) => String(e.extensions?.['code'] ?? 'UNKNOWN')))].slice(0, MAX_CODES);
          const line = {
            requestId,
            tenant,
            operationName: operationName ?? null,
            operationType,
            status: response.http.status ?? 200,
            durationMs: elapsedMs(startedAt),
            errorCodes,
          };
          if (http) log.info(line, 'graphql request');
          else log.debug(line, 'graphql operation');
        },
      };
    },
  };
}
