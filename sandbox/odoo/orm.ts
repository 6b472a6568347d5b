/**
 * The generic ORM: create/write/unlink with x2many commands and model hooks, read formatting
 * (many2one pairs, false for empty), search with order/limit/offset, fields_get, name_search,
 * read_group, message_post. Business methods build on the same functions.
 */
import { parseDomain, matches, searchRows } from './domain';
import { OdooError, missingError, pyRepr, validationError, valueError } from './errors';
import type { FieldDef } from './fields';
import type { Env, MethodSpec } from './methods/types';
import { canReadField, checkFieldAccess, checkRecordAccess, currentCompany, domainFields, withCompanyValue } from './security';
import { secondsOnly, type Row, type Vals } from './store';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function toIds(v: unknown): number[] {
  if (isNum(v)) return [v];
  if (Array.isArray(v)) return v.filter(isNum);
  return [];
}

function fieldOf(env: Env, model: string, name: string): FieldDef {
  const f = env.db.field(model, name);
  if (!f) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(model)}`);
  return f;
}

function coerceScalar(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return false;
  switch (f.type) {
    case 'many2one':
      if (Array.isArray(v) && isNum(v[0])) return v[0];
      return isNum(v) ? v : false;
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : v === false ? 0 : Number(v) || 0;
    case 'float':
    case 'monetary':
      return typeof v === 'number' ? v : v === false ? 0 : Number(v) || 0;
    case 'boolean':
      return Boolean(v);
    case 'datetime':
      return typeof v === 'string' && v ? (v.length === 10 ? `${v} 00:00:00` : v.replace('T', ' ').slice(0, 19)) : false;
    case 'date':
      return typeof v === 'string' && v ? v.slice(0, 10) : false;
    default:
      return v === '' && f.type !== 'char' && f.type !== 'text' && f.type !== 'html' ? false : v;
  }
}

/**
 * `fields.Selection.convert_to_cache`: a selection value the field does not allow raises
 * `ValueError("Wrong value for %s: %r" % (field, value))` (FACTS 25), falsy values clear the field.
 * Runs over the values and the nested x2many create/update commands before anything is written.
 */
function checkSelections(env: Env, model: string, vals: Vals): void {
  for (const [name, v] of Object.entries(vals)) {
    const f = env.db.field(model, name);
    if (!f) continue;
    if (f.type === 'selection') {
      if (v === false || v === null || v === undefined || v === '' || v === 0) continue;
      const allowed = f.recorded?.selection ?? f.selection;
      if (allowed && !allowed.some(([key]) => key === v)) throw valueError(`Wrong value for ${model}.${name}: ${pyRepr(v)}`);
    } else if ((f.type === 'one2many' || f.type === 'many2many') && f.relation && Array.isArray(v)) {
      for (const cmd of v) {
        if (!Array.isArray(cmd)) continue;
        const [op, , arg] = cmd as [unknown, unknown, unknown];
        if ((op === 0 || op === 1) && isRecord(arg)) checkSelections(env, f.relation, arg);
      }
    }
  }
}

/** Applies x2many commands to a current id list (many2many) or to child rows (one2many). */
function applyX2many(env: Env, model: string, id: number, name: string, f: FieldDef, value: unknown, current: number[]): number[] {
  const comodel = f.relation ?? '';
  let ids = [...current];
  const commands: unknown[] = Array.isArray(value) ? value : [];
  for (const cmd of commands) {
    if (isNum(cmd)) {
      if (!ids.includes(cmd)) ids.push(cmd);
      continue;
    }
    if (!Array.isArray(cmd)) continue;
    const [op, ref, arg] = cmd as [unknown, unknown, unknown];
    switch (op) {
      case 0: {
        const vals: Vals = { ...(isRecord(arg) ? arg : {}) };
        if (f.type === 'one2many' && f.inverse) vals[f.inverse] = id;
        const [newId] = ormCreate(env, comodel, [vals]);
        if (newId !== undefined) ids.push(newId);
        break;
      }
      case 1:
        if (isNum(ref) && isRecord(arg)) ormWrite(env, comodel, [ref], arg);
        break;
      case 2:
        if (isNum(ref)) {
          ormUnlink(env, comodel, [ref]);
          ids = ids.filter((x) => x !== ref);
        }
        break;
      case 3:
        if (isNum(ref)) {
          if (f.type === 'one2many' && f.inverse) env.db.update(comodel, ref, { [f.inverse]: false });
          ids = ids.filter((x) => x !== ref);
        }
        break;
      case 4:
        if (isNum(ref) && !ids.includes(ref)) {
          if (f.type === 'one2many' && f.inverse) env.db.update(comodel, ref, { [f.inverse]: id });
          ids.push(ref);
        }
        break;
      case 5:
        ids = [];
        break;
      case 6:
        ids = toIds(arg);
        break;
      default:
        throw valueError(`Invalid command ${pyRepr(cmd)} for field ${pyRepr(`${model}.${name}`)}`);
    }
  }
  return ids;
}

/** `create(vals_list)`: ids of the new records, in order. */
export function ormCreate(env: Env, model: string, valsList: readonly Vals[]): number[] {
  const def = env.db.model(model);
  if (!def) throw new OdooError('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
  const behaviour = env.behaviours.get(model);
  const out: number[] = [];
  for (const given of valsList) {
    for (const name of Object.keys(given)) fieldOf(env, model, name);
    checkSelections(env, model, given);
    // defaults from context: default_<field>
    const vals: Vals = {};
    for (const [k, v] of Object.entries(env.context)) {
      if (k.startsWith('default_') && def.fields[k.slice(8)] && !(k.slice(8) in given)) vals[k.slice(8)] = v;
    }
    Object.assign(vals, given);
    checkSelections(env, model, vals);
    const completed = behaviour?.beforeCreate ? behaviour.beforeCreate(env, vals) : vals;
    const scalars: Vals = {};
    const x2many: Array<[string, FieldDef, unknown]> = [];
    for (const [name, v] of Object.entries(completed)) {
      const f = def.fields[name];
      if (!f) continue;
      if (f.type === 'one2many' || (f.type === 'many2many' && !f.compute)) x2many.push([name, f, v]);
      else if (!f.compute || name in given) scalars[name] = coerceScalar(f, v);
    }
    for (const [name, f] of Object.entries(def.fields)) {
      if (!f.required || f.compute || f.type === 'one2many') continue;
      const v = name in scalars ? scalars[name] : f.default;
      if (v === undefined || v === false || v === '' || v === null) {
        throw validationError(
          `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${model})\nField: ${f.string} (${name})\n`,
        );
      }
    }
    const row = env.db.insert(model, scalars);
    for (const [name, f, v] of x2many) {
      const ids = applyX2many(env, model, row.id, name, f, v, []);
      if (f.type === 'many2many') row[name] = ids;
    }
    behaviour?.afterCreate?.(env, row.id, completed);
    out.push(row.id);
  }
  return out;
}

/** `write(vals)` on existing records; MissingError for an id that does not exist. */
export function ormWrite(env: Env, model: string, ids: number[], vals: Vals): true {
  const def = env.db.model(model);
  if (!def) throw new OdooError('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
  const missing = ids.filter((id) => !env.db.get(model, id));
  if (missing.length) throw missingError(model, missing, env.uid);
  for (const name of Object.keys(vals)) fieldOf(env, model, name);
  checkSelections(env, model, vals);
  const behaviour = env.behaviours.get(model);
  behaviour?.beforeWrite?.(env, ids, vals);
  for (const id of ids) {
    const row = env.db.get(model, id);
    if (!row) continue;
    const scalars: Vals = {};
    for (const [name, v] of Object.entries(vals)) {
      const f = def.fields[name];
      if (!f || name === 'id') continue;
      if (f.type === 'one2many') applyX2many(env, model, id, name, f, v, toIds(env.db.value(model, row, name)));
      else if (f.type === 'many2many') scalars[name] = applyX2many(env, model, id, name, f, v, toIds(env.db.value(model, row, name)));
      else if (f.companyDependent) scalars[name] = withCompanyValue(row[name], currentCompany(env.db), coerceScalar(f, v));
      else scalars[name] = coerceScalar(f, v);
    }
    env.db.update(model, id, scalars);
  }
  behaviour?.afterWrite?.(env, ids, vals);
  return true;
}

export function ormUnlink(env: Env, model: string, ids: number[]): true {
  const existing = ids.filter((id) => env.db.get(model, id));
  env.behaviours.get(model)?.beforeUnlink?.(env, existing);
  const def = env.db.model(model);
  for (const id of existing) {
    // cascade one2many children whose inverse is required (order lines, invoice lines, wizard lines)
    for (const f of Object.values(def?.fields ?? {})) {
      if (f.type !== 'one2many' || !f.relation || !f.inverse || f.compute) continue;
      const inverse = env.db.field(f.relation, f.inverse);
      for (const child of env.db.children(f.relation, f.inverse, id)) {
        if (inverse?.required) env.db.remove(f.relation, child.id);
        else env.db.update(f.relation, child.id, { [f.inverse]: false });
      }
    }
    env.db.remove(model, id);
  }
  return true;
}

/** A raw value as `read` returns it. */
export function formatValue(env: Env, f: FieldDef, raw: unknown, load: unknown = '_classic_read'): unknown {
  switch (f.type) {
    case 'many2one': {
      if (!isNum(raw)) return false;
      if (load !== '_classic_read') return raw;
      return [raw, f.relation ? env.db.displayName(f.relation, raw) : String(raw)];
    }
    case 'one2many':
    case 'many2many':
      return toIds(raw);
    case 'integer':
    case 'float':
    case 'monetary':
      return typeof raw === 'number' ? raw : 0;
    case 'boolean':
      return raw === true;
    case 'datetime':
      // stored with microseconds (create_date/write_date), answered in whole seconds (FACTS 18)
      return typeof raw === 'string' && raw ? secondsOnly(raw) : false;
    default:
      return raw === undefined || raw === null || raw === '' ? (f.type === 'text' && raw === '' ? '' : false) : raw;
  }
}

/**
 * `read(fields)`: existing records only (missing ids are skipped), every record with `id`. Fields
 * the user's groups may not read raise AccessError when asked for and are left out otherwise; a
 * record a rule hides raises AccessError.
 */
export function readRecords(env: Env, model: string, ids: number[], fields: unknown, load?: unknown): Array<Record<string, unknown>> {
  const def = env.db.model(model);
  if (!def) return [];
  const asked = Array.isArray(fields) && fields.length ? fields.filter((x): x is string => typeof x === 'string') : undefined;
  const names = asked ?? Object.keys(def.fields).filter((n) => !def.fields[n]?.hidden && canReadField(env.db, env.uid, def.fields[n]));
  for (const n of names) if (!def.fields[n]) throw valueError(`Invalid field ${pyRepr(n)} on model ${pyRepr(model)}`);
  if (asked) checkFieldAccess(env.db, env.uid, model, asked);
  checkRecordAccess(env.db, env.uid, model, ids);
  const out: Array<Record<string, unknown>> = [];
  for (const id of ids) {
    const row = env.db.get(model, id);
    if (!row) continue;
    const rec: Record<string, unknown> = { id };
    for (const n of names) {
      if (n === 'id') continue;
      const f = def.fields[n];
      if (f) rec[n] = formatValue(env, f, env.db.value(model, row, n), load);
    }
    out.push(rec);
  }
  return out;
}

const ORDER_TERM = /^(\w+)(?:\s+(?:asc|desc))?(?:\s+nulls\s+(?:first|last))?$/i;

/** Validates an `order` string as `_check_qorder` does; undefined when none is given. */
function checkOrder(env: Env, model: string, order: unknown): string | undefined {
  if (order === undefined || order === null || order === false || order === '') return undefined;
  const invalid = (): OdooError =>
    valueError(
      `Invalid "order" specified (${typeof order === 'string' ? order : pyRepr(order)}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
    );
  if (typeof order !== 'string') throw invalid();
  for (const term of order.split(',')) {
    const field = ORDER_TERM.exec(term.trim())?.[1];
    if (!field || !env.db.field(model, field)) throw invalid();
  }
  return order;
}

