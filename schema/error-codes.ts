/**
 * The one documented set of `extensions.code` values this gateway and its subgraphs answer with.
 * It is part of the public contract (README, "Errors"): clients branch on these strings, so a code
 * is never renamed, and resolvers never write a code string by hand.
 */
export enum ErrorCode {
  /** No, malformed, expired or otherwise invalid bearer token; unknown or disabled tenant. HTTP 401. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** Authenticated, but this identity may not see this field or do this action. */
  FORBIDDEN = 'FORBIDDEN',
  /** An argument is malformed (an id that is not one, a bad cursor, a page size out of range). */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** The GraphQL document is invalid (syntax or validation). HTTP 400. */
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  /**
   * The query exceeds a security limit (depth, cost, aliases, batch, body size), or one request to a
   * subgraph needs more upstream calls than the tenant's `maxCallsPerRequest` (`extensions.maxCallsPerRequest`).
   */
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** An upstream system did not answer within its budget. */
  UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT',
  /**
   * An upstream system could not be reached, or answered with a server error or an unreadable body;
   * or its circuit breaker is open after repeated outages (`extensions.breaker`, `retryAfterSeconds`).
   */
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
  /** An upstream system refused the call (its own error envelope: access, validation, business rule). */
  UPSTREAM_REJECTED = 'UPSTREAM_REJECTED',
  /**
   * The tenant's upstream lacks what this field is read from: an optional module is not installed, a
   * custom field does not exist, or the integration user may not read it. The field is null;
   * `extensions.reason` says which (e.g. "Odoo module stock_delivery is not installed"). Its siblings
   * are unaffected. Fixed by the upstream's configuration, not by retrying.
   */
  UPSTREAM_CAPABILITY_MISSING = 'UPSTREAM_CAPABILITY_MISSING',
  /**
   * The tenant's upstream is configured wrongly in the tenant registry (a protocol the server's
   * version does not have, a URL that serves the web login page instead of the API). An operator
   * must fix the registry; `npm run doctor` names the problem.
   */
  UPSTREAM_MISCONFIGURED = 'UPSTREAM_MISCONFIGURED',
  /**
   * An upstream system throttled us (Zendesk 429, Salesforce REQUEST_LIMIT_EXCEEDED), or the
   * subgraph held the call back to keep within the tenant's share of it (`extensions.throttledBy`:
   * a pause the upstream asked for, the org's API usage, the bulkhead, the calls-per-minute cap).
   * `retryAfterSeconds` says when to try again.
   */
  UPSTREAM_RATE_LIMITED = 'UPSTREAM_RATE_LIMITED',
  /**
   * Too much from one identity or tenant: over its share of subscriptions (per connection, per
   * tenant), or a subscriber too slow to take its pushes. Retry later, or with less.
   */
  RATE_LIMITED = 'RATE_LIMITED',
  /** A subgraph could not be reached by the gateway. */
  SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE',
  /** Anything unexpected; details are logged, never sent. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Which upstream system an upstream error came from. */
export type Upstream = 'odoo' | 'salesforce' | 'zendesk';
