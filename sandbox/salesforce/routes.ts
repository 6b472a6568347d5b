/**
 * The REST resources under `/services/data/vXX.X/`, for one org whose caller is already
 * authenticated and counted. Every handler either returns the JSON body or throws an `SfError`.
 * Writes are creating a record (`POST sobjects/{Type}`) and updating one (`PATCH sobjects/{Type}/{Id}`).
 */
import type { SandboxRequest } from '../kit/emulator';
import { SfError, SfErrorCode, invalidFieldDetail, notFound } from './errors';
import { describeOf, fieldOf, sobjectNamed, SOBJECTS, type SObjectDef } from './schema';
import { attributesOf, runQuery } from './soql/evaluate';
import { parseSoql } from './soql/parse';
import type { OrgStore, SfRecord } from './store';
import { createRecord } from './create';
import { updateRecord } from './update';

export interface DataContext {
  readonly req: SandboxRequest;
  readonly org: OrgStore;
  /** API version from the path, e.g. `50.0`. */
  readonly version: string;
  /** Path segments after `/services/data/vXX.X/`. */
  readonly segments: readonly string[];
  /** Rows per query page when the request does not ask for another size. */
  readonly defaultBatchSize: number;
  readonly dailyApiLimit: number;
}

export interface DataReply {
  readonly status: number;
  readonly body: unknown;
}

const QUERY_BATCH_MIN = 200;
const QUERY_BATCH_MAX = 2000;

/** `Sforce-Query-Options: batchSize=N`, clamped to what Salesforce allows (200..2000). */
function requestedBatchSize(req: SandboxRequest): number | undefined {
  const header = req.headers['sforce-query-options'];
  const match = /(?:^|[;,\s])batchSize\s*=\s*(\d+)/i.exec(Array.isArray(header) ? header.join(';') : (header ?? ''));
  if (!match) return undefined;
  return Math.min(QUERY_BATCH_MAX, Math.max(QUERY_BATCH_MIN, Number(match[1])));
}

const ok = (body: unknown): DataReply => ({ status: 200, body });

function objectOrNotFound(name: string | undefined): SObjectDef {
  const object = name === undefined ? undefined : sobjectNamed(name);
  if (!object) throw notFound();
  return object;
}

function methodNotAllowed(req: SandboxRequest, allowed: string): SfError {
  return new SfError(SfErrorCode.METHOD_NOT_ALLOWED, `HTTP Method '${req.method}' not allowed. Allowed are ${allowed}`);
}

function query(ctx: DataContext): DataReply {
  const soql = ctx.req.url.searchParams.get('q');
  if (soql === null || soql.trim() === '') throw new SfError(SfErrorCode.MALFORMED_QUERY, 'No query string specified');
  const outcome = runQuery(ctx.org, parseSoql(soql), soql, ctx.version);
  if (outcome.kind === 'count') return ok({ totalSize: outcome.totalSize, done: true, records: [] });
  const batchSize = requestedBatchSize(ctx.req) ?? ctx.defaultBatchSize;
  const { rows } = outcome;
  if (rows.length <= batchSize) return ok({ totalSize: rows.length, done: true, records: rows });
  const cursor = ctx.org.openCursor(rows, batchSize);
  return ok({
    totalSize: rows.length,
    done: false,
    nextRecordsUrl: `/services/data/v${ctx.version}/query/${cursor.id}-${batchSize}`,
    records: rows.slice(0, batchSize),
  });
}

