/**
 * The part of Zendesk's search query language the gateway uses (developer.zendesk.com/documentation/
 * ticketing/using-the-zendesk-api/searching-with-the-zendesk-api/): `key:value`, `key<value`,
 * `key>value` (`<=`, `>=`), `-key:value` to exclude, quoted values, `*` wildcards, and free text.
 *
 * A keyed term the record type does not have never matches, so `status:open` alone finds tickets
 * only, as on Zendesk.
 */
import { TICKET_STATUSES, isTicketStatus, type OrganizationRecord, type TicketRecord, type UserRecord } from './records';
import type { ZendeskAccount } from './store';

export type Comparator = ':' | '<' | '>' | '<=' | '>=';

export interface SearchTerm {
  /** Lower-cased key, or null for free text. */
  key: string | null;
  op: Comparator;
  value: string;
  negate: boolean;
}

export type ResultType = 'ticket' | 'user' | 'organization';

export type SearchHit =
  { result_type: 'ticket'; record: TicketRecord } | { result_type: 'user'; record: UserRecord } | { result_type: 'organization'; record: OrganizationRecord };

const TOKEN = /(-?)(?:([A-Za-z_]+)(<=|>=|:|<|>))?(?:"([^"]*)"|(\S+))/g;

/** Splits a query into terms. Never throws: anything unparseable is free text. */
export function parseSearchQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const m of query.matchAll(TOKEN)) {
    const [, minus, key, op, quoted, bare] = m;
    const value = quoted ?? bare ?? '';
    if (value === '' && !key) continue;
    terms.push({ key: key ? key.toLowerCase() : null, op: (op as Comparator | undefined) ?? ':', value, negate: minus === '-' });
  }
  return terms;
}

const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'];

