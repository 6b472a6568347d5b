/**
 * The Odoo upstream client. It knows nothing of GraphQL: it speaks Odoo's external API and turns
 * every failure into a coded UpstreamError.
 *
 * Two wire protocols, one surface (`searchRead`, `read`, `searchCount`, `call`):
 * - `jsonrpc`: `POST /jsonrpc` with `object.execute_kw` (Odoo 17, 18, 19). The uid comes from one
 *   `common.authenticate` per client, reused by every call; an `AccessDenied` envelope (the key was
 *   rotated, the user re-created) makes the client authenticate again, once, and retry the call.
 * - `json2`: `POST /json/2/<model>/<method>` (Odoo 19+), bearer API key, `X-Odoo-Database`, every
 *   argument by name.
 *
 * Error mapping (the client-facing message never carries Odoo's text or traceback; only the
 * exception class `data.name` is logged):
 * - an Odoo error envelope (JSON-RPC `error`, a JSON-2 error body) → UPSTREAM_REJECTED;
 * - HTTP 429 → UPSTREAM_RATE_LIMITED (with `retryAfterSeconds` when Odoo's proxy says);
 * - other non-2xx without an Odoo error body, an unreadable body, a refused connection → UPSTREAM_UNAVAILABLE;
 * - no answer within `timeoutMs` → UPSTREAM_TIMEOUT.
 */
import { CANONICAL_CUSTOM_FIELDS, createFieldAdapter, type FieldAdapter } from './field-adapter';
import type { Logger } from 'pino';
import { ErrorCode, UpstreamError } from '../kit/errors';
import { isRecord, retryAfterSeconds, upstreamFetch, type UpstreamResponse } from '../kit/http';

/** One Odoo record as `read`/`search_read` return it: always has `id`; other values are raw Odoo values. */
export type OdooRecord = Readonly<Record<string, unknown>> & { readonly id: number };

/** An Odoo domain: prefix-notation list of `[field, operator, value]` terms and `'&' | '|' | '!'`. */
export type OdooDomain = ReadonlyArray<readonly [string, string, unknown] | '&' | '|' | '!'>;

export interface SearchReadOptions {
  fields: readonly string[];
  limit?: number;
  offset?: number;
  /** SQL-like order, e.g. `"date_order desc, id desc"`. */
  order?: string;
  /** Odoo context, e.g. `{ active_test: false }` to include archived records. */
  context?: Readonly<Record<string, unknown>>;
}

export interface OdooClientOptions {
  /** Base URL, e.g. `https://erp.example.com` (no trailing path). */
  url: string;
  db: string;
  login: string;
  /** API key (or password) of the integration user. */
  apiKey: string;
  /** @default 'jsonrpc' */
  protocol?: 'jsonrpc' | 'json2';
  /** Budget per HTTP exchange in ms. @default 10_000 */
  timeoutMs?: number;
  /** The tenant's Odoo version and custom field names (reads are adapted to them). @default Odoo 18, canonical names */
  fieldAdapter?: FieldAdapter;
  /** Where rejected calls are logged (model, method, Odoo exception class; never the message). */
  log?: Logger;
}

export interface OdooCallOptions {
  /** The GraphQL request's signal: a call is abandoned when the client goes away. */
  signal?: AbortSignal;
}

export interface OdooClient {
  readonly protocol: 'jsonrpc' | 'json2';
  searchRead(model: string, domain: OdooDomain, options: SearchReadOptions, call?: OdooCallOptions): Promise<OdooRecord[]>;
  /** Records that exist among `ids` (missing ids are left out, as Odoo does). */
  read(model: string, ids: readonly number[], fields: readonly string[], call?: OdooCallOptions): Promise<OdooRecord[]>;
  searchCount(model: string, domain: OdooDomain, call?: OdooCallOptions): Promise<number>;
  /**
   * Any public model method (business actions). For JSON-2, a leading id list in `args` becomes
   * `ids` and every other argument must be given by name in `kwargs` (JSON-2 has no positional
   * arguments); a call with more positional arguments is a programming error (TypeError).
   */
  call(model: string, method: string, args: readonly unknown[], kwargs?: Readonly<Record<string, unknown>>, call?: OdooCallOptions): Promise<unknown>;
}

const UPSTREAM = 'odoo' as const;

