/**
 * Odoo domains: parsing with the exact errors of odoo/osv/expression.py (17/18) and evaluation
 * against in-memory rows. Prefix `&`/`|`/`!`, implicit AND, dotted paths (an implicit `any`),
 * TRUE/FALSE leaves, and the term operators of 1.8.
 */
import { OdooError, pyRepr, valueError } from './errors';
import { visibility } from './security';
import { fullDatetime, type OdooDb, type Row } from './store';

export type DomainNode =
  | { kind: 'const'; value: boolean }
  | { kind: 'and' | 'or'; left: DomainNode; right: DomainNode }
  | { kind: 'not'; child: DomainNode }
  | { kind: 'leaf'; field: string; op: string; value: unknown }
  | { kind: 'any'; field: string; negate: boolean; sub: DomainNode };

const TERM_OPERATORS = new Set([
  '=',
  '!=',
  '<=',
  '<',
  '>',
  '>=',
  '=?',
  '=like',
  '=ilike',
  'like',
  'not like',
  'ilike',
  'not ilike',
  'in',
  'not in',
  'child_of',
  'parent_of',
  'any',
  'not any',
]);
const ARITY: Record<string, number> = { '!': 1, '&': 2, '|': 2 };
const isOperator = (t: unknown): t is '!' | '&' | '|' => t === '!' || t === '&' || t === '|';
const isTrueLeaf = (t: readonly unknown[]): boolean => t.length === 3 && t[0] === 1 && t[1] === '=' && t[2] === 1;
const isFalseLeaf = (t: readonly unknown[]): boolean => t.length === 3 && t[0] === 0 && t[1] === '=' && t[2] === 1;
const RELATIONAL = new Set(['many2one', 'one2many', 'many2many']);

/** Parses a domain for `model`, raising the errors real Odoo raises for malformed input. */
export function parseDomain(db: OdooDb, model: string, domain: unknown): DomainNode {
  if (domain === undefined || domain === null || domain === false) return { kind: 'const', value: true };
  if (!Array.isArray(domain)) {
    throw new OdooError('builtins.AssertionError', "Domains to normalize must have a 'domain' form: a list or tuple of domain components");
  }
  if (domain.length === 0) return { kind: 'const', value: true };
  // normalize_domain: count arities, add implicit '&'
  const tokens: unknown[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      tokens.unshift('&');
      expected = 1;
    }
    if (Array.isArray(token)) expected -= 1;
    else expected += (isOperator(token) ? (ARITY[token] ?? 0) : 0) - 1;
    tokens.push(token);
  }
  if (expected !== 0) throw valueError(`Domain ${pyRepr(domain)} is syntactically not correct.`);
  // validate leaves in order (unpack, field, operator), as _anyfy_leaves then check_leaf do
  const leaves = tokens.map((t) => (isOperator(t) ? t : toLeaf(db, model, t)));
  let pos = 0;
  const build = (): DomainNode => {
    const t = leaves[pos++];
    if (t === '!') return { kind: 'not', child: build() };
    if (t === '&' || t === '|') {
      const left = build();
      const right = build();
      return { kind: t === '&' ? 'and' : 'or', left, right };
    }
    if (t === undefined) throw valueError(`Domain ${pyRepr(domain)} is syntactically not correct.`);
    return t;
  };
  return build();
}

