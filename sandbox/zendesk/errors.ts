/**
 * Zendesk's own error answers (UPSTREAMS.md 3.3). Routes never write an error body by hand.
 */
import { jsonReply, type SandboxReply } from '../kit/emulator';

export const RATE_LIMIT_MESSAGE = 'Number of allowed API requests per minute exceeded';

/** 401 for missing or wrong credentials. */
export const unauthorized = (): SandboxReply => jsonReply(401, { error: "Couldn't authenticate you" }, { 'www-authenticate': 'Basic realm="Web Password"' });

/** 404 for an id the account does not hold. */
export const recordNotFound = (): SandboxReply => jsonReply(404, { error: 'RecordNotFound', description: 'Not found' });

/** 404 for a path the API does not have. */
export const invalidEndpoint = (): SandboxReply => jsonReply(404, { error: 'InvalidEndpoint', description: 'Not found' });

/** Per-field validation failure, e.g. `{status: [{description, error}]}`. */
export type ValidationDetails = Record<string, Array<{ description: string; error: string }>>;

/** 422 RecordInvalid; the per-item `error` key is unconfirmed (UPSTREAMS.md 3.3). */
export const recordInvalid = (details: ValidationDetails): SandboxReply =>
  jsonReply(422, { error: 'RecordInvalid', description: 'Record validation errors', details });

/** 400 for a request the API cannot parse (bad JSON, missing root key, bad pagination). Body shape unconfirmed. */
export const badRequest = (error: string, description: string): SandboxReply => jsonReply(400, { error, description });

/** 429 with `Retry-After` and the text/plain body Zendesk sends. */
export const rateLimited = (retryAfterSeconds: number, limit?: number): SandboxReply => ({
  status: 429,
  headers: {
    'content-type': 'text/plain; charset=utf-8',
    'retry-after': String(retryAfterSeconds),
    ...(limit !== undefined ? { 'x-rate-limit': String(limit), 'x-rate-limit-remaining': '0' } : {}),
  },
  body: RATE_LIMIT_MESSAGE,
});

/** 500 as an unhandled server error, or 503 while Zendesk is in maintenance (bodies unconfirmed). */
export const serverError = (status: number): SandboxReply =>
  status === 503
    ? jsonReply(503, { error: 'ServiceUnavailable', description: 'Zendesk is temporarily unavailable for scheduled maintenance' })
    : jsonReply(status, { error: 'InternalError', description: 'Something went wrong. Please try again later.' });