/** Odoo's exception class from an error envelope's `data.name` (or a JSON-2 body's `name`), for logs only. */
function odooErrorName(error: unknown): string {
  if (!isRecord(error)) return 'unknown';
  const data = isRecord(error['data']) ? error['data'] : error;
  return typeof data['name'] === 'string' ? data['name'] : 'unknown';
}

const isAccessDenied = (error: unknown): boolean => odooErrorName(error) === 'odoo.exceptions.AccessDenied';

/**
 * What an Odoo error means for us. Odoo's own exceptions (`odoo.exceptions.*`: access, validation,
 * business rules, missing records) and Python errors raised by the call's arguments (`builtins.*`: a
 * bad domain, an unknown method) are refusals of this call; anything else (`psycopg2.*` when its
 * database is down, a lost session, a worker dying) is an outage, so cached data may stand in.
 */
function failure(model: string, method: string, odooError: string, status?: number): UpstreamError {
  const refused = /^(odoo\.exceptions|builtins|werkzeug\.exceptions)\./.test(odooError);
  return refused
    ? new UpstreamError(ErrorCode.UPSTREAM_REJECTED, UPSTREAM, `Odoo rejected ${model}.${method}`, status !== undefined ? { status } : {})
    : new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo failed to serve ${model}.${method}`, status !== undefined ? { status } : {});
}

function checkStatus(res: UpstreamResponse, what: string): void {
  if (res.status === 429) {
    const retry = retryAfterSeconds(res.headers);
    throw new UpstreamError(ErrorCode.UPSTREAM_RATE_LIMITED, UPSTREAM, `Odoo throttled ${what}`, {
      status: 429,
      ...(retry !== undefined ? { retryAfterSeconds: retry } : {}),
    });
  }
}

function asRecords(value: unknown, model: string, method: string): OdooRecord[] {
  if (!Array.isArray(value) || !value.every((r) => isRecord(r) && typeof r['id'] === 'number')) {
    throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${model}.${method} with an unexpected shape`);
  }
  return value as OdooRecord[];
}