function toLeaf(db: OdooDb, model: string, token: unknown): DomainNode {
  const item: unknown[] = Array.isArray(token) ? token : typeof token === 'string' ? [...token] : [token];
  if (Array.isArray(token) && isTrueLeaf(token)) return { kind: 'const', value: true };
  if (Array.isArray(token) && isFalseLeaf(token)) return { kind: 'const', value: false };
  if (item.length < 3) throw valueError(`not enough values to unpack (expected 3, got ${item.length})`);
  if (item.length > 3) throw valueError('too many values to unpack (expected 3)');
  const [left, rawOp, right] = item as [unknown, unknown, unknown];
  const leafRepr = pyRepr(item, true);
  if (typeof left !== 'string') throw valueError(`Invalid leaf ${leafRepr}`);
  const path = left.split('.');
  const head = path[0] ?? '';
  const f = db.field(model, head);
  if (!f) throw valueError(`Invalid field ${model}.${head} in leaf ${leafRepr}`);
  const op = typeof rawOp === 'string' ? (rawOp.toLowerCase() === '<>' ? '!=' : rawOp.toLowerCase()) : '';
  if (!TERM_OPERATORS.has(op)) throw valueError(`Invalid leaf ${leafRepr}`);
  if (path.length > 1) {
    if (!RELATIONAL.has(f.type) || !f.relation) throw valueError(`Invalid field ${model}.${head} in leaf ${leafRepr}`);
    return { kind: 'any', field: head, negate: false, sub: toLeaf(db, f.relation, [path.slice(1).join('.'), rawOp, right]) };
  }
  if (op === 'any' || op === 'not any') {
    if (!RELATIONAL.has(f.type) || !f.relation) throw valueError(`Invalid leaf ${leafRepr}`);
    return { kind: 'any', field: head, negate: op === 'not any', sub: parseDomain(db, f.relation, right) };
  }
  return { kind: 'leaf', field: head, op, value: right };
}

/** Whether `row` of `model` satisfies the parsed domain. */
export function matches(db: OdooDb, model: string, row: Row, node: DomainNode): boolean {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'and':
      return matches(db, model, row, node.left) && matches(db, model, row, node.right);
    case 'or':
      return matches(db, model, row, node.left) || matches(db, model, row, node.right);
    case 'not':
      return !matches(db, model, row, node.child);
    case 'any': {
      const f = db.field(model, node.field);
      const ids = relatedIds(db.value(model, row, node.field));
      const hit = ids.some((id) => {
        const sub = f?.relation ? db.get(f.relation, id) : undefined;
        return sub !== undefined && f?.relation !== undefined && matches(db, f.relation, sub, node.sub);
      });
      return node.negate ? !hit : hit;
    }
    case 'leaf':
      return matchLeaf(db, model, row, node.field, node.op, node.value);
  }
}

const relatedIds = (v: unknown): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const isEmpty = (v: unknown): boolean => v === false || v === null || v === undefined || v === '';

function likeRegex(pattern: string, wrap: boolean, insensitive: boolean): RegExp {
  let src = '';
  let escaped = false;
  for (const ch of pattern) {
    // PostgreSQL's LIKE: a backslash makes the next character literal (`\%`, `\_`, `\\`).
    if (!escaped && ch === '\\') {
      escaped = true;
      continue;
    }
    if (!escaped && ch === '%') src += '.*';
    else if (!escaped && ch === '_') src += '.';
    else src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    escaped = false;
  }
  return new RegExp(wrap ? `^.*${src}.*$` : `^${src}$`, insensitive ? 'isu' : 'su');
}

/** Descendants (child_of) or ancestors (parent_of) of `ids`, through the model's `parent_id`. */
function hierarchy(db: OdooDb, model: string, ids: number[], down: boolean): Set<number> {
  const out = new Set<number>(ids);
  if (!db.field(model, 'parent_id')) return out;
  let frontier = [...ids];
  while (frontier.length) {
    const next: number[] = [];
    if (down) {
      for (const r of db.all(model)) {
        const p = r.parent_id;
        if (typeof p === 'number' && frontier.includes(p) && !out.has(r.id)) next.push(r.id);
      }
    } else {
      for (const id of frontier) {
        const p = db.get(model, id)?.parent_id;
        if (typeof p === 'number' && !out.has(p)) next.push(p);
      }
    }
    for (const id of next) out.add(id);
    frontier = next;
  }
  return out;
}

