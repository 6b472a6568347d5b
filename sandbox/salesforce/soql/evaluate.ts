/**
 * Runs a parsed query against one org: resolves every name against the schema (INVALID_TYPE,
 * INVALID_FIELD, positioned like Salesforce's), filters, sorts, cuts, and shapes records the way
 * the REST API does: `attributes` first, parent lookups as nested records (`null` when empty),
 * child subqueries as nested query results (`null` when empty).
 */
import { normalizeId } from '../ids';
import { SfErrorCode, invalidFieldDetail, invalidTypeDetail, soqlError } from '../errors';
import {
  childRelationshipOf,
  fieldOf,
  parentRelationshipOf,
  sobjectNamed,
  type ChildRelationship,
  type FieldDef,
  type FieldType,
  type SObjectDef,
} from '../schema';
import type { FieldValue, OrgStore, SfRecord } from '../store';
import type { CompareOp, Condition, FieldRef, Literal, OrderItem, RelativeDateName, SoqlQuery } from './ast';

/** A field path bound to the schema: the lookups to follow, then the field to read. */
interface BoundPath {
  readonly steps: ReadonlyArray<{ readonly lookup: string; readonly relationship: string }>;
  readonly field: FieldDef;
  /** Canonical dotted path, for duplicate detection. */
  readonly key: string;
}

type Predicate = (record: SfRecord) => boolean;

type BoundSelect =
  { readonly kind: 'field'; readonly path: BoundPath } | { readonly kind: 'subquery'; readonly relationship: ChildRelationship; readonly plan: Plan };

interface Plan {
  readonly object: SObjectDef;
  readonly select: readonly BoundSelect[];
  readonly where: Predicate;
  readonly order: ReadonlyArray<{ readonly path: BoundPath; readonly descending: boolean; readonly nullsLast: boolean }>;
  readonly limit?: number;
  readonly offset?: number;
  /** `COUNT()`: the answer is only `totalSize`. */
  readonly countOnly: boolean;
  /** `COUNT(field) alias`: one AggregateResult row. */
  readonly aggregate?: { readonly path: BoundPath; readonly alias: string };
}

export type QueryOutcome = { readonly kind: 'count'; readonly totalSize: number } | { readonly kind: 'rows'; readonly rows: Record<string, unknown>[] };

type Category = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

const CATEGORY: Record<FieldType, Category> = {
  id: 'id',
  reference: 'id',
  string: 'text',
  picklist: 'text',
  email: 'text',
  url: 'text',
  phone: 'text',
  textarea: 'text',
  double: 'number',
  currency: 'number',
  percent: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
};
const WIRE_TYPE: Record<Category, string> = { text: 'string', id: 'id', number: 'double', boolean: 'boolean', date: 'date', datetime: 'dateTime' };
const LITERAL_FOR: Record<Category, Literal['kind']> = {
  text: 'string',
  id: 'string',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
};
const DAY = 86_400_000;

/** What a relative date literal stands for: whole UTC days, both ends included. */
interface DayRange {
  readonly startDay: number;
  readonly endDay: number;
}
/** A literal bound to its field: a plain value, or a day range for `TODAY`, `LAST_N_DAYS:n`, ... */
type Operand = FieldValue | DayRange;
const isRange = (x: Operand): x is DayRange => typeof x === 'object' && x !== null;

const parseDateTime = (wire: string): number => Date.parse(wire.replace(/\+0000$/, 'Z'));

/** Record `attributes` as the REST API sends them. */
export const attributesOf = (record: SfRecord, version: string): { type: string; url: string } => ({
  type: record.type,
  url: `/services/data/v${version}/sobjects/${record.type}/${String(record.fields.Id)}`,
});

class Binder {
  constructor(
    private readonly soql: string,
    private readonly store: OrgStore,
    /** The clock relative date literals are read against (the org runs on GMT). */
    private readonly now: number,
  ) {}