function textMatches(pattern: string, candidate: string | null | undefined): boolean {
  if (candidate === null || candidate === undefined) return false;
  const p = pattern.toLowerCase();
  const c = candidate.toLowerCase();
  if (!p.includes('*')) return c === p;
  const re = new RegExp(
    `^${p
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(c);
}

const contains = (haystack: string, needle: string): boolean => haystack.toLowerCase().includes(needle.toLowerCase());

function compareOrdered(order: readonly string[], actual: string | null, op: Comparator, value: string): boolean {
  const a = actual === null ? -1 : order.indexOf(actual);
  const v = order.indexOf(value.toLowerCase());
  if (v < 0) return false;
  switch (op) {
    case ':':
      return a === v;
    case '<':
      return a >= 0 && a < v;
    case '<=':
      return a >= 0 && a <= v;
    case '>':
      return a > v;
    case '>=':
      return a >= v;
  }
}

function compareDate(actualIso: string, op: Comparator, value: string): boolean {
  const actual = Date.parse(actualIso);
  const wanted = Date.parse(value);
  if (Number.isNaN(wanted)) return false;
  const day = 86_400_000;
  switch (op) {
    case ':':
      return actual >= wanted && actual < wanted + day;
    case '<':
      return actual < wanted;
    case '<=':
      return actual < wanted + day;
    case '>':
      return actual >= wanted + day;
    case '>=':
      return actual >= wanted;
  }
}

/** A user named by email, name or id, as `requester:` and `assignee:` accept. */
function userMatches(account: ZendeskAccount, userId: number | null, value: string): boolean {
  if (value.toLowerCase() === 'none') return userId === null;
  if (userId === null) return false;
  if (String(userId) === value) return true;
  const user = account.users.get(userId);
  return !!user && (textMatches(value, user.email) || textMatches(value, user.name));
}

function organizationMatches(account: ZendeskAccount, orgId: number | null, value: string): boolean {
  if (value.toLowerCase() === 'none') return orgId === null;
  if (orgId === null) return false;
  if (String(orgId) === value) return true;
  const org = account.organizations.get(orgId);
  return !!org && textMatches(value, org.name);
}

/** undefined: the record type has no such key (the term cannot match). */
function ticketTerm(account: ZendeskAccount, t: TicketRecord, term: SearchTerm): boolean | undefined {
  const v = term.value;
  switch (term.key) {
    case null:
      return contains(t.subject, v) || contains(t.description, v);
    case 'status':
      return isTicketStatus(v.toLowerCase()) && compareOrdered(TICKET_STATUSES, t.status, term.op, v);
    case 'priority':
      return compareOrdered(PRIORITY_ORDER, t.priority, term.op, v);
    case 'ticket_type':
      return textMatches(v, t.type);
    case 'requester':
      return userMatches(account, t.requester_id, v);
    case 'submitter':
      return userMatches(account, t.submitter_id, v);
    case 'assignee':
      return userMatches(account, t.assignee_id, v);
    case 'organization':
      return organizationMatches(account, t.organization_id, v);
    case 'tags':
    case 'tag':
      return t.tags.some((tag) => textMatches(v, tag));
    case 'subject':
      return contains(t.subject, v);
    case 'description':
      return contains(t.description, v);
    case 'external_id':
      return textMatches(v, t.external_id);
    case 'via':
      return textMatches(v, t.via.channel);
    case 'created':
      return compareDate(t.created_at, term.op, v);
    case 'updated':
      return compareDate(t.updated_at, term.op, v);
    default:
      return undefined;
  }
}

function userTerm(account: ZendeskAccount, u: UserRecord, term: SearchTerm): boolean | undefined {
  const v = term.value;
  switch (term.key) {
    case null:
      return contains(u.name, v) || (u.email !== null && contains(u.email, v));
    case 'email':
      return textMatches(v, u.email);
    case 'name':
      return textMatches(v, u.name) || contains(u.name, v);
    case 'external_id':
      return textMatches(v, u.external_id);
    case 'role':
      return textMatches(v, u.role);
    case 'organization':
      return organizationMatches(account, u.organization_id, v);
    case 'tags':
    case 'tag':
      return u.tags.some((tag) => textMatches(v, tag));
    case 'created':
      return compareDate(u.created_at, term.op, v);
    default:
      return undefined;
  }
}

function organizationTerm(o: OrganizationRecord, term: SearchTerm): boolean | undefined {
  const v = term.value;
  switch (term.key) {
    case null:
      return contains(o.name, v);
    case 'name':
      return textMatches(v, o.name) || contains(o.name, v);
    case 'external_id':
      return textMatches(v, o.external_id);
    case 'tags':
    case 'tag':
      return o.tags.some((tag) => textMatches(v, tag));
    case 'created':
      return compareDate(o.created_at, term.op, v);
    default:
      return undefined;
  }
}

const RESULT_TYPES: readonly ResultType[] = ['ticket', 'user', 'organization'];

/** Runs a query over an account; results in type order (tickets, users, organizations), then id. */
export function search(account: ZendeskAccount, query: string): SearchHit[] {
  const terms = parseSearchQuery(query);
  const typeTerms = terms.filter((t) => t.key === 'type');
  const wanted = new Set<ResultType>(RESULT_TYPES);
  for (const t of typeTerms) {
    const v = t.value.toLowerCase() as ResultType;
    if (!RESULT_TYPES.includes(v)) return [];
    if (t.negate) wanted.delete(v);
    else for (const r of RESULT_TYPES) if (r !== v) wanted.delete(r);
  }
  const filters = terms.filter((t) => t.key !== 'type');
  const keep = (evaluate: (term: SearchTerm) => boolean | undefined): boolean =>
    filters.every((term) => {
      const hit = evaluate(term);
      if (hit === undefined) return false;
      return term.negate ? !hit : hit;
    });

  const hits: SearchHit[] = [];
  if (wanted.has('ticket'))
    for (const t of account.ticketList()) if (keep((term) => ticketTerm(account, t, term))) hits.push({ result_type: 'ticket', record: t });
  if (wanted.has('user')) for (const u of account.userList()) if (keep((term) => userTerm(account, u, term))) hits.push({ result_type: 'user', record: u });
  if (wanted.has('organization'))
    for (const o of account.organizationList()) if (keep((term) => organizationTerm(o, term))) hits.push({ result_type: 'organization', record: o });
  return hits;
}
