/**
 * The Salesforce REST client. It knows nothing of GraphQL: it gets an OAuth 2.0 client-credentials
 * token from the tenant's My Domain, runs SOQL queries (`/services/data/vXX.X/query`, following
 * `nextRecordsUrl`), and turns every failure into a coded UpstreamError whose message never
 * carries what Salesforce answered.
 *
 * Token: requested once per client (one client per tenant, kept for the life of the process),
 * shared by concurrent calls, and reused until a call answers 401 `INVALID_SESSION_ID`; then it is
 * requested again, once, and the call retried once.
 *
 * Error mapping (only Salesforce's `errorCode` is logged, never its message, which echoes the SOQL):
 * - 403 `REQUEST_LIMIT_EXCEEDED` → UPSTREAM_RATE_LIMITED;
 * - other 4xx (`MALFORMED_QUERY`, `INVALID_FIELD`, a refused token, ...) → UPSTREAM_REJECTED;
 * - 5xx, an unreadable body, no connection → UPSTREAM_UNAVAILABLE; no answer in time → UPSTREAM_TIMEOUT.
 *
 * Every exchange (queries, pages, token requests) goes through the tenant's upstream guard (`guard`,
 * kit/upstream-guard.ts), which also learns the org's API usage from `Sforce-Limit-Info`.
 */
import type { Logger } from 'pino';
import { ErrorCode, UpstreamError } from '../kit/errors';
import { z } from 'zod';
import { retryAfterSeconds, upstreamFetch, type UpstreamResponse } from '../kit/http';
import { unguarded, type UpstreamGuard } from '../kit/upstream-guard';

export interface SalesforceClientOptions {
  /** My Domain URL the token is requested from, e.g. `https://acme.my.salesforce.com`. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** REST API version, e.g. `62.0`. */
  apiVersion: string;
  /** Budget per HTTP exchange in ms. @default 10_000 */
  timeoutMs?: number;
  log?: Logger;
  /**
   * The tenant's upstream protection every call goes through (kit/upstream-guard.ts); it is also told
   * the org's API usage from each `Sforce-Limit-Info`. @default none: one attempt per call
   */
  guard?: UpstreamGuard;
}

/** A query's records as Salesforce sent them (each with `attributes`); narrowed by the caller. */
export type SoqlRecord = Record<string, unknown>;

/** The org's daily API usage, as the last `Sforce-Limit-Info: api-usage=<used>/<limit>` header said. */
export interface ApiUsage {
  readonly used: number;
  readonly limit: number;
}

export interface SalesforceClient {
  /** Runs a SOQL query and returns every record (following `nextRecordsUrl`). */
  query(soql: string, signal?: AbortSignal): Promise<SoqlRecord[]>;
  /** The remaining records of a (sub)query result that was not `done`. */
  queryMore(nextRecordsUrl: string, signal?: AbortSignal): Promise<SoqlRecord[]>;
  /** The org's API usage from the latest answer that carried `Sforce-Limit-Info`; undefined before any. */
  apiUsage?(): ApiUsage | undefined;
}

/** `api-usage=18/5000` (optionally followed by `; per-app-api-usage=...`) → `{used, limit}`. */
export function parseLimitInfo(header: string | null): ApiUsage | undefined {
  const match = /api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  if (!match) return undefined;
  const used = Number(match[1]);
  const limit = Number(match[2]);
  return Number.isSafeInteger(used) && Number.isSafeInteger(limit) && limit > 0 ? { used, limit } : undefined;
}

interface Session {
  accessToken: string;
  instanceUrl: string;
}

/** Pages followed at most for one query (2,000 rows each): a guard against a runaway cursor. */
const MAX_PAGES = 50;

/** A SOQL string literal: quotes, backslashes and control characters escaped. */
export function soqlLiteral(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\f/g, '\\f')
    .replace(/\x08/g, '\\b');
  return `'${escaped}'`;
}

/** Whether a name is safe to splice into SOQL as a field name (registry values are checked with it). */
export const isSoqlFieldName = (name: string): boolean => /^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(name);

/** Salesforce's answers, as this client reads them (UPSTREAMS.md 2): checked with zod, like every upstream's. */
const ZErrorArray = z.array(z.object({ errorCode: z.string() }).loose()).min(1);
const ZOAuthError = z.object({ error: z.string() }).loose();
const ZToken = z.object({ access_token: z.string(), instance_url: z.string() }).loose();
const ZQueryPage = z
  .object({ records: z.array(z.record(z.string(), z.unknown())), done: z.boolean().optional(), nextRecordsUrl: z.string().optional() })
  .loose();

/**
 * A query's operation as the emulator's stats name it: `SOQL <object of the top-level FROM>` (an
 * object name the code wrote, never a value), `SOQL ?` when none is found.
 */
export function soqlOperation(soql: string): string {
  let flat = soql.replace(/'(?:\\.|[^'\\])*'/g, "''");
  for (let previous = ''; previous !== flat;) {
    previous = flat;
    flat = flat.replace(/\([^()]*\)/g, ' ');
  }
  return `SOQL ${/\bFROM\s+([A-Za-z][A-Za-z0-9_]*)/i.exec(flat)?.[1] ?? '?'}`;
}

const TOKEN_OPERATION = 'POST /services/oauth2/token';
const NEXT_PAGE_OPERATION = 'SOQL next';