function matchScalar(raw: unknown, op: string, value: unknown): boolean {
  switch (op) {
    case '=':
      if (value === false || value === null) return isEmpty(raw);
      return raw === value || (typeof raw === 'string' && typeof value === 'number' && raw === String(value));
    case '!=':
      return !matchScalar(raw, '=', value);
    case '=?':
      return value === false || value === null || value === undefined ? true : matchScalar(raw, '=', value);
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (isEmpty(raw) || isEmpty(value)) return false;
      const c = typeof raw === 'number' && typeof value === 'number' ? raw - value : String(raw) < String(value) ? -1 : String(raw) > String(value) ? 1 : 0;
      return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
    }
    case 'in':
    case 'not in': {
      const list = Array.isArray(value) ? value : [value];
      const hit = list.some((v) => (v === false || v === null ? isEmpty(raw) : raw === v));
      return op === 'in' ? hit : !hit;
    }
    case 'like':
    case 'ilike':
    case 'not like':
    case 'not ilike':
    case '=like':
    case '=ilike': {
      const negative = op.startsWith('not');
      if (value === false || value === null) return negative ? !isEmpty(raw) : isEmpty(raw);
      if (isEmpty(raw)) return negative;
      const re = likeRegex(String(value), !op.startsWith('='), op.includes('ilike'));
      const hit = re.test(String(raw));
      return negative ? !hit : hit;
    }
    default:
      return false;
  }
}

function matchLeaf(db: OdooDb, model: string, row: Row, field: string, op: string, value: unknown): boolean {
  const f = db.field(model, field);
  const raw = db.value(model, row, field);
  if (op === 'child_of' || op === 'parent_of') {
    const target = f?.type === 'many2one' && f.relation ? f.relation : model;
    const ids = hierarchy(db, target, relatedIds(Array.isArray(value) ? value : [value]), op === 'child_of');
    return field === 'id' ? ids.has(row.id) : relatedIds(raw).some((id) => ids.has(id));
  }
  if (f && RELATIONAL.has(f.type) && f.relation) {
    const ids = relatedIds(raw);
    const comodel = f.relation;
    const names = (): string[] => ids.map((id) => db.displayName(comodel, id));
    const wantsName = typeof value === 'string' || (Array.isArray(value) && value.some((v) => typeof v === 'string'));
    if (wantsName || op.includes('like')) {
      if (ids.length === 0) return matchScalar(false, op, value);
      const positive = !op.startsWith('not') && op !== '!=';
      const hits = names().map((n) => matchScalar(n, positive ? op : op.replace('not ', '').replace('!=', '='), value));
      return positive ? hits.some(Boolean) : !hits.some(Boolean);
    }
    if (f.type === 'many2one') return matchScalar(ids[0] ?? false, op, value);
    // x2many: a positive operator holds when any linked id matches; a negative one when none does
    if (value === false || value === null) return op === '=' || op === 'in' ? ids.length === 0 : ids.length > 0;
    const wanted = relatedIds(Array.isArray(value) ? value : [value]);
    const any = ids.some((id) => wanted.includes(id));
    if (op === '=' || op === 'in') return any;
    if (op === '!=' || op === 'not in') return !any;
    return ids.some((id) => matchScalar(id, op, value));
  }
  if (f?.type === 'datetime') return matchScalar(fullDatetime(raw) ?? raw, op, datetimeOperand(value));
  return matchScalar(raw, op, value);
}

/**
 * A datetime leaf's value as Postgres reads the literal against a `timestamp` column: a string in
 * full microsecond form (`'… 01:33:54'` is `01:33:54.000000`, so a row stored at `01:33:54.412000`
 * is greater: FACTS 18); lists element by element; anything else as given.
 */
function datetimeOperand(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => fullDatetime(v) ?? v);
  return fullDatetime(value) ?? value;
}

/**
 * Rows of `model` matching `domain` (unordered). Archived rows are left out unless the domain
 * names `active` or the context says `active_test: false`, as in Odoo.
 */
export function searchRows(db: OdooDb, model: string, domain: unknown, context: Readonly<Record<string, unknown>> = {}): Row[] {
  const node = parseDomain(db, model, domain);
  const activeAware = context.active_test !== false && db.field(model, 'active') !== undefined && !mentionsField(domain, 'active');
  // record rules (own documents, multi-company) filter silently, as in a real search (FACTS 13)
  const visible = visibility(db, db.uid, model);
  return db.all(model).filter((r) => (!activeAware || r.active !== false) && visible(r) && matches(db, model, r, node));
}

/** Whether a domain has a leaf on `field` (Odoo's implicit `active = True` is skipped then). */
function mentionsField(domain: unknown, field: string): boolean {
  return Array.isArray(domain) && domain.some((t) => Array.isArray(t) && typeof t[0] === 'string' && t[0].split('.')[0] === field);
}
