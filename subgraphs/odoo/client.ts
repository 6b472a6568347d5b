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
 * Error mapping (the client-facing message never carries Odoo's text or traceback; Odoo's own
 * message — e.g. `Invalid field 'carrier_tracking_ref' on model 'stock.picking'` — is logged
 * server-side with the model, method and requested fields, and kept on the error object for the
 * capability refresh, never serialized):
 * - an Odoo error envelope (JSON-RPC `error`, a JSON-2 error body) → UPSTREAM_REJECTED ({@link OdooRejection});
 * - HTTP 429 → UPSTREAM_RATE_LIMITED (with `retryAfterSeconds` when Odoo's proxy says);
 * - a redirect (Odoo 18's web client answers `/json/2/...` with 303 to `/web/login`) or an HTML page
 *   where the API answers JSON → UPSTREAM_MISCONFIGURED, naming the URL and what came back: the
 *   registry points at something that is not this protocol's API, which is no outage;
 * - other non-2xx without an Odoo error body, an unreadable body, a refused connection → UPSTREAM_UNAVAILABLE;
 * - no answer within `timeoutMs` → UPSTREAM_TIMEOUT.
 *
 * `baseContext` (the tenant's `allowed_company_ids`) is merged into the context of every call.
 *
 * Every exchange goes through the tenant's upstream guard (`guard`, kit/upstream-guard.ts): the
 * read methods of {@link ODOO_READ_METHODS} may be retried after an outage, any other method is
 * attempted once.
 */
import { CANONICAL_CUSTOM_FIELDS, createFieldAdapter, type FieldAdapter } from './field-adapter';
import type { Logger } from 'pino';
import { ErrorCode, UpstreamError } from '../kit/errors';
import { z } from 'zod';
import { retryAfterSeconds, upstreamFetch, type UpstreamResponse } from '../kit/http';
import { unguarded, type UpstreamGuard } from '../kit/upstream-guard';

/** One Odoo record as `read`/`search_read` return it: always has `id`; other values are raw Odoo values. */
export type OdooRecord = Readonly<Record<string, unknown>> & { readonly id: number };

/** An Odoo domain: prefix-notation list of `[field, operator, value]` terms and `'&' | '|' | '!'`. */
export type OdooDomain = ReadonlyArray<readonly [string, string, unknown] | '&' | '|' | '!'>;

/**
 * Odoo refused a call (its own error envelope). `odooName` / `odooMessage` are Odoo's exception
 * class and message, for logs and the capability refresh only: GraphQL serializes message and
 * extensions, never these properties.
 */
export class OdooRejection extends UpstreamError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly odooName: string,
    readonly odooMessage: string,
    opts: { status?: number } = {},
  ) {
    super(code, UPSTREAM, message, opts);
    this.name = 'OdooRejection';
  }

  /** Odoo said a field does not exist or may not be read: what the server offers has changed. */
  get isCapabilityError(): boolean {
    return (this.odooName === 'builtins.ValueError' && /^Invalid field /.test(this.odooMessage)) || this.odooName === 'odoo.exceptions.AccessError';
  }
}

/**
 * The registry points at something that is not this server's API (or asks for a protocol the server
 * has not). Clients get a generic message: `detail` (the URL, what came back) is for logs and the
 * doctor only, since a tenant's internal URLs and a proxy's answers are no business of an API client.
 */
export class OdooMisconfigured extends UpstreamError {
  constructor(
    readonly detail: string,
    opts: { status?: number } = {},
  ) {
    super(
      ErrorCode.UPSTREAM_MISCONFIGURED,
      UPSTREAM,
      "The tenant's Odoo connection is misconfigured: an operator must fix the tenant registry (npm run doctor names the problem)",
      opts,
    );
    this.name = 'OdooMisconfigured';
  }
}

/** The server's answer to `common.version`. */
export interface OdooServerVersion {
  serverVersion: string;
  /** e.g. `18.0`, `saas~17.4`. */
  serie: string;
  major: number;
}

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
  /** Where rejected calls are logged (model, method, fields, Odoo's exception class and message). */
  log?: Logger;
  /** Merged into every call's context (e.g. `{ allowed_company_ids: [1, 2] }`); a call's own keys win. */
  baseContext?: Readonly<Record<string, unknown>>;
  /** The tenant's upstream protection every call goes through (kit/upstream-guard.ts). @default none: one attempt per call */
  guard?: UpstreamGuard;
}

