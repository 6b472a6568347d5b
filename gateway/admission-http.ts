/**
 * Admission control on the `/graphql` HTTP path (gateway/admission.ts holds the limits):
 *
 * - `admissionMiddleware` runs before the body is read: it authenticates the caller once (the
 *   GraphQL context reuses the result), refuses a request over its tenant's or subject's rate,
 *   concurrency or spent cost budget with HTTP 429, `Retry-After` and RATE_LIMITED (answered after
 *   a pause of up to 1 s), and releases the in-flight slot when the response closes. A request that fails authentication goes on, so Apollo answers it with the
 *   usual 401.
 * - `documentLengthMiddleware` refuses a document longer than the limit before it is parsed.
 * - `costChargePlugin` charges an HTTP request's operation its estimated cost once it is known
 *   (after validation) and refuses it with 429 when the budget is spent.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode } from '../schema/error-codes';
import type { AdmissionControl, Refusal } from './admission';
import type { Authenticated, Authenticator } from './auth';
import type { GatewayContext } from './context';
import type { FieldWeights, ListSizes } from './limits';
import { operationCoster } from './limits';

/** What the admission middleware leaves for the GraphQL context: the authenticated caller, or why authentication failed. */
export type AdmittedCaller = { auth: Authenticated } | { error: unknown };

const CALLER = Symbol('admitted caller');
type WithCaller = Request & { [CALLER]?: AdmittedCaller };

/** The caller the admission middleware authenticated for this request (undefined when it did not run). */
export const admittedCaller = (req: Request): AdmittedCaller | undefined => (req as WithCaller)[CALLER];

const WHAT: Record<Refusal['limit'], string> = {
  requests: 'requests per minute',
  concurrency: 'requests in flight',
  cost: 'query cost per minute',
};

/** How long a refusal is held before it is answered: the configured pause, never past its Retry-After. */
const pauseOf = (refusal: Refusal, delayMs: number): number => Math.min(delayMs, refusal.retryAfterSeconds * 1000);

const refusalMessage = (r: Refusal): string =>
  `Too many ${WHAT[r.limit]} for this ${r.scope === 'tenant' ? 'tenant' : 'user'}; retry in ${r.retryAfterSeconds} s`;

/**
 * @param refusalDelayMs how long a refusal is held before it is answered (back-pressure on clients
 *   that retry at once; never longer than the refusal's Retry-After). @default 1000
 */
export function admissionMiddleware(admission: AdmissionControl, authenticate: Authenticator, log: Logger, refusalDelayMs = 1_000) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST' && req.method !== 'GET') return next();
    const run = async () => {
      let auth: Authenticated;
      try {
        auth = await authenticate(req.headers.authorization);
      } catch (error) {
        (req as WithCaller)[CALLER] = { error };
        return next();
      }
      (req as WithCaller)[CALLER] = { auth };
      // The client may leave while the request waits its turn: it then leaves the line, and a slot
      // granted meanwhile is given back at once (its 'close' has already fired).
      const left = new AbortController();
      const onClose = () => left.abort();
      res.once('close', onClose);
      const admitted = await admission.admit(auth.identity, auth.tenant, left.signal);
      res.off('close', onClose);
      if (!admitted.ok) {
        const { refusal } = admitted;
        log.info({ tenant: auth.tenant.id, limit: refusal.limit, scope: refusal.scope }, 'request refused: rate limited');
        // Answered after a pause (never past Retry-After): a client that retries at once cannot turn
        // refusals into load; the pause costs a timer, not CPU.
        const answer = () => {
          if (res.writableEnded || res.destroyed) return;
          res
            .status(429)
            .set('Retry-After', String(refusal.retryAfterSeconds))
            .json({
              errors: [{ message: refusalMessage(refusal), extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: refusal.retryAfterSeconds } }],
            });
        };
        setTimeout(answer, pauseOf(refusal, refusalDelayMs));
        return;
      }
      if (left.signal.aborted || res.destroyed) {
        admitted.release();
        return;
      }
      res.once('close', admitted.release);
      next();
    };
    run().catch(next);
  };
}

/** A refusal as a GraphQL result (graphql-ws queries and mutations, where there is no HTTP status). */
export const rateLimitedResult = (refusal: Refusal) => ({
  data: null,
  errors: [{ message: refusalMessage(refusal), extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: refusal.retryAfterSeconds } }],
});

export function documentLengthMiddleware(maxLength: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    const query =
      req.method === 'GET' ? req.query['query'] : typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['query'] : undefined;
    if (typeof query === 'string' && query.length > maxLength) {
      res.status(400).json({
        errors: [
          {
            message: `GraphQL document is ${query.length} characters long; at most ${maxLength} are allowed`,
            extensions: { code: ErrorCode.QUERY_TOO_COMPLEX },
          },
        ],
      });
      return;
    }
    next();
  };
}

export function costChargePlugin(
  admission: AdmissionControl,
  weights: FieldWeights,
  sizes: ListSizes,
  refusalDelayMs = 1_000,
): ApolloServerPlugin<GatewayContext> {
  const costOf = operationCoster(weights, sizes);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operationName, schema, request }) {
          // Client requests only: pushes the subscription hub resolves (executeOperation, no HTTP)
          // are the gateway's own work, shared by every subscriber of a group.
          if (!request.http) return;
          const refusal = await admission.charge(contextValue.identity, contextValue.tenant, costOf(schema, document, operationName));
          if (!refusal) return;
          await new Promise((resolve) => setTimeout(resolve, pauseOf(refusal, refusalDelayMs)));
          throw new GraphQLError(refusalMessage(refusal), {
            extensions: {
              code: ErrorCode.RATE_LIMITED,
              retryAfterSeconds: refusal.retryAfterSeconds,
              http: { status: 429, headers: new HeaderMap([['retry-after', String(refusal.retryAfterSeconds)]]) },
            },
          });
        },
      };
    },
  };
}