export function searchIds(env: Env, model: string, domain: unknown, offset: unknown, limit: unknown, order: unknown): number[] {
  const ord = checkOrder(env, model, order);
  checkFieldAccess(env.db, env.uid, model, [...domainFields(domain), ...(ord ? ord.split(',').map((t) => t.trim().split(/\s+/)[0] ?? '') : [])]);
  const rows = env.db.sortRows(model, searchRows(env.db, model, domain, env.context), ord);
  const start = isNum(offset) ? offset : 0;
  const end = isNum(limit) && limit > 0 ? start + limit : undefined;
  return rows.slice(start, end).map((r) => r.id);
}

/**
 * `escape(body)` (markupsafe) then the Html field's sanitizer, which re-serializes the text: `&`, `<`
 * and `>` stay escaped, quotes come out as plain characters, and bare text is wrapped in `<p>`.
 */
const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Posts a chatter message on a record; returns the `mail.message` id. */
export function postMessage(
  env: Env,
  model: string,
  resId: number,
  body: string,
  opts: { messageType?: string; isHtml?: boolean; subject?: unknown; authorId?: number; subtypeId?: number | undefined } = {},
): number {
  const html = opts.isHtml ? body : body ? `<p>${escapeHtml(body).replace(/\n/g, '<br>')}</p>` : '';
  const row = env.db.insert('mail.message', {
    model,
    res_id: resId,
    body: html,
    message_type: opts.messageType ?? 'notification',
    subject: typeof opts.subject === 'string' ? opts.subject : false,
    author_id: opts.authorId ?? 3,
    date: env.db.now(),
    record_name: env.db.displayName(model, resId),
    subtype_id: opts.subtypeId ?? false,
  });
  return row.id;
}