/** `query/<cursor>-<offset>`: the next page of an open cursor. */
function queryMore(ctx: DataContext, locator: string): DataReply {
  const match = /^(01g[A-Za-z0-9]+)-(\d+)$/.exec(locator);
  const cursor = match ? ctx.org.cursor(match[1]!) : undefined;
  const offset = Number(match?.[2] ?? -1);
  if (!cursor || offset < 0 || offset >= cursor.rows.length) throw new SfError(SfErrorCode.INVALID_QUERY_LOCATOR, 'invalid query locator');
  const batchSize = requestedBatchSize(ctx.req) ?? cursor.batchSize;
  const end = offset + batchSize;
  const done = end >= cursor.rows.length;
  if (done) ctx.org.closeCursor(cursor.id);
  return ok({
    totalSize: cursor.rows.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${ctx.version}/query/${cursor.id}-${end}` }),
    records: cursor.rows.slice(offset, end),
  });
}

/** A record with `attributes` and the named fields (canonical names), in the order asked. */
function shape(record: SfRecord, object: SObjectDef, fields: readonly string[], version: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributesOf(record, version) };
  for (const name of fields) {
    const field = fieldOf(object, name);
    if (!field) throw new SfError(SfErrorCode.INVALID_FIELD, invalidFieldDetail(name, object.name));
    out[field.name] = record.fields[field.name] ?? null;
  }
  return out;
}

const fieldList = (raw: string | null): string[] | undefined =>
  raw === null
    ? undefined
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);

/** `sobjects/{Type}/{Id}` or `sobjects/{Type}/{ExternalIdField}/{value}`. */
function retrieve(ctx: DataContext, object: SObjectDef, rest: readonly string[]): DataReply {
  let record: SfRecord | undefined;
  if (rest.length === 1) {
    const found = ctx.org.byId(rest[0]!);
    record = found?.type === object.name ? found : undefined;
  } else {
    const field = fieldOf(object, rest[0]!);
    if (!field?.externalId && field?.type !== 'id') {
      throw new SfError(SfErrorCode.NOT_FOUND, `Provided external ID field does not exist or is not accessible: ${rest[0]!}`);
    }
    const matches = ctx.org.all(object.name).filter((r) => r.fields[field.name] === rest[1]);
    if (matches.length > 1) {
      return { status: 300, body: matches.map((m) => attributesOf(m, ctx.version).url) };
    }
    record = matches[0];
  }
  if (!record) throw notFound();
  const fields = fieldList(ctx.req.url.searchParams.get('fields'));
  if (fields === undefined)
    return ok(
      shape(
        record,
        object,
        object.fields.map((f) => f.name),
        ctx.version,
      ),
    );
  const body = shape(record, object, fields, ctx.version);
  // Salesforce adds the Id to a retrieve that names its fields.
  if (!('Id' in body)) body.Id = record.fields.Id;
  return ok(body);
}

/** `composite/sobjects/{Type}`: many records by id, in the order asked, `null` where none. */
function parseJson(req: SandboxRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new SfError(SfErrorCode.JSON_PARSER_ERROR, 'The request body is not valid JSON');
  }
}

function retrieveMany(ctx: DataContext, object: SObjectDef): DataReply {
  let ids: unknown;
  let fields: unknown;
  if (ctx.req.method === 'POST') {
    const body = parseJson(ctx.req);
    if (typeof body === 'object' && body !== null) ({ ids, fields } = body as Record<string, unknown>);
  } else if (ctx.req.method === 'GET') {
    ids = fieldList(ctx.req.url.searchParams.get('ids'));
    fields = fieldList(ctx.req.url.searchParams.get('fields'));
  } else throw methodNotAllowed(ctx.req, 'GET,POST');
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!isStrings(ids) || ids.length === 0) throw new SfError(SfErrorCode.JSON_PARSER_ERROR, "'ids' must be a non-empty array of record ids");
  if (!isStrings(fields) || fields.length === 0) throw new SfError(SfErrorCode.JSON_PARSER_ERROR, "'fields' must be a non-empty array of field names");
  const names = fields;
  return ok(
    ids.map((id) => {
      const record = ctx.org.byId(id);
      return record?.type === object.name ? shape(record, object, names, ctx.version) : null;
    }),
  );
}

const globalDescribe = (version: string): Record<string, unknown> => ({
  encoding: 'UTF-8',
  maxBatchSize: 200,
  sobjects: SOBJECTS.map((o) => ({
    name: o.name,
    label: o.label,
    labelPlural: o.labelPlural,
    keyPrefix: o.keyPrefix,
    custom: false,
    queryable: true,
    retrieveable: true,
    urls: { sobject: `/services/data/v${version}/sobjects/${o.name}`, describe: `/services/data/v${version}/sobjects/${o.name}/describe` },
  })),
});

/** Routes one authenticated request under `/services/data/vXX.X/`. */
export function handleData(ctx: DataContext): DataReply {
  const [head, ...rest] = ctx.segments;
  const base = `/services/data/v${ctx.version}`;
  const get = ctx.req.method === 'GET' || ctx.req.method === 'HEAD';
  switch (head) {
    case undefined:
    case '':
      if (!get) throw methodNotAllowed(ctx.req, 'GET,HEAD');
      return ok({
        sobjects: `${base}/sobjects`,
        query: `${base}/query`,
        queryAll: `${base}/queryAll`,
        composite: `${base}/composite`,
        limits: `${base}/limits`,
      });
    case 'query':
    case 'queryAll':
      if (!get) throw methodNotAllowed(ctx.req, 'GET,HEAD');
      if (rest.length === 0) return query(ctx);
      if (rest.length === 1) return queryMore(ctx, rest[0]!);
      throw notFound();
    case 'limits':
      if (!get) throw methodNotAllowed(ctx.req, 'GET,HEAD');
      return ok({ DailyApiRequests: { Max: ctx.dailyApiLimit, Remaining: Math.max(0, ctx.dailyApiLimit - ctx.org.apiUsage) } });
    case 'sobjects': {
      if (rest.length === 0) {
        if (!get) throw methodNotAllowed(ctx.req, 'GET,HEAD');
        return ok(globalDescribe(ctx.version));
      }
      const object = objectOrNotFound(rest[0]);
      const tail = rest.slice(1);
      if (ctx.req.method === 'POST' && tail.length === 0) return { status: 201, body: createRecord(ctx.org, object.name, parseJson(ctx.req)) };
      if (ctx.req.method === 'PATCH' && tail.length === 1) {
        updateRecord(ctx.org, object.name, tail[0]!, parseJson(ctx.req));
        return { status: 204, body: undefined };
      }
      if (!get) throw methodNotAllowed(ctx.req, tail.length === 1 ? 'GET,HEAD,PATCH' : tail.length === 0 ? 'GET,HEAD,POST' : 'GET,HEAD');
      if (tail.length === 0) return ok({ objectDescribe: (globalDescribe(ctx.version).sobjects as unknown[])[SOBJECTS.indexOf(object)], recentItems: [] });
      if (tail.length === 1 && tail[0] === 'describe') return ok(describeOf(object, ctx.version));
      if (tail.length <= 2 && tail.every((s) => s.length > 0)) return retrieve(ctx, object, tail);
      throw notFound();
    }
    case 'composite':
      if (rest[0] === 'sobjects' && rest.length === 2) return retrieveMany(ctx, objectOrNotFound(rest[1]));
      throw notFound();
    default:
      throw notFound();
  }
}