export interface OdooCallOptions {
  /** The GraphQL request's signal: a call is abandoned when the client goes away. */
  signal?: AbortSignal;
  /** Odoo context for `read` / `search_count` (search_read takes it in its options). */
  context?: Readonly<Record<string, unknown>>;
}

export interface OdooClient {
  readonly protocol: 'jsonrpc' | 'json2';
  /** The base URL the client talks to (for diagnostics). */
  readonly url: string;
  /** `common.version` over `/jsonrpc` (no credentials needed; every version from 8 to 19 has it). */
  version(call?: OdooCallOptions): Promise<OdooServerVersion>;
  /** `fields_get(attributes=...)`: the fields this user may read (Odoo leaves the others out silently). */
  fieldsGet(model: string, attributes: readonly string[], call?: OdooCallOptions): Promise<Record<string, Record<string, unknown>>>;
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

/**
 * Model methods that only read, so the guard may repeat them after an outage. Any other method
 * (`create`, `write`, `unlink`, `action_*`, `button_*`, `message_post`, wizards' methods...) is a
 * write, attempted once.
 */
export const ODOO_READ_METHODS: ReadonlySet<string> = new Set([
  'search_read',
  'read',
  'search',
  'search_count',
  'search_fetch',
  'fields_get',
  'read_group',
  'formatted_read_group',
  'name_search',
  'name_get',
  'default_get',
  'check_access_rights',
  'has_group',
  'web_search_read',
  'web_read',
]);

/**
 * Odoo's answers, as this client reads them (UPSTREAMS.md 1, fixtures odoo/ and odoo-capabilities/):
 * checked with zod, like every upstream's. Records keep every other field (`loose`).
 */
const ZEnvelope = z.object({ result: z.unknown().optional(), error: z.unknown().optional() }).loose();
/** An error's details: `data` of a JSON-RPC error, or a JSON-2 error body itself. */
const ZErrorDetails = z.object({ name: z.string(), message: z.string().optional() }).loose();
const ZJsonRpcError = z.object({ data: ZErrorDetails }).loose();
const ZRecords = z.array(z.object({ id: z.number() }).loose());
const ZCount = z.number().int().nonnegative();
const ZVersion = z.object({ server_version: z.string(), server_version_info: z.array(z.unknown()), server_serie: z.string().optional() }).loose();
const ZFieldsGet = z.record(z.string(), z.record(z.string(), z.unknown()));
const ZContext = z.record(z.string(), z.unknown());

function errorDetails(error: unknown): z.infer<typeof ZErrorDetails> | undefined {
  const rpc = ZJsonRpcError.safeParse(error);
  if (rpc.success) return rpc.data.data;
  const bare = ZErrorDetails.safeParse(error);
  return bare.success ? bare.data : undefined;
}

/** Odoo's exception class from an error envelope's `data.name` (or a JSON-2 body's `name`), for logs only. */
const odooErrorName = (error: unknown): string => errorDetails(error)?.name ?? 'unknown';

/** Odoo's own message from an error envelope's `data.message` (or a JSON-2 body's `message`), for logs only. */
const odooErrorMessage = (error: unknown): string => errorDetails(error)?.message ?? '';

const isAccessDenied = (error: unknown): boolean => odooErrorName(error) === 'odoo.exceptions.AccessDenied';

/**
 * What an Odoo error means for us. Odoo's own exceptions (`odoo.exceptions.*`: access, validation,
 * business rules, missing records) and Python errors raised by the call's arguments (`builtins.*`: a
 * bad domain, an unknown method) are refusals of this call; anything else (`psycopg2.*` when its
 * database is down, a lost session, a worker dying) is an outage, so cached data may stand in.
 */
function failure(model: string, method: string, odooError: string, odooMessage: string, status?: number): UpstreamError {
  const refused = /^(odoo\.exceptions|builtins|werkzeug\.exceptions)\./.test(odooError);
  const opts = status !== undefined ? { status } : {};
  return refused
    ? new OdooRejection(ErrorCode.UPSTREAM_REJECTED, `Odoo rejected ${model}.${method}`, odooError, odooMessage, opts)
    : new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo failed to serve ${model}.${method}`, opts);
}

/**
 * A redirect or an HTML page where the API answers JSON: the URL (or protocol) in the registry is
 * not this server's API. Odoo 18 answers `/json/2/...` with 303 → `/web/login` (one database) or
 * an HTML 404 (several); a URL pointing at a web front answers HTML.
 */
function misconfigured(res: UpstreamResponse, url: string): OdooMisconfigured | undefined {
  const location = res.headers.get('location');
  if (res.status >= 300 && res.status < 400) {
    return new OdooMisconfigured(
      `Odoo answered POST ${url} with HTTP ${res.status} redirecting to ${location ?? '(no location)'}: that is the web client, not the API (check the tenant's Odoo url, db and protocol; JSON-2 needs Odoo 19)`,
      { status: res.status },
    );
  }
  // An HTML 5xx is a proxy's error page in front of a failing Odoo: an outage, handled by the caller.
  if (res.status < 500 && /\btext\/html\b/i.test(res.headers.get('content-type') ?? '')) {
    return new OdooMisconfigured(
      `Odoo answered POST ${url} with an HTML page (HTTP ${res.status}) instead of JSON: the URL is not this protocol's API (check the tenant's Odoo url, db and protocol; JSON-2 needs Odoo 19)`,
      { status: res.status },
    );
  }
  return undefined;
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

/** `value` checked against `schema`, or an outage (an answer of the wrong shape is no answer). */
function answer<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${what} with an unexpected shape`);
  return parsed.data;
}

/** Creates the client of one Odoo database. Reuse it across requests (it keeps the uid). */
export function createOdooClient(options: OdooClientOptions): OdooClient {
  const {
    db,
    login,
    apiKey,
    protocol = 'jsonrpc',
    timeoutMs = 10_000,
    log,
    fieldAdapter = createFieldAdapter('18.0', CANONICAL_CUSTOM_FIELDS),
    baseContext,
    guard = unguarded(timeoutMs),
  } = options;
  const withBase = (context: Readonly<Record<string, unknown>> | undefined): Readonly<Record<string, unknown>> | undefined =>
    baseContext === undefined ? context : { ...baseContext, ...(context ?? {}) };
  const base = options.url.replace(/\/+$/, '');
  let seq = 0;

  async function post(
    path: string,
    body: unknown,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    budget: number = timeoutMs,
  ): Promise<UpstreamResponse> {
    return upstreamFetch(UPSTREAM, `${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      timeoutMs: budget,
      redirect: 'manual',
      ...(signal ? { signal } : {}),
    });
  }

  // ---- /jsonrpc -------------------------------------------------------------------------------

  /** One JSON-RPC exchange; resolves to `result` or rejects with the envelope's `error` kept aside. */
  async function jsonrpc(
    service: string,
    method: string,
    args: unknown[],
    what: string,
    signal?: AbortSignal,
    budget: number = timeoutMs,
  ): Promise<{ result: unknown } | { error: unknown }> {
    const res = await post('/jsonrpc', { jsonrpc: '2.0', method: 'call', id: ++seq, params: { service, method, args } }, {}, signal, budget);
    checkStatus(res, what);
    const wrongPlace = misconfigured(res, `${base}/jsonrpc`);
    if (wrongPlace) {
      log?.error({ db, problem: wrongPlace.detail }, 'odoo: tenant misconfigured');
      throw wrongPlace;
    }
    if (res.status < 200 || res.status >= 300) {
      throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${what} with HTTP ${res.status}`, { status: res.status });
    }
    const body = ZEnvelope.safeParse(res.json);
    if (!body.success)
      throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${what} with an unreadable body`, { status: res.status });
    if ('error' in body.data) return { error: body.data.error };
    // A method returning None has no `result` member at all (fixture wizard.credit_note.4.action_post).
    return { result: body.data.result ?? null };
  }

  let uid: Promise<number> | undefined;

  /** Shared by every request of the tenant, so it does not follow one request's signal (only the timeout). */
  function authenticate(): Promise<number> {
    if (uid) return uid;
    const attempt = guard.run({ operation: 'common.authenticate', idempotent: true, essential: true }, async ({ timeoutMs: budget }) => {
      const answer = await jsonrpc('common', 'authenticate', [db, login, apiKey, {}], 'common.authenticate', undefined, budget);
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
    });
    uid = attempt;
    // A failed authentication is not remembered: the next call tries again.
    attempt.catch(() => {
      if (uid === attempt) uid = undefined;
    });
    return attempt;
  }

  /** Logs a refusal with what was asked (Odoo's message names the offending field), never the traceback. */
  function logRefusal(model: string, method: string, error: unknown, kwargs: Readonly<Record<string, unknown>>, status?: number): void {
    const fields = Array.isArray(kwargs['fields']) ? kwargs['fields'] : undefined;
    log?.warn(
      {
        db,
        model,
        method,
        ...(fields ? { fields } : {}),
        ...(status !== undefined ? { status } : {}),
        odooError: odooErrorName(error),
        odooMessage: odooErrorMessage(error),
      },
      'odoo call failed',
    );
  }

  async function executeKw(
    model: string,
    method: string,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const what = `${model}.${method}`;
    for (let attempt = 0; ; attempt++) {
      const current = authenticate();
      const id = await current;
      const answer = await guard.run({ operation: what, idempotent: ODOO_READ_METHODS.has(method), signal }, async ({ timeoutMs: budget }) => {
        const reply = await jsonrpc('object', 'execute_kw', [db, id, apiKey, model, method, args, kwargs], what, signal, budget);
        if (!('error' in reply) || (attempt === 0 && isAccessDenied(reply.error))) return reply;
        logRefusal(model, method, reply.error, kwargs);
        throw failure(model, method, odooErrorName(reply.error), odooErrorMessage(reply.error));
      });
      if (!('error' in answer)) return answer.result;
      if (uid === current) uid = undefined;
      log?.info({ model, method }, 'odoo AccessDenied: authenticating again');
    }
  }

  // ---- /json/2 --------------------------------------------------------------------------------

  function json2(model: string, method: string, body: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<unknown> {
    const what = `${model}.${method}`;
    return guard.run({ operation: what, idempotent: ODOO_READ_METHODS.has(method), signal }, ({ timeoutMs: budget }) =>
      json2Exchange(model, method, what, body, signal, budget),
    );
  }

  async function json2Exchange(
    model: string,
    method: string,
    what: string,
    body: Readonly<Record<string, unknown>>,
    signal: AbortSignal | undefined,
    budget: number,
  ): Promise<unknown> {
    const res = await post(
      `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
      body,
      { authorization: `bearer ${apiKey}`, 'x-odoo-database': db },
      signal,
      budget,
    );
    checkStatus(res, what);
    const wrongPlace = misconfigured(res, `${base}/json/2/${model}/${method}`);
    if (wrongPlace) {
      log?.error({ db, problem: wrongPlace.detail }, 'odoo: tenant misconfigured');
      throw wrongPlace;
    }
    if (res.status >= 200 && res.status < 300) {
      if (res.json === undefined && res.text.length > 0) {
        throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${what} with an unreadable body`, { status: res.status });
      }
      return res.json ?? null;
    }
    // Odoo's own error body ({name, message, arguments, context, debug}) is a deliberate refusal,
    // whatever its status (a bad domain is a 500 over JSON-2); anything else is an outage.
    if (ZErrorDetails.safeParse(res.json).success) {
      logRefusal(model, method, res.json, body, res.status);
      throw failure(model, method, odooErrorName(res.json), odooErrorMessage(res.json), res.status);
    }
    throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, `Odoo answered ${what} with HTTP ${res.status}`, { status: res.status });
  }

  // ---- the surface ----------------------------------------------------------------------------

  const isJson2 = protocol === 'json2';

  return {
    protocol,
    url: base,

    async version(call = {}) {
      const reply = await guard.run({ operation: 'common.version', idempotent: true, signal: call.signal }, ({ timeoutMs: budget }) =>
        jsonrpc('common', 'version', [], 'common.version', call.signal, budget),
      );
      const version = answer(ZVersion, 'result' in reply ? reply.result : undefined, 'common.version');
      const serie = version.server_serie ?? version.server_version;
      const first = version.server_version_info[0];
      const major = typeof first === 'number' ? first : Number.parseInt(serie.replace(/^saas~/, ''), 10);
      if (!Number.isFinite(major)) throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, UPSTREAM, 'Odoo answered common.version with an unexpected shape');
      return { serverVersion: version.server_version, serie, major };
    },

    async fieldsGet(model, attributes, call = {}) {
      const context = withBase(call.context);
      const named: Record<string, unknown> = { attributes: [...attributes], ...(context ? { context } : {}) };
      const result = isJson2 ? await json2(model, 'fields_get', named, call.signal) : await executeKw(model, 'fields_get', [], named, call.signal);
      return fieldAdapter.fieldMap(answer(ZFieldsGet, result, `${model}.fields_get`));
    },

    async searchRead(model, canonicalDomain, { fields, limit, offset, order, context: own }, call = {}) {
      const domain = fieldAdapter.domain(canonicalDomain);
      const context = withBase(own);
      const named: Record<string, unknown> = { fields: fieldAdapter.fields(model, fields) };
      if (context !== undefined) named['context'] = context;
      if (limit !== undefined) named['limit'] = limit;
      if (offset !== undefined && offset > 0) named['offset'] = offset;
      if (order !== undefined) named['order'] = order;
      const result = isJson2
        ? await json2(model, 'search_read', { domain, ...named }, call.signal)
        : await executeKw(model, 'search_read', [domain], named, call.signal);
      return fieldAdapter.records(answer(ZRecords, result, `${model}.search_read`));
    },

    async read(model, ids, canonicalFields, call = {}) {
      if (ids.length === 0) return [];
      const fields = fieldAdapter.fields(model, canonicalFields);
      const context = withBase(call.context);
      const named = { fields, ...(context ? { context } : {}) };
      const result = isJson2
        ? await json2(model, 'read', { ids: [...ids], ...named }, call.signal)
        : await executeKw(model, 'read', [[...ids]], named, call.signal);
      return fieldAdapter.records(answer(ZRecords, result, `${model}.read`));
    },

    async searchCount(model, canonicalDomain, call = {}) {
      const domain = fieldAdapter.domain(canonicalDomain);
      const context = withBase(call.context);
      const named = context ? { context } : {};
      const result = isJson2
        ? await json2(model, 'search_count', { domain, ...named }, call.signal)
        : await executeKw(model, 'search_count', [domain], named, call.signal);
      return answer(ZCount, result, `${model}.search_count`);
    },

    async call(model, method, args, ownKwargs = {}, call = {}) {
      const own = ZContext.safeParse(ownKwargs['context']);
      const context = withBase(own.success ? own.data : call.context);
      const kwargs = context ? { ...ownKwargs, context } : ownKwargs;
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