  path(object: SObjectDef, ref: FieldRef): BoundPath {
    const steps: Array<{ lookup: string; relationship: string }> = [];
    let current = object;
    for (const segment of ref.path.slice(0, -1)) {
      const lookup = parentRelationshipOf(current, segment);
      const parent = lookup?.referenceTo ? sobjectNamed(lookup.referenceTo) : undefined;
      if (!lookup || !parent) {
        throw soqlError(
          SfErrorCode.INVALID_FIELD,
          this.soql,
          ref.pos,
          `Didn't understand relationship '${segment}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      steps.push({ lookup: lookup.name, relationship: lookup.relationshipName! });
      current = parent;
    }
    const name = ref.path[ref.path.length - 1]!;
    const field = fieldOf(current, name);
    if (!field) throw soqlError(SfErrorCode.INVALID_FIELD, this.soql, ref.pos, invalidFieldDetail(name, current.name));
    return { steps, field, key: [...steps.map((s) => s.relationship), field.name].join('.').toLowerCase() };
  }

  plan(query: SoqlQuery, object: SObjectDef): Plan {
    const select: BoundSelect[] = [];
    const seen = new Set<string>();
    let countOnly = false;
    let aggregate: Plan['aggregate'];
    for (const item of query.select) {
      if (item.kind === 'count') {
        if (query.select.length > 1 && !item.field) {
          throw soqlError(SfErrorCode.MALFORMED_QUERY, this.soql, item.pos, 'COUNT() must be the only element in the SELECT list.');
        }
        if (item.field) aggregate = { path: this.path(object, item.field), alias: item.alias ?? 'expr0' };
        else countOnly = true;
        continue;
      }
      if (item.kind === 'subquery') {
        const relationship = childRelationshipOf(object, item.query.from.name);
        if (!relationship) {
          throw soqlError(
            SfErrorCode.INVALID_TYPE,
            this.soql,
            item.query.from.pos,
            `Didn't understand relationship '${item.query.from.name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
          );
        }
        const key = `(${relationship.relationshipName.toLowerCase()})`;
        if (seen.has(key)) throw soqlError(SfErrorCode.MALFORMED_QUERY, this.soql, item.pos, `duplicate field selected: ${relationship.relationshipName}`);
        seen.add(key);
        select.push({ kind: 'subquery', relationship, plan: this.plan(item.query, sobjectNamed(relationship.childSObject)!) });
        continue;
      }
      const path = this.path(object, item.field);
      if (seen.has(path.key)) throw soqlError(SfErrorCode.MALFORMED_QUERY, this.soql, item.field.pos, `duplicate field selected: ${item.field.path.join('.')}`);
      seen.add(path.key);
      select.push({ kind: 'field', path });
    }
    if (aggregate && select.length > 0) {
      const first = query.select.find((i) => i.kind === 'field');
      const pos = first?.kind === 'field' ? first.field.pos : 0;
      const name = first?.kind === 'field' ? first.field.path.join('.') : '';
      throw soqlError(SfErrorCode.MALFORMED_QUERY, this.soql, pos, `Field must be grouped or aggregated: ${name}`);
    }
    return {
      object,
      select,
      where: query.where ? this.condition(object, query.where) : () => true,
      order: query.orderBy.map((o: OrderItem) => ({ path: this.path(object, o.field), descending: o.descending, nullsLast: o.nullsLast })),
      countOnly,
      ...(aggregate ? { aggregate } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
      ...(query.offset !== undefined ? { offset: query.offset } : {}),
    };
  }

  condition(object: SObjectDef, cond: Condition): Predicate {
    switch (cond.kind) {
      case 'and': {
        const items = cond.items.map((c) => this.condition(object, c));
        return (r) => items.every((p) => p(r));
      }
      case 'or': {
        const items = cond.items.map((c) => this.condition(object, c));
        return (r) => items.some((p) => p(r));
      }
      case 'not': {
        const inner = this.condition(object, cond.item);
        return (r) => !inner(r);
      }
      case 'compare': {
        const path = this.path(object, cond.field);
        const category = CATEGORY[path.field.type];
        const value = this.literal(path, cond.field, cond.value, cond.op);
        const read = (r: SfRecord): FieldValue => readPath(this.store, r, path);
        if (cond.op === 'LIKE') {
          if (category !== 'text' || value === null || isRange(value)) {
            throw soqlError(
              SfErrorCode.INVALID_QUERY_FILTER_OPERATOR,
              this.soql,
              cond.field.pos,
              `invalid operator on ${WIRE_TYPE[category]} field: ${cond.field.path.join('.')}`,
            );
          }
          const re = likeToRegExp(String(value));
          return (r) => {
            const v = read(r);
            return v !== null && re.test(String(v));
          };
        }
        const op = cond.op;
        return (r) => test(category, read(r), op, value);
      }
      case 'in': {
        const path = this.path(object, cond.field);
        const category = CATEGORY[path.field.type];
        const values = cond.values.map((l) => this.literal(path, cond.field, l));
        return (r) => {
          const v = readPath(this.store, r, path);
          const hit = values.some((x) => test(category, v, '=', x));
          return cond.negated ? !hit : hit;
        };
      }
    }
  }

  /** Checks a literal against the field's type as Salesforce does, and returns it in comparable form. */
  literal(path: BoundPath, ref: FieldRef, literal: Literal, op: CompareOp = '='): Operand {
    if (literal.kind === 'null') return null;
    const category = CATEGORY[path.field.type];
    if (literal.kind === 'relativeDate' && (category === 'date' || category === 'datetime')) return this.dayRange(literal.name, literal.n ?? 0);
    if (literal.kind === 'relativeDate' || literal.kind !== LITERAL_FOR[category]) {
      const quoted = category === 'text' || category === 'id';
      throw soqlError(
        SfErrorCode.INVALID_FIELD,
        this.soql,
        literal.pos,
        `value of filter criterion for field '${ref.path.join('.')}' must be of type ${WIRE_TYPE[category]} and should${quoted ? '' : ' not'} be enclosed in quotes`,
      );
    }
    if (category === 'id') {
      const id15 = normalizeId(String(literal.value));
      if (id15 === undefined) throw soqlError(SfErrorCode.INVALID_QUERY_FILTER_OPERATOR, this.soql, literal.pos, `invalid ID field: ${String(literal.value)}`);
      return id15;
    }
    // `\%` and `\_` are escapes for LIKE only; elsewhere they stand for the plain characters.
    if (literal.kind === 'string' && op !== 'LIKE') return literal.value.replace(/\\([%_])/g, '$1');
    return literal.value;
  }

  dayRange(name: RelativeDateName, n: number): DayRange {
    const today = Math.floor(this.now / DAY);
    const date = new Date(this.now);
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth();
    switch (name) {
      case 'YESTERDAY':
        return { startDay: today - 1, endDay: today - 1 };
      case 'TODAY':
        return { startDay: today, endDay: today };
      case 'TOMORROW':
        return { startDay: today + 1, endDay: today + 1 };
      case 'THIS_MONTH':
        return { startDay: Date.UTC(y, m, 1) / DAY, endDay: Date.UTC(y, m + 1, 1) / DAY - 1 };
      case 'THIS_YEAR':
        return { startDay: Date.UTC(y, 0, 1) / DAY, endDay: Date.UTC(y + 1, 0, 1) / DAY - 1 };
      case 'LAST_N_DAYS':
        return { startDay: today - n, endDay: today };
      case 'NEXT_N_DAYS':
        return { startDay: today + 1, endDay: today + n };
    }
  }
}

function readPath(store: OrgStore, record: SfRecord, path: BoundPath): FieldValue {
  let current: SfRecord | undefined = record;
  for (const step of path.steps) {
    const parentId: FieldValue | undefined = current.fields[step.lookup];
    current = typeof parentId === 'string' ? store.byId(parentId) : undefined;
    if (!current) return null;
  }
  return current.fields[path.field.name] ?? null;
}

function compare(category: Category, a: FieldValue, b: FieldValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  switch (category) {
    case 'text': {
      const x = String(a).toLowerCase();
      const y = String(b).toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'id': {
      const x = String(a).slice(0, 15);
      const y = String(b).slice(0, 15);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'datetime': {
      const x = typeof a === 'string' ? parseDateTime(a) : Number(a);
      const y = typeof b === 'string' ? parseDateTime(b) : Number(b);
      return x - y;
    }
    case 'number':
      return Number(a) - Number(b);
    case 'boolean':
      return Number(a) - Number(b);
    case 'date':
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }
}

const equal = (category: Category, a: FieldValue, b: FieldValue): boolean => (a === null || b === null ? a === b : compare(category, a, b) === 0);

const dayOf = (category: Category, v: FieldValue): number => Math.floor((category === 'datetime' ? parseDateTime(String(v)) : Date.parse(String(v))) / DAY);

/** One comparison: nulls only equal nulls and never order; a day range compares by whole days. */
function test(category: Category, v: FieldValue, op: Exclude<CompareOp, 'LIKE'>, x: Operand): boolean {
  if (isRange(x)) {
    if (v === null) return op === '!=';
    const d = dayOf(category, v);
    switch (op) {
      case '=':
        return d >= x.startDay && d <= x.endDay;
      case '!=':
        return d < x.startDay || d > x.endDay;
      case '<':
        return d < x.startDay;
      case '<=':
        return d <= x.endDay;
      case '>':
        return d > x.endDay;
      case '>=':
        return d >= x.startDay;
    }
  }
  if (op === '=') return equal(category, v, x);
  if (op === '!=') return !equal(category, v, x);
  if (v === null || x === null) return false;
  const c = compare(category, v, x);
  return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
}

/** SOQL LIKE: `%` any run, `_` one character, `\%` and `\_` literal; case-insensitive. */
function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += pattern[++i]!;
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function sortAndCut(store: OrgStore, records: SfRecord[], plan: Plan): SfRecord[] {
  if (plan.order.length > 0) {
    records.sort((a, b) => {
      for (const o of plan.order) {
        const x = readPath(store, a, o.path);
        const y = readPath(store, b, o.path);
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === o.nullsLast ? 1 : -1;
        }
        const c = compare(CATEGORY[o.path.field.type], x, y);
        if (c !== 0) return o.descending ? -c : c;
      }
      return 0;
    });
  }
  const start = plan.offset ?? 0;
  return records.slice(start, plan.limit === undefined ? undefined : start + plan.limit);
}

function project(store: OrgStore, record: SfRecord, plan: Plan, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributesOf(record, version) };
  for (const item of plan.select) {
    if (item.kind === 'subquery') {
      const children = runPlan(
        store,
        store.all(item.relationship.childSObject).filter((c) => c.fields[item.relationship.field] === record.fields.Id),
        item.plan,
        version,
      );
      out[item.relationship.relationshipName] = children.length === 0 ? null : { totalSize: children.length, done: true, records: children };
      continue;
    }
    let container = out;
    let current: SfRecord | undefined = record;
    for (const step of item.path.steps) {
      const parentId: FieldValue | undefined = current.fields[step.lookup];
      current = typeof parentId === 'string' ? store.byId(parentId) : undefined;
      const existing = container[step.relationship];
      if (!current) {
        if (existing === undefined) container[step.relationship] = null;
        break;
      }
      if (existing === null || typeof existing !== 'object') container[step.relationship] = { attributes: attributesOf(current, version) };
      container = container[step.relationship] as Record<string, unknown>;
    }
    if (current) container[item.path.field.name] = current.fields[item.path.field.name] ?? null;
  }
  return out;
}

function runPlan(store: OrgStore, candidates: readonly SfRecord[], plan: Plan, version: string): Record<string, unknown>[] {
  return sortAndCut(store, candidates.filter(plan.where), plan).map((r) => project(store, r, plan, version));
}

/**
 * Runs a parsed query. `soql` is the original text (error messages echo it); `version` is the API
 * version of the request path (record URLs carry it); `now` is the clock for `TODAY` and friends.
 */
export function runQuery(store: OrgStore, query: SoqlQuery, soql: string, version: string, now: number = Date.now()): QueryOutcome {
  const object = sobjectNamed(query.from.name);
  if (!object) throw soqlError(SfErrorCode.INVALID_TYPE, soql, query.from.pos, invalidTypeDetail(query.from.name));
  const plan = new Binder(soql, store, now).plan(query, object);
  const matching = store.all(object.name).filter(plan.where);
  if (plan.countOnly) return { kind: 'count', totalSize: sortAndCut(store, matching, plan).length };
  if (plan.aggregate) {
    const { path, alias } = plan.aggregate;
    const count = matching.filter((r) => readPath(store, r, path) !== null).length;
    return { kind: 'rows', rows: [{ attributes: { type: 'AggregateResult' }, [alias]: count }] };
  }
  return { kind: 'rows', rows: runPlan(store, store.all(object.name), plan, version) };
}