function asCount(value: unknown, model: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${model}.search_count with an unexpected shape`);
  }
  return value;
}

/** Creates the client of one Odoo database. Reuse it across requests (it keeps the uid). */
export function createOdooClient(options: OdooClientOptions): OdooClient {
  const { db, login, apiKey, protocol = 'jsonrpc', timeoutMs = 10_000, log, fieldAdapter = createFieldAdapter('18.0', CANONICAL_CUSTOM_FIELDS) } = options;
  const base = options.url.replace(/\/+$/, '');
  let seq = 0;

  async function post(path: string, body: unknown, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<UpstreamResponse> {
    return upstreamFetch(UPSTREAM, `${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
  }

  // ---- /jsonrpc -------------------------------------------------------------------------------

  /** One JSON-RPC exchange; resolves to `result` or rejects with the envelope's `error` kept aside. */
  async function jsonrpc(service: string, method: string, args: unknown[], what: string, signal?: AbortSignal): Promise<{ result: unknown } | { error: unknown }> {
    const res = await post('/jsonrpc', { jsonrpc: '2.0', method: 'call', id: ++seq, params: { service, method, args } }, {}, signal);
    checkStatus(res, what);
    if (res.status < 200 || res.status >= 300) {
      throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${what} with HTTP ${res.status}`, { status: res.status });
    }
    const body = res.json;
    if (!isRecord(body)) throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${what} with an unreadable body`, { status: res.status });
    if ('error' in body) return { error: body['error'] };
    // A method returning None has no `result` member at all (fixture wizard.credit_note.4.action_post).
    return { result: body['result'] ?? null };
  }

  let uid: Promise<number> | undefined;

  /** Shared by every request of the tenant, so it does not follow one request's signal (only the timeout). */
  function authenticate(): Promise<number> {
    if (uid) return uid;
    const attempt = (async () => {
      const answer = await jsonrpc('common', 'authenticate', [db, login, apiKey, {}], 'common.authenticate');
      if ('error' in answer) {
        log?.warn({ odooError: odooErrorName(answer.error), db }, 'odoo authenticate failed');
        throw new UpstreamError(ErrorCode.UPSTREAM_REJECTED, UPSTREAM, 'Odoo refused the integration credentials');
      }
      if (typeof answer.result !== 'number') {
        // `false`: wrong login or key. Not an error envelope, as Odoo answers it.
        log?.warn({ db }, 'odoo authenticate returned no uid');
        throw new UpstreamError(ErrorCode.UPSTREAM_REJECTED, UPSTREAM, 'Odoo refused the integration credentials');
      }
      return answer.result;
    })();
    uid = attempt;
    // A failed authentication is not remembered: the next call tries again.
    attempt.catch(() => {
      if (uid === attempt) uid = undefined;
    });
    return attempt;
  }

  async function executeKw(model: string, method: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<unknown> {
    const what = `${model}.${method}`;
    for (let attempt = 0; ; attempt++) {
      const current = authenticate();
      const id = await current;
      const answer = await jsonrpc('object', 'execute_kw', [db, id, apiKey, model, method, args, kwargs], what, signal);
      if (!('error' in answer)) return answer.result;
      if (attempt === 0 && isAccessDenied(answer.error)) {
        if (uid === current) uid = undefined;
        log?.info({ model, method }, 'odoo AccessDenied: authenticating again');
        continue;
      }
      const odooError = odooErrorName(answer.error);
      log?.warn({ model, method, odooError }, 'odoo call failed');
      throw failure(model, method, odooError);
    }
  }

  // ---- /json/2 --------------------------------------------------------------------------------

  async function json2(model: string, method: string, body: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<unknown> {
    const what = `${model}.${method}`;
    const res = await post(
      `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
      body,
      { authorization: `bearer ${apiKey}`, 'x-odoo-database': db },
      signal,
    );
    checkStatus(res, what);
    if (res.status >= 200 && res.status < 300) {
      if (res.json === undefined && res.text.length > 0) {
        throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${what} with an unreadable body`, { status: res.status });
      }
      return res.json ?? null;
    }
    // Odoo's own error body ({name, message, arguments, context, debug}) is a deliberate refusal,
    // whatever its status (a bad domain is a 500 over JSON-2); anything else is an outage.
    if (isRecord(res.json) && typeof res.json['name'] === 'string') {
      const odooError = odooErrorName(res.json);
      log?.warn({ model, method, status: res.status, odooError }, 'odoo call failed');
      throw failure(model, method, odooError, res.status);
    }
    throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${what} with HTTP ${res.status}`, { status: res.status });
  }

  // ---- the surface ----------------------------------------------------------------------------

  const isJson2 = protocol === 'json2';

  return {
    protocol,

    async searchRead(model, canonicalDomain, { fields, limit, offset, order, context }, call = {}) {
      const domain = fieldAdapter.domain(canonicalDomain);
      const named: Record<string, unknown> = { fields: fieldAdapter.fields(model, fields) };
      if (context !== undefined) named['context'] = context;
      if (limit !== undefined) named['limit'] = limit;
      if (offset !== undefined && offset > 0) named['offset'] = offset;
      if (order !== undefined) named['order'] = order;
      const result = isJson2
        ? await json2(model, 'search_read', { domain, ...named }, call.signal)
        : await executeKw(model, 'search_read', [domain], named, call.signal);
      return fieldAdapter.records(asRecords(result, model, 'search_read'));
    },

    async read(model, ids, canonicalFields, call = {}) {
      if (ids.length === 0) return [];
      const fields = fieldAdapter.fields(model, canonicalFields);
      const result = isJson2
        ? await json2(model, 'read', { ids: [...ids], fields }, call.signal)
        : await executeKw(model, 'read', [[...ids]], { fields }, call.signal);
      return fieldAdapter.records(asRecords(result, model, 'read'));
    },

    async searchCount(model, canonicalDomain, call = {}) {
      const domain = fieldAdapter.domain(canonicalDomain);
      const result = isJson2 ? await json2(model, 'search_count', { domain }, call.signal) : await executeKw(model, 'search_count', [domain], {}, call.signal);
      return asCount(result, model);
    },

    async call(model, method, args, kwargs = {}, call = {}) {
      if (!isJson2) return executeKw(model, method, args, kwargs, call.signal);
      const [first, ...rest] = args;
      const leadingIds = Array.isArray(first) && first.every((v) => typeof v === 'number');
      if (rest.length > 0 || (first !== undefined && !leadingIds)) {
        throw new TypeError(`JSON-2 takes no positional arguments: pass ${model}.${method}'s arguments by name in kwargs`);
      }
      return json2(model, method, { ...(leadingIds ? { ids: first } : {}), ...kwargs }, call.signal);
    },
  };
}
