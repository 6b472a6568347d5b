/**
 * Error classes of the subgraphs. Each sets `extensions.code` from the one documented set in
 * schema/error-codes.ts; upstream errors also say which upstream failed, never what it answered
 * (an Odoo traceback, a Salesforce error array or a Zendesk body never reaches a client).
 */
import { GraphQLError } from 'graphql';
import { ErrorCode, type Upstream } from '../../schema/error-codes';

export { ErrorCode, type Upstream };

export class UpstreamError extends GraphQLError {
  readonly code: ErrorCode;
  readonly upstream: Upstream;
  constructor(code: ErrorCode, upstream: Upstream, message: string, opts: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, {
      originalError: opts.cause instanceof Error ? opts.cause : undefined,
      extensions: {
        code,
        upstream,
        ...(opts.status !== undefined ? { status: opts.status } : {}),
        ...(opts.retryAfterSeconds !== undefined ? { retryAfterSeconds: opts.retryAfterSeconds } : {}),
      },
    });
    this.name = 'UpstreamError';
    this.code = code;
    this.upstream = upstream;
  }
}

export const forbidden = (message = 'Not authorized to access this field'): GraphQLError =>
  new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });

export const badUserInput = (message: string, argumentName?: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argumentName ? { argumentName } : {}) } });

export const unauthenticated = (message = 'A valid identity is required'): GraphQLError =>
  new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });

/** true for an UpstreamError whose failure is worth serving stale data for (not a rejection). */
export const isUpstreamOutage = (err: unknown): boolean =>
  err instanceof UpstreamError &&
  (err.code === ErrorCode.UPSTREAM_TIMEOUT || err.code === ErrorCode.UPSTREAM_UNAVAILABLE || err.code === ErrorCode.UPSTREAM_RATE_LIMITED);
