/**
 * Recorded Odoo 18 exchanges (shared/fixtures/odoo): loading them in an order that replays the
 * recorded business flow, and comparing an answer's shape with the recorded one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the recordings live; override with ODOO_FIXTURES_DIR. */
export const ODOO_FIXTURES_DIR = process.env['ODOO_FIXTURES_DIR'] ?? resolve(__dirname, '..', 'fixtures', 'odoo');

export interface RecordedExchange {
  /** Path relative to the fixtures folder, e.g. `setup/01-res.partner.create.company.json`. */
  file: string;
  request: { method: string; url: string; headers: Record<string, string>; body: unknown; body_raw?: string | null };
  response: { status: number; headers: Record<string, string>; body: unknown; body_raw?: string | null };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseExchange(file: string, raw: unknown): RecordedExchange {
  if (!isRecord(raw) || !isRecord(raw.request) || !isRecord(raw.response)) throw new Error(`${file}: not a recorded exchange`);
  const req = raw.request;
  const res = raw.response;
  return {
    file,
    request: {
      method: String(req.method),
      url: String(req.url),
      headers: isRecord(req.headers) ? (req.headers as Record<string, string>) : {},
      body: req.body,
      body_raw: typeof req.body_raw === 'string' ? req.body_raw : null,
    },
    response: {
      status: Number(res.status),
      headers: isRecord(res.headers) ? (res.headers as Record<string, string>) : {},
      body: res.body,
      body_raw: typeof res.body_raw === 'string' ? res.body_raw : null,
    },
  };
}

const requestId = (x: RecordedExchange): number => (isRecord(x.request.body) && typeof x.request.body.id === 'number' ? x.request.body.id : 0);
const isWeb = (x: RecordedExchange): boolean => new URL(x.request.url).pathname.startsWith('/web/');

/**
 * Every recording, in replay order: setup/ by number, then the others as recorded (by JSON-RPC id
 * of the main session); the `/web/` session's calls come last, as they were made after the setup.
 */
export function loadOdooFixtures(dir = ODOO_FIXTURES_DIR): RecordedExchange[] {
  if (!existsSync(dir)) return [];
  const load = (rel: string): RecordedExchange => parseExchange(rel, JSON.parse(readFileSync(join(dir, rel), 'utf8')) as unknown);
  const setup = readdirSync(join(dir, 'setup'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => load(`setup/${f}`));
  const rest = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'SERVER.json')
    .map(load);
  rest.sort((a, b) => Number(isWeb(a)) - Number(isWeb(b)) || requestId(a) - requestId(b) || a.file.localeCompare(b.file));
  return [...setup, ...rest];
}

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Python-ish message pattern: the recorded text with every number free. */
export function messagePattern(message: string): RegExp {
  const escaped = message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+');
  return new RegExp(`^${escaped}$`, 's');
}

/**
 * Differences in shape between a recorded value and an answer: value kinds, object keys, array
 * lengths, `false` where Odoo said false. Ids, names, dates and amounts may differ.
 */
export function shapeDiff(expected: unknown, actual: unknown, path = '$'): string[] {
  const ek = kind(expected);
  const ak = kind(actual);
  if (ek !== ak) return [`${path}: expected ${ek} ${JSON.stringify(expected)?.slice(0, 60)}, got ${ak} ${JSON.stringify(actual)?.slice(0, 60)}`];
  if (expected === false && actual !== false) return [`${path}: expected false, got ${JSON.stringify(actual)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: string[] = [];
    if (expected.length !== actual.length) out.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) out.push(...shapeDiff(expected[i], actual[i], `${path}[${i}]`));
    return out;
  }
  if (isRecord(expected) && isRecord(actual)) {
    const out: string[] = [];
    for (const k of Object.keys(expected)) if (!(k in actual)) out.push(`${path}.${k}: missing`);
    for (const k of Object.keys(actual)) if (!(k in expected)) out.push(`${path}.${k}: unexpected`);
    for (const k of Object.keys(expected)) if (k in actual) out.push(...shapeDiff(expected[k], actual[k], `${path}.${k}`));
    return out;
  }
  return [];
}

/** Extra checks on an error envelope: `error.code`, `message`, `data.name`, `data.message` pattern. */
export function errorDiff(expected: unknown, actual: unknown): string[] {
  if (!isRecord(expected) || !isRecord(expected.error)) return [];
  if (!isRecord(actual) || !isRecord(actual.error)) return ['$.error: missing'];
  const e = expected.error;
  const a = actual.error;
  const out: string[] = [];
  if (e.code !== a.code) out.push(`error.code: expected ${String(e.code)}, got ${String(a.code)}`);
  if (e.message !== a.message) out.push(`error.message: expected ${String(e.message)}, got ${String(a.message)}`);
  const ed = isRecord(e.data) ? e.data : {};
  const ad = isRecord(a.data) ? a.data : {};
  if (ed.name !== ad.name) out.push(`error.data.name: expected ${String(ed.name)}, got ${String(ad.name)}`);
  if (typeof ed.message === 'string' && !messagePattern(ed.message).test(String(ad.message)))
    out.push(`error.data.message: expected ${JSON.stringify(ed.message)}, got ${JSON.stringify(ad.message)}`);
  return out;
}

/** Paths whose values legitimately differ from the recording (clock, server address, chatter ids, tokens). */
const VOLATILE = /date|debug|access_token|cache_hashes|web\.base\.url|message_ids|message_follower_ids|session_id/;

/**
 * Differences in value between a recorded answer and the emulator's, for a replay of the same flow
 * on a fresh database: amounts, states, names and ids must agree; dates and tokens may not.
 */
export function valueDiff(expected: unknown, actual: unknown, path = '$'): string[] {
  if (VOLATILE.test(path)) return [];
  if (Array.isArray(expected) && Array.isArray(actual)) return expected.flatMap((e, i) => valueDiff(e, actual[i], `${path}[${i}]`));
  if (isRecord(expected) && isRecord(actual)) return Object.keys(expected).flatMap((k) => valueDiff(expected[k], actual[k], `${path}.${k}`));
  if (typeof expected === 'string' && /^\d{4}-\d\d-\d\d/.test(expected)) return [];
  return expected === actual ? [] : [`${path}: recorded ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** Comodel of each relational field, per model (`{ 'stock.picking': { move_ids: 'stock.move' } }`), as `fields_get` names it. */
export type Relations = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Methods whose first positional argument is not a list of record ids. */
const DOMAIN_METHODS = new Set(['search', 'search_read', 'search_count', 'read_group']);
const MODEL_METHODS = new Set([...DOMAIN_METHODS, 'create', 'fields_get', 'default_get', 'name_search', 'name_create', 'check_access_rights']);

/** The parts of an `object.execute_kw` JSON-RPC request body, or undefined for anything else. */
function executeKw(body: unknown): { model: string; method: string; args: unknown[]; kwargs: Record<string, unknown> } | undefined {
  if (!isRecord(body) || !isRecord(body.params) || body.params.method !== 'execute_kw' || !Array.isArray(body.params.args)) return undefined;
  const [, , , model, method, args, kwargs] = body.params.args as unknown[];
  if (typeof model !== 'string' || typeof method !== 'string') return undefined;
  return { model, method, args: Array.isArray(args) ? args : [], kwargs: isRecord(kwargs) ? kwargs : {} };
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isIdList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isId);
/** A many2one as `read` gives it: `[id, display_name]`. */
const isMany2one = (v: unknown): v is [number, string] => Array.isArray(v) && v.length === 2 && isId(v[0]) && typeof v[1] === 'string';

/**
 * Recorded id → replayed id, per model, for replaying recordings on a database whose ids differ
 * from the recorded one (records the recordings did not make, or made in another order).
 *
 * - `learn` pairs the ids that a recorded answer and the replayed answer name in the same place:
 *   a `create` result, the `res_model`/`res_id` of an `ir.actions.act_window`, and of a `read`
 *   (whose records come back in the order asked for) each record's `id` and the many2one / x2many
 *   values of its relational fields. Searches are not paired: their order may rest on values a
 *   replay does not reproduce (write dates within one second).
 *   A pair that contradicts an earlier one (the same recorded id now answered by another record,
 *   or one replayed record standing for two recorded ones) is returned as a difference.
 * - `request` rewrites the recorded ids of a later `execute_kw` request: the record ids of a
 *   record method (`read`, `write`, `action_*`…), relational values and x2many commands in
 *   `create`/`write` values, domain values on `id` and on relational fields, and the context's
 *   `active_id`/`active_ids` (by `active_model`).
 *
 * Ids the map has not paired pass through unchanged. Relational fields are known from `relations`
 * (the emulator's `fields_get`); a field it does not name is left as is.
 */
export class RecordIdMap {
  private readonly pairs = new Map<string, Map<number, number>>();
  private readonly taken = new Map<string, Map<number, number>>();

  constructor(private readonly relations: Relations) {}

  /** The replayed id standing for a recorded one (itself when not paired). */
  id(model: string, recorded: number): number {
    return this.pairs.get(model)?.get(recorded) ?? recorded;
  }

  /** Records that recorded `recorded` is replayed `replayed`; a difference if that contradicts an earlier pair. */
  pair(model: string, recorded: number, replayed: number, path = model): string[] {
    const forward = this.pairs.get(model) ?? new Map<number, number>();
    const backward = this.taken.get(model) ?? new Map<number, number>();
    this.pairs.set(model, forward);
    this.taken.set(model, backward);
    const known = forward.get(recorded);
    if (known !== undefined) return known === replayed ? [] : [`${path}: recorded ${model} ${recorded} was replayed ${known}, now ${replayed}`];
    const other = backward.get(replayed);
    if (other !== undefined) return [`${path}: replayed ${model} ${replayed} already stands for recorded ${other}, now for ${recorded}`];
    forward.set(recorded, replayed);
    backward.set(replayed, recorded);
    return [];
  }

  /** The request body with recorded ids replaced by replayed ones (the same object when it is not an `execute_kw`). */
  request(body: unknown): unknown {
    const call = executeKw(body);
    if (!call || !isRecord(body) || !isRecord(body.params)) return body;
    const { model, method, kwargs } = call;
    const args = [...call.args];
    if (DOMAIN_METHODS.has(method)) args[0] = this.domain(model, args[0]);
    else if (method === 'create') args[0] = Array.isArray(args[0]) ? args[0].map((v) => this.values(model, v)) : this.values(model, args[0]);
    else if (!MODEL_METHODS.has(method)) {
      args[0] = this.ids(model, args[0]);
      if (method === 'write') args[1] = this.values(model, args[1]);
    }
    const kw: Record<string, unknown> = { ...kwargs };
    if (kw.domain !== undefined) kw.domain = this.domain(model, kw.domain);
    if (isRecord(kw.context)) kw.context = this.context(kw.context);
    const all = [...(body.params.args as unknown[])];
    if (all.length > 5) all[5] = args;
    if (all.length > 6) all[6] = kw;
    return { ...body, params: { ...body.params, args: all } };
  }

  /** Pairs the ids named by a recorded answer and the replayed one to the same request; returns contradictions. */
  learn(request: unknown, recorded: unknown, replayed: unknown): string[] {
    const call = executeKw(request);
    if (!call || !isRecord(recorded) || !isRecord(replayed) || !('result' in recorded) || !('result' in replayed)) return [];
    const r = recorded.result;
    const a = replayed.result;
    if (call.method === 'create') {
      if (isId(r) && isId(a)) return this.pair(call.model, r, a, '$.result');
      if (isIdList(r) && isIdList(a) && r.length === a.length) return r.flatMap((id, i) => this.pair(call.model, id, a[i] ?? 0, `$.result[${i}]`));
    }
    if (
      isRecord(r) &&
      isRecord(a) &&
      r.type === 'ir.actions.act_window' &&
      typeof r.res_model === 'string' &&
      r.res_model === a.res_model &&
      isId(r.res_id) &&
      isId(a.res_id)
    ) {
      return this.pair(r.res_model, r.res_id, a.res_id, '$.result.res_id');
    }
    if (call.method === 'read' && Array.isArray(r) && Array.isArray(a)) return this.records(call.model, r, a);
    return [];
  }

  /** Pairs records read back in the same position: their ids and their relational values. */
  private records(model: string, recorded: unknown[], replayed: unknown[]): string[] {
    const out: string[] = [];
    const fields = this.relations[model] ?? {};
    recorded.forEach((rec, i) => {
      const rep = replayed[i];
      if (!isRecord(rec) || !isRecord(rep)) return;
      const path = `$.result[${i}]`;
      if (isId(rec.id) && isId(rep.id)) out.push(...this.pair(model, rec.id, rep.id, `${path}.id`));
      for (const [field, comodel] of Object.entries(fields)) {
        const e = rec[field];
        const g = rep[field];
        if (isMany2one(e) && isMany2one(g)) out.push(...this.pair(comodel, e[0], g[0], `${path}.${field}`));
        else if (isIdList(e) && isIdList(g) && e.length === g.length)
          e.forEach((id, j) => out.push(...this.pair(comodel, id, g[j] ?? 0, `${path}.${field}[${j}]`)));
      }
    });
    return out;
  }

  private ids(model: string, v: unknown): unknown {
    if (isId(v)) return this.id(model, v);
    return isIdList(v) ? v.map((id) => this.id(model, id)) : v;
  }

  /** `create`/`write` values: many2one ids, id lists and x2many commands ([0,0,vals] [1,id,vals] [2|3|4,id] [6,0,ids]). */
  private values(model: string, vals: unknown): unknown {
    if (!isRecord(vals)) return vals;
    const fields = this.relations[model] ?? {};
    return Object.fromEntries(
      Object.entries(vals).map(([field, v]) => {
        const comodel = fields[field];
        if (!comodel) return [field, v];
        if (!Array.isArray(v) || isIdList(v)) return [field, this.ids(comodel, v)];
        return [
          field,
          v.map((cmd) => {
            if (!Array.isArray(cmd)) return cmd;
            const [op, id, arg] = cmd as unknown[];
            if (op === 0) return [op, id, this.values(comodel, arg)];
            if (op === 1) return [op, this.ids(comodel, id), this.values(comodel, arg)];
            if (op === 2 || op === 3 || op === 4) return [op, this.ids(comodel, id), ...cmd.slice(2)];
            if (op === 6) return [op, id, this.ids(comodel, arg)];
            return cmd;
          }),
        ];
      }),
    );
  }

  /** Domain leaves `[path, op, value]` on `id` or on a relational field (dotted paths followed). */
  private domain(model: string, domain: unknown): unknown {
    if (!Array.isArray(domain)) return domain;
    return domain.map((leaf) => {
      if (!Array.isArray(leaf) || leaf.length !== 3 || typeof leaf[0] !== 'string') return leaf;
      let target: string | undefined = model;
      for (const name of leaf[0].split('.')) target = name === 'id' ? target : target ? this.relations[target]?.[name] : undefined;
      return target ? [leaf[0], leaf[1], this.ids(target, leaf[2])] : leaf;
    });
  }

  /** `active_id`/`active_ids` of `active_model`. */
  private context(ctx: Record<string, unknown>): Record<string, unknown> {
    const model = ctx.active_model;
    if (typeof model !== 'string') return ctx;
    return {
      ...ctx,
      ...('active_id' in ctx ? { active_id: this.ids(model, ctx.active_id) } : {}),
      ...('active_ids' in ctx ? { active_ids: this.ids(model, ctx.active_ids) } : {}),
    };
  }
}