export function addFollower(env: Env, model: string, resId: number, partnerId: number): void {
  if (env.db.all('mail.followers').some((f) => f.res_model === model && f.res_id === resId && f.partner_id === partnerId)) return;
  env.db.insert('mail.followers', { res_model: model, res_id: resId, partner_id: partnerId });
}

const DEFAULT_ATTRIBUTES = [
  'type',
  'string',
  'help',
  'readonly',
  'required',
  'store',
  'searchable',
  'sortable',
  'groupable',
  'relation',
  'relation_field',
  'selection',
  'company_dependent',
  'depends',
  'manual',
  'name',
  'change_default',
  'exportable',
];

function describeField(name: string, f: FieldDef, attributes: readonly string[]): Record<string, unknown> {
  const stored = !f.compute && f.type !== 'one2many';
  const all: Record<string, unknown> = {
    type: f.type,
    string: f.string,
    readonly: f.readonly ?? (Boolean(f.compute) && name !== 'name'),
    required: f.required ?? false,
    store: f.store ?? (!f.compute && name !== 'display_name'),
    searchable: true,
    sortable: stored || f.type === 'many2one',
    groupable: stored,
    company_dependent: false,
    depends: [],
    manual: name.startsWith('x_'),
    name,
    change_default: false,
    exportable: true,
  };
  if (f.help) all.help = f.help;
  if (f.relation) all.relation = f.relation;
  if (f.inverse) all.relation_field = f.inverse;
  if (f.selection) all.selection = f.selection.map(([k, v]) => [k, v]);
  const r = f.recorded;
  if (r) {
    // what the real server said wins; `relation` only on relational fields, `selection` only on selection ones
    Object.assign(all, { type: r.type, string: r.string, readonly: r.readonly, required: r.required, store: r.store, company_dependent: r.company_dependent });
    delete all.relation;
    delete all.selection;
    if (r.relation) all.relation = r.relation;
    if (r.selection) all.selection = r.selection;
  }
  // attribute keys come out in alphabetical order (FACTS 4)
  const out: Record<string, unknown> = {};
  for (const a of [...attributes].sort()) if (a in all) out[a] = all[a];
  return out;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function readGroup(env: Env, model: string, p: Record<string, unknown>): unknown {
  const groupby = (Array.isArray(p.groupby) ? p.groupby : typeof p.groupby === 'string' ? [p.groupby] : []).filter((g): g is string => typeof g === 'string');
  const lazy = p.lazy !== false;
  const specs = (Array.isArray(p.fields) ? p.fields : []).filter((x): x is string => typeof x === 'string');
  const rows = searchRows(env.db, model, p.domain, env.context);
  const used = lazy ? groupby.slice(0, 1) : groupby;
  const keyOf = (row: Row, g: string): { key: string; value: unknown; domain: unknown[] } => {
    const [fname = g, gran] = g.split(':');
    const f = fieldOf(env, model, fname);
    const raw = env.db.value(model, row, fname);
    if ((f.type === 'date' || f.type === 'datetime') && typeof raw === 'string') {
      const y = raw.slice(0, 4);
      const m = Number(raw.slice(5, 7));
      if (gran === 'year')
        return {
          key: y,
          value: y,
          domain: [
            [fname, '>=', `${y}-01-01`],
            [fname, '<', `${Number(y) + 1}-01-01`],
          ],
        };
      if (gran === 'day')
        return {
          key: raw.slice(0, 10),
          value: raw.slice(0, 10),
          domain: [
            [fname, '>=', raw.slice(0, 10)],
            [fname, '<=', `${raw.slice(0, 10)} 23:59:59`],
          ],
        };
      const label = `${MONTHS[m - 1] ?? ''} ${y}`;
      const next = m === 12 ? `${Number(y) + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
      return {
        key: raw.slice(0, 7),
        value: label,
        domain: [
          [fname, '>=', `${raw.slice(0, 7)}-01`],
          [fname, '<', next],
        ],
      };
    }
    if (f.type === 'many2one') return { key: String(raw), value: formatValue(env, f, raw), domain: [[fname, '=', isNum(raw) ? raw : false]] };
    return { key: String(raw), value: raw, domain: [[fname, '=', raw]] };
  };
  const groups = new Map<string, { values: Record<string, unknown>; domain: unknown[]; rows: Row[] }>();
  for (const row of rows) {
    const parts = used.map((g) => ({ g, ...keyOf(row, g) }));
    const key = parts.map((x) => x.key).join('\u0000');
    let group = groups.get(key);
    if (!group) {
      group = { values: Object.fromEntries(parts.map((x) => [x.g, x.value])), domain: parts.flatMap((x) => x.domain), rows: [] };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  const out = [...groups.values()].map((g) => {
    const rec: Record<string, unknown> = { ...g.values };
    if (lazy) rec[`${(used[0] ?? '').split(':')[0]}_count`] = g.rows.length;
    else rec.__count = g.rows.length;
    for (const spec of specs) {
      const m = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/.exec(spec);
      if (!m) continue;
      const alias = m[1] ?? spec;
      const field = m[3] ?? (m[2] && m[3] === undefined ? alias : alias);
      const agg = m[2] ?? 'sum';
      if (used.some((u) => u.split(':')[0] === alias)) continue;
      const f = env.db.field(model, field);
      if (!f || !['integer', 'float', 'monetary'].includes(f.type)) continue;
      const values = g.rows.map((r) => num(env.db.value(model, r, field)));
      rec[alias] =
        agg === 'max'
          ? Math.max(...values)
          : agg === 'min'
            ? Math.min(...values)
            : agg === 'avg'
              ? values.reduce((a, b) => a + b, 0) / (values.length || 1)
              : agg === 'count'
                ? values.length
                : Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
    }
    rec.__domain = [...g.domain, ...(Array.isArray(p.domain) ? p.domain : [])];
    if (lazy && groupby.length > 1) rec.__context = { group_by: groupby.slice(1) };
    return rec;
  });
  out.sort((a, b) => {
    for (const g of used) {
      const va = a[g];
      const vb = b[g];
      const sa = Array.isArray(va) ? String(va[1]) : String(va);
      const sb = Array.isArray(vb) ? String(vb[1]) : String(vb);
      if (sa !== sb) return va === false ? 1 : vb === false ? -1 : sa < sb ? -1 : 1;
    }
    return 0;
  });
  const start = isNum(p.offset) ? p.offset : 0;
  return out.slice(start, isNum(p.limit) ? start + p.limit : undefined);
}

const valsList = (v: unknown): Vals[] => (Array.isArray(v) ? v.filter(isRecord) : isRecord(v) ? [v] : []);

/** The ORM methods every model has. */
export const ORM_METHODS: Record<string, MethodSpec> = {
  create: {
    model: true,
    params: ['vals_list'],
    required: 1,
    fn: (env, _ids, p, model) => {
      const ids = ormCreate(env, model, valsList(p.vals_list));
      return Array.isArray(p.vals_list) ? ids : ids[0];
    },
  },
  write: { params: ['vals'], required: 1, fn: (env, ids, p, model) => ormWrite(env, model, ids, isRecord(p.vals) ? p.vals : {}) },
  unlink: { params: [], fn: (env, ids, _p, model) => ormUnlink(env, model, ids) },
  read: { params: ['fields', 'load'], fn: (env, ids, p, model) => readRecords(env, model, ids, p.fields, p.load ?? '_classic_read') },
  search: {
    model: true,
    params: ['domain', 'offset', 'limit', 'order'],
    required: 1,
    fn: (env, _ids, p, model) => searchIds(env, model, p.domain, p.offset, p.limit, p.order),
  },
  search_read: {
    model: true,
    params: ['domain', 'fields', 'offset', 'limit', 'order'],
    varKw: true,
    fn: (env, _ids, p, model) => {
      const ids = searchIds(env, model, p.domain, p.offset, p.limit, p.order);
      return readRecords(env, model, ids, p.fields, p.load ?? '_classic_read');
    },
  },
  search_count: {
    model: true,
    params: ['domain', 'limit'],
    required: 1,
    fn: (env, _ids, p, model) => {
      checkFieldAccess(env.db, env.uid, model, domainFields(p.domain));
      const n = searchRows(env.db, model, p.domain, env.context).length;
      return isNum(p.limit) ? Math.min(n, p.limit) : n;
    },
  },
  name_search: {
    model: true,
    params: ['name', 'domain', 'operator', 'limit'],
    fn: (env, _ids, p, model) => {
      const name = typeof p.name === 'string' ? p.name : '';
      const op = typeof p.operator === 'string' ? p.operator : 'ilike';
      const base = parseDomain(env.db, model, p.domain);
      const nameNode = name ? parseDomain(env.db, model, [['display_name', op, name]]) : undefined;
      const extra =
        model === 'res.partner' && name ? parseDomain(env.db, model, ['|', '|', ['email', op, name], ['ref', op, name], ['vat', op, name]]) : undefined;
      const rows = searchRows(env.db, model, [], env.context).filter(
        (r) =>
          matches(env.db, model, r, base) && (!nameNode || matches(env.db, model, r, nameNode) || (extra !== undefined && matches(env.db, model, r, extra))),
      );
      const limit = isNum(p.limit) ? p.limit : 100;
      return env.db
        .sortRows(model, rows)
        .slice(0, limit > 0 ? limit : undefined)
        .map((r) => [r.id, env.db.displayName(model, r.id)]);
    },
  },
  fields_get: {
    model: true,
    params: ['allfields', 'attributes'],
    fn: (env, _ids, p, model) => {
      const def = env.db.model(model);
      const attributes =
        Array.isArray(p.attributes) && p.attributes.length ? p.attributes.filter((a): a is string => typeof a === 'string') : DEFAULT_ATTRIBUTES;
      const wanted = Array.isArray(p.allfields) && p.allfields.length ? new Set(p.allfields) : undefined;
      const out: Record<string, unknown> = {};
      // fields the user's groups may not read are left out silently (FACTS 10)
      for (const [name, f] of Object.entries(def?.fields ?? {})) {
        if (f.hidden || !canReadField(env.db, env.uid, f)) continue;
        if (!wanted || wanted.has(name)) out[name] = describeField(name, f, attributes);
      }
      return out;
    },
  },
  read_group: {
    model: true,
    params: ['domain', 'fields', 'groupby', 'offset', 'limit', 'orderby', 'lazy'],
    required: 3,
    fn: (env, _ids, p, model) => readGroup(env, model, p),
  },
  default_get: {
    model: true,
    params: ['fields_list'],
    required: 1,
    fn: (env, _ids, p, model) => {
      const def = env.db.model(model);
      const out: Record<string, unknown> = {};
      for (const n of (Array.isArray(p.fields_list) ? p.fields_list : []).filter((x): x is string => typeof x === 'string')) {
        const f = def?.fields[n];
        const ctx = env.context[`default_${n}`];
        if (ctx !== undefined) out[n] = ctx;
        else if (f?.default !== undefined && typeof f.default !== 'function') out[n] = f.default;
      }
      return out;
    },
  },
  exists: { params: [], fn: (env, ids, _p, model) => ids.filter((id) => env.db.get(model, id)) },
  check_access_rights: { model: true, params: ['operation', 'raise_exception'], required: 1, fn: () => true },
  has_access: { params: ['operation'], required: 1, fn: () => true },
};

/** The subtypes a fresh database has, by xml id (seeded with these ids). */
const SUBTYPE_IDS: Record<string, number> = { 'mail.mt_comment': 1, 'mail.mt_note': 2 };

/**
 * `message_post`'s subtype: `subtype_id` as given, else `subtype_xmlid` (a bare name gets the
 * `mail.` prefix), else `mail.mt_note`, Odoo's default.
 */
function subtypeOf(env: Env, p: Record<string, unknown>): number | undefined {
  if (isNum(p.subtype_id) && env.db.get('mail.message.subtype', p.subtype_id)) return p.subtype_id;
  const xmlid = typeof p.subtype_xmlid === 'string' && p.subtype_xmlid ? p.subtype_xmlid : 'mail.mt_note';
  // `_xmlid_to_res_id` does not raise for an unknown xml id: the message gets no subtype
  return SUBTYPE_IDS[xmlid.includes('.') ? xmlid : `mail.${xmlid}`];
}

/** `mail.thread.message_post` for the models with a chatter. */
export const MESSAGE_POST: MethodSpec = {
  params: [
    'body',
    'subject',
    'message_type',
    'email_from',
    'author_id',
    'parent_id',
    'subtype_xmlid',
    'subtype_id',
    'partner_ids',
    'attachments',
    'attachment_ids',
    'body_is_html',
  ],
  kwOnly: true,
  varKw: true,
  fn: (env, ids, p, model) => {
    if (ids.length !== 1) throw valueError(`Expected singleton: ${model}(${ids.join(', ')}${ids.length === 1 ? ',' : ''})`);
    const [id] = ids as [number];
    if (!env.db.get(model, id)) throw missingError(model, [id], env.uid);
    return postMessage(env, model, id, typeof p.body === 'string' ? p.body : '', {
      messageType: typeof p.message_type === 'string' ? p.message_type : 'notification',
      isHtml: p.body_is_html === true,
      subject: p.subject,
      authorId: isNum(p.author_id) ? p.author_id : 3,
      subtypeId: subtypeOf(env, p),
    });
  },
};

export const CHATTER_MODELS = new Set(['res.partner', 'sale.order', 'account.move', 'account.payment', 'stock.picking', 'product.product', 'product.template']);
