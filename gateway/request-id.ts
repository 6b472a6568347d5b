/**
 * Request correlation at the gateway's edge, mounted on `/graphql` before anything else runs: each
 * request gets an id (the caller's `x-request-id` when well formed: 1–128 characters of
 * `A-Z a-z 0-9 . _ : -`; otherwise a fresh UUID), answered in the `x-request-id` response header,
 * written on the request's log line and spans, and sent to every subgraph the request calls. With
 * tracing on, the whole handling (authentication, body parsing, planning, subgraph calls) runs in
 * one root span, `gateway.http`; a client's `traceparent` is only linked to it, never adopted (a
 * client chooses neither the gateway's trace ids nor its sampling).
 *
 * The request log (request-log.ts) writes the line of every request that reaches GraphQL
 * execution; a request refused before it (unauthenticated, malformed or oversized body, admission
 * control) gets its line here, once its response is finished.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER, requestIdFrom, runInServerSpan } from '../platform/tracing';

/** One HTTP request to `/graphql`, as the request log and the subgraph calls see it. */
export interface GatewayRequest {
  /** The request id (also in the `x-request-id` response header). */
  readonly id: string;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  /** The request's root span (`gateway.http`); undefined when tracing is off. */
  readonly span: Span | undefined;
  /** Set by the request log when GraphQL execution starts: it then writes the request's line. */
  executing: boolean;
}

const scope = new AsyncLocalStorage<GatewayRequest>();

/** The HTTP request being handled in this async context, if any (none for the gateway's own executions). */
export const currentRequest = (): GatewayRequest | undefined => scope.getStore();

/** Milliseconds since `startedAt`, to 0.1 ms. */
export const elapsedMs = (startedAt: number): number => Math.round((performance.now() - startedAt) * 10) / 10;

/** The middleware: `app.use('/graphql', requestIdMiddleware(log))` before the GraphQL handler. */
export function requestIdMiddleware(log: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const id = requestIdFrom(req.headers);
    const startedAt = performance.now();
    res.setHeader(REQUEST_ID_HEADER, id);
    runInServerSpan(req, res, { name: 'gateway.http', component: 'gateway', route: '/graphql', inbound: 'link', attributes: { 'request.id': id } }, (span) => {
      const request: GatewayRequest = { id, startedAt, span, executing: false };
      let logged = false;
      const done = () => {
        if (request.executing || logged) return;
        logged = true;
        const finished = res.writableFinished;
        log.info(
          { requestId: id, status: res.statusCode, durationMs: elapsedMs(startedAt), ...(finished ? {} : { aborted: true }) },
          finished ? 'graphql request not executed' : 'graphql request aborted',
        );
      };
      res.once('finish', done);
      res.once('close', done);
      scope.run(request, next);
    });
  };
}