/** The first `errorCode` of a Salesforce error array (or of an OAuth error), for logs and mapping. */
function errorCodeOf(body: unknown): string | undefined {
  const array = ZErrorArray.safeParse(body);
  if (array.success) return array.data[0]?.errorCode;
  const oauth = ZOAuthError.safeParse(body);
  return oauth.success ? oauth.data.error : undefined;
}

export function createSalesforceClient({
  loginUrl,
  clientId,
  clientSecret,
  apiVersion,
  timeoutMs = 10_000,
  log,
  guard = unguarded(timeoutMs),
}: SalesforceClientOptions): SalesforceClient {
  let session: Promise<Session> | undefined;
  let usage: ApiUsage | undefined;

  function fail(res: UpstreamResponse, what: string): never {
    const errorCode = errorCodeOf(res.json);
    log?.warn({ upstream: 'salesforce', op: what, status: res.status, errorCode }, 'salesforce call failed');
    if (errorCode === 'REQUEST_LIMIT_EXCEEDED' || res.status === 429) {
      const retry = retryAfterSeconds(res.headers);
      throw new UpstreamError(ErrorCode.UPSTREAM_RATE_LIMITED, 'salesforce', 'Salesforce API limit reached', {
        status: res.status,
        ...(retry !== undefined ? { retryAfterSeconds: retry } : {}),
      });
    }
    if (res.status >= 400 && res.status < 500) {
      throw new UpstreamError(ErrorCode.UPSTREAM_REJECTED, 'salesforce', `Salesforce rejected the ${what} (${res.status})`, { status: res.status });
    }
    throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'salesforce', `Salesforce answered ${res.status}`, { status: res.status });
  }

  /**
   * Not tied to one request's signal: the session is shared by every request of the tenant. A token
   * request changes nothing on the org, so the guard may repeat it after an outage.
   */
  function requestToken(): Promise<Session> {
    return guard.run({ operation: TOKEN_OPERATION, idempotent: true, essential: true }, async ({ timeoutMs: budget }) => {
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
      const res = await upstreamFetch('salesforce', `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        timeoutMs: budget,
      });
      if (res.status !== 200) fail(res, 'token request');
      const token = ZToken.safeParse(res.json);
      if (!token.success) {
        throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'salesforce', 'Salesforce answered the token request with an unexpected body', {
          status: res.status,
        });
      }
      return { accessToken: token.data.access_token, instanceUrl: token.data.instance_url.replace(/\/+$/, '') };
    });
  }

  /** The current session, requested on first use and shared by concurrent callers. */
  function currentSession(): Promise<Session> {
    if (!session) {
      const pending = requestToken();
      session = pending;
      // A failed token request is not kept: the next call asks again.
      pending.catch(() => {
        if (session === pending) session = undefined;
      });
    }
    return session;
  }

  /** GET on the instance with the session; one refresh and retry on INVALID_SESSION_ID. Each exchange goes through the guard. */
  async function getData(pathOrUrl: (s: Session) => string, what: string, operation: string, signal?: AbortSignal): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const pending = currentSession();
      const s = await pending;
      const answer = await guard.run({ operation, idempotent: true, signal }, async ({ timeoutMs: budget }) => {
        const res = await upstreamFetch('salesforce', pathOrUrl(s), {
          headers: { authorization: `Bearer ${s.accessToken}`, accept: 'application/json' },
          timeoutMs: budget,
          ...(signal ? { signal } : {}),
        });
        const limit = res.headers.get('sforce-limit-info');
        if (limit) {
          usage = parseLimitInfo(limit) ?? usage;
          if (usage) guard.observeApiUsage(usage.used, usage.limit);
          log?.debug({ upstream: 'salesforce', limitInfo: limit }, 'salesforce api usage');
        }
        if (res.status === 401 && attempt === 0 && errorCodeOf(res.json) === 'INVALID_SESSION_ID') return { expired: true } as const;
        if (res.status !== 200) fail(res, what);
        if (res.json === undefined) {
          throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'salesforce', 'Salesforce answered with an unexpected body', { status: res.status });
        }
        return { json: res.json as unknown };
      });
      if ('expired' in answer) {
        if (session === pending) session = undefined;
        continue;
      }
      return answer.json;
    }
  }

  /** Collects the records of a query answer and of its following pages. */
  async function collect(first: unknown, signal?: AbortSignal): Promise<SoqlRecord[]> {
    const records: SoqlRecord[] = [];
    let body = first;
    for (let n = 0; ; n++) {
      const page = ZQueryPage.safeParse(body);
      if (!page.success) throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'salesforce', 'Salesforce answered a query with an unexpected body');
      records.push(...page.data.records);
      const next = page.data.nextRecordsUrl;
      if (page.data.done === true || next === undefined || n + 1 >= MAX_PAGES) return records;
      body = await getData((s) => `${s.instanceUrl}${next.startsWith('/') ? next : `/${next}`}`, 'query page', NEXT_PAGE_OPERATION, signal);
    }
  }

  return {
    async query(soql, signal) {
      const first = await getData(
        (s) => `${s.instanceUrl}/services/data/v${apiVersion}/query?q=${encodeURIComponent(soql)}`,
        'query',
        soqlOperation(soql),
        signal,
      );
      return collect(first, signal);
    },
    async queryMore(nextRecordsUrl, signal) {
      const first = await getData(
        (s) => `${s.instanceUrl}${nextRecordsUrl.startsWith('/') ? nextRecordsUrl : `/${nextRecordsUrl}`}`,
        'query page',
        NEXT_PAGE_OPERATION,
        signal,
      );
      return collect(first, signal);
    },
    apiUsage: () => usage,
  };
}
