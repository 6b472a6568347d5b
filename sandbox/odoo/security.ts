/**
 * Who may see what: groups (with their implications), field `groups=` restrictions, the "own
 * documents" record rule of Sales / User: Own Documents Only, and the multi-company rule. Errors
 * carry the exact texts of Odoo 18 (FACTS 10-15; models.py check_field_access_rights and
 * _make_access_error).
 */
import { accessError } from './errors';
import type { FieldDef } from './fields';
import type { OdooDb, Row } from './store';

export interface GroupDef {
  id: number;
  xmlid: string;
  name: string;
  category: string;
  implied?: readonly string[];
}

/** The groups the sandbox knows, with the ids of a fresh Odoo 18 (1, 7, 21, 39 as in fixture setup/09). */
export const GROUPS: readonly GroupDef[] = [
  { id: 1, xmlid: 'base.group_user', name: 'Internal User', category: 'User types' },
  { id: 2, xmlid: 'base.group_erp_manager', name: 'Access Rights', category: 'Administration' },
  { id: 3, xmlid: 'base.group_system', name: 'Settings', category: 'Administration', implied: ['base.group_erp_manager'] },
  { id: 7, xmlid: 'base.group_no_one', name: 'Technical Features', category: 'Technical' },
  { id: 8, xmlid: 'base.group_multi_company', name: 'Multi Companies', category: 'Technical' },
  { id: 21, xmlid: 'sales_team.group_sale_salesman', name: 'User: Own Documents Only', category: 'Sales' },
  { id: 22, xmlid: 'sales_team.group_sale_salesman_all_leads', name: 'User: All Documents', category: 'Sales', implied: ['sales_team.group_sale_salesman'] },
  { id: 23, xmlid: 'sales_team.group_sale_manager', name: 'Administrator', category: 'Sales', implied: ['sales_team.group_sale_salesman_all_leads'] },
  { id: 24, xmlid: 'account.group_account_readonly', name: 'Show Accounting Features - Readonly', category: 'Technical' },
  { id: 25, xmlid: 'account.group_account_invoice', name: 'Invoicing', category: 'Invoicing' },
  { id: 39, xmlid: 'stock.group_stock_user', name: 'User', category: 'Inventory' },
  { id: 40, xmlid: 'stock.group_stock_manager', name: 'Administrator', category: 'Inventory', implied: ['stock.group_stock_user'] },
];

export const groupId = (xmlid: string): number => GROUPS.find((g) => g.xmlid === xmlid)?.id ?? 0;
export const fullName = (g: GroupDef): string => `${g.category} / ${g.name}`;

/** Groups of the least-privilege integration user (fixture setup/08; base.group_no_one comes with an internal user). */
export const LEAST_PRIVILEGE_GROUPS: readonly string[] = ['base.group_user', 'base.group_no_one', 'sales_team.group_sale_salesman', 'stock.group_stock_user'];

const ACCOUNTING = ['account.group_account_invoice', 'account.group_account_readonly'];

/** `groups=` of the fields the sandbox restricts (Odoo 18 account / auth_signup). */
export const FIELD_GROUPS: Record<string, Record<string, readonly string[]>> = {
  'res.partner': Object.fromEntries([
    ...['credit', 'credit_limit', 'credit_to_invoice', 'debit', 'show_credit_limit', 'total_invoiced', 'use_partner_credit_limit'].map(
      (f) => [f, ACCOUNTING] as const,
    ),
    ['signup_type', ['base.group_erp_manager']] as const,
  ]),
  'account.move': Object.fromEntries(
    ['invoice_has_outstanding', 'invoice_outstanding_credits_debits_widget', 'invoice_payments_widget', 'partner_credit_warning'].map(
      (f) => [f, ACCOUNTING] as const,
    ),
  ),
};

const idsOf = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The user's groups with everything they imply. */
export function userGroups(db: OdooDb, uid: number): Set<string> {
  const user = db.get('res.users', uid);
  const out = new Set<string>(
    idsOf(user?.groups_id)
      .map((id) => GROUPS.find((g) => g.id === id)?.xmlid ?? '')
      .filter(Boolean),
  );
  let grew = true;
  while (grew) {
    grew = false;
    for (const g of GROUPS) {
      if (!out.has(g.xmlid)) continue;
      for (const i of g.implied ?? []) if (!out.has(i)) grew = Boolean(out.add(i));
    }
  }
  return out;
}

export const hasGroup = (db: OdooDb, uid: number, xmlid: string): boolean => uid === 1 || userGroups(db, uid).has(xmlid);

export function canReadField(db: OdooDb, uid: number, f: FieldDef | undefined): boolean {
  if (!f?.groups || uid === 1) return true;
  const mine = userGroups(db, uid);
  return f.groups.some((g) => mine.has(g));
}

/** `check_field_access_rights('read', names)`: AccessError naming the fields the user may not read. */
export function checkFieldAccess(db: OdooDb, uid: number, model: string, names: readonly string[]): void {
  const invalid = [...new Set(names.filter((n) => !canReadField(db, uid, db.field(model, n))))].sort();
  if (invalid.length === 0) return;
  const description = db.model(model)?.description ?? model;
  const head = `You do not have enough rights to access the fields "${invalid.join(',')}" on ${description} (${model}). Please contact your system administrator.`;
  if (!hasGroup(db, uid, 'base.group_no_one')) throw accessError(`${head}\n\n(Operation: read)`);
  const groupsOf = (n: string): string => {
    const allowed = GROUPS.filter((g) => db.field(model, n)?.groups?.includes(g.xmlid)).sort((a, b) => a.id - b.id);
    return `allowed for groups ${allowed.map((g) => `'${fullName(g)}'`).join(', ')}`;
  };
  throw accessError(`${head}\n\nOperation: read\nUser: ${uid}\nFields:\n${invalid.map((n) => `- ${n} (${groupsOf(n)})`).join('\n')}`);
}

/** Fields named by a domain (first path element of every leaf). */
export function domainFields(domain: unknown): string[] {
  if (!Array.isArray(domain)) return [];
  return domain.filter((t): t is unknown[] => Array.isArray(t) && typeof t[0] === 'string').map((t) => String(t[0]).split('.')[0] ?? '');
}

/** Companies of a user (`company_ids`, company 1 when unset). */
export function userCompanies(db: OdooDb, uid: number): number[] {
  const ids = idsOf(db.get('res.users', uid)?.company_ids);
  return ids.length ? ids : [1];
}

/**
 * The companies a call works in: `allowed_company_ids` of the context (the first is the current
 * company), else every company of the user (FACTS 14-15). A company the user is not in is refused.
 */
export function allowedCompanies(db: OdooDb, uid: number): number[] {
  const mine = userCompanies(db, uid);
  const asked = idsOf(db.context.allowed_company_ids);
  if (asked.length === 0) {
    const main = db.get('res.users', uid)?.company_id;
    return typeof main === 'number' ? [main, ...mine.filter((c) => c !== main)] : mine;
  }
  if (asked.some((c) => !mine.includes(c)) && uid !== 1) throw accessError('Access to unauthorized or invalid companies.');
  return asked;
}

/** The current company: decides company-dependent and per-company computed values. */
export function currentCompany(db: OdooDb): number {
  try {
    return allowedCompanies(db, db.uid)[0] ?? 1;
  } catch {
    return 1;
  }
}

interface Rule {
  name: string;
  test(db: OdooDb, uid: number, row: Row, companies: readonly number[]): boolean;
  companyRelated?: boolean;
}

const ownOrder = (db: OdooDb, uid: number, order: Row | undefined): boolean =>
  order !== undefined && (order.user_id === uid || typeof order.user_id !== 'number');
const inCompanies = (row: Row, companies: readonly number[]): boolean => typeof row.company_id !== 'number' || companies.includes(row.company_id);

/** The record rules that apply to a user on a model. */
function rulesFor(db: OdooDb, uid: number, model: string): Rule[] {
  if (uid === 1) return [];
  const rules: Rule[] = [];
  const own = hasGroup(db, uid, 'sales_team.group_sale_salesman') && !hasGroup(db, uid, 'sales_team.group_sale_salesman_all_leads');
  if (own && model === 'sale.order') rules.push({ name: 'Personal Orders', test: (d, u, row) => ownOrder(d, u, row) });
  if (own && model === 'sale.order.line')
    rules.push({
      name: 'Personal Order Lines',
      test: (d, u, row) => ownOrder(d, u, typeof row.order_id === 'number' ? d.get('sale.order', row.order_id) : undefined),
    });
  // sale.account_invoice_rule_see_personal: ['|', ('move_type', 'not in', ('out_invoice', 'out_refund')),
  //   '|', ('invoice_user_id', '=', user.id), ('invoice_user_id', '=', False)]
  if (own && model === 'account.move') {
    rules.push({
      name: 'Personal Invoices',
      test: (_d, u, row) =>
        (row.move_type !== 'out_invoice' && row.move_type !== 'out_refund') || row.invoice_user_id === u || typeof row.invoice_user_id !== 'number',
    });
  }
  // res.company and res.users have their own rules (a user sees the companies they belong to).
  if (model !== 'res.company' && model !== 'res.users' && db.field(model, 'company_id')?.type === 'many2one' && !db.field(model, 'company_id')?.compute) {
    const description = db.model(model)?.description ?? model;
    rules.push({ name: `${description} multi-company`, companyRelated: true, test: (_d, _u, row, companies) => inCompanies(row, companies) });
  }
  return rules;
}

/** Whether a row passes the record rules (search filters silently with this), decided once per search. */
export function visibility(db: OdooDb, uid: number, model: string): (row: Row) => boolean {
  const rules = rulesFor(db, uid, model);
  if (rules.length === 0) return () => true;
  const companies = allowedCompanies(db, uid);
  return (row) => rules.every((r) => r.test(db, uid, row, companies));
}

/** `check_access('read')` on records: AccessError (Odoo 17+ wording) for a row a rule hides. */
export function checkRecordAccess(db: OdooDb, uid: number, model: string, ids: readonly number[]): void {
  const rules = rulesFor(db, uid, model);
  if (rules.length === 0) return;
  const companies = allowedCompanies(db, uid);
  const hidden = ids.map((id) => db.get(model, id)).filter((r): r is Row => r !== undefined && !rules.every((rule) => rule.test(db, uid, r, companies)));
  if (hidden.length === 0) return;
  const description = db.model(model)?.description ?? model;
  const user = db.get('res.users', uid);
  const userName = typeof user?.partner_id === 'number' ? db.displayName('res.partner', user.partner_id) : String(user?.login ?? uid);
  const head = `Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, ${userName} (id=${uid}) doesn't have 'read' access to:`;
  const cookies = 'If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.';
  if (!hasGroup(db, uid, 'base.group_no_one')) throw accessError(`${head}\n- ${description} (${model})\n\n${cookies}`);
  const failing = rules.filter((rule) => hidden.some((r) => !rule.test(db, uid, r, companies)));
  const companyRelated = failing.some((r) => r.companyRelated);
  const mine = userCompanies(db, uid);
  const line = (r: Row): string => {
    const company =
      companyRelated && typeof r.company_id === 'number' && mine.includes(r.company_id) ? `, company=${db.displayName('res.company', r.company_id)}` : '';
    return `- ${description}, ${db.displayName(model, r.id)} (${model}: ${r.id}${company})`;
  };
  let blame = `Blame the following rules:\n${failing.map((r) => `- ${r.name}`).join('\n')}`;
  if (companyRelated) blame += '\n\nNote: this might be a multi-company issue. Switching company may help - in Odoo, not in real life!';
  throw accessError(`${head}\n${hidden.slice(0, 6).map(line).join('\n')}\n\n${blame}\n\n${cookies}`);
}

/** A company-dependent raw value for the current company (`{ companyId | '*': value }` or a plain value for all). */
export function companyValue(raw: unknown, company: number): unknown {
  if (!isRecord(raw)) return raw;
  return raw[String(company)] ?? raw['*'];
}

/** The raw value after writing `value` for one company. */
export function withCompanyValue(raw: unknown, company: number, value: unknown): Record<string, unknown> {
  const base: Record<string, unknown> = isRecord(raw) ? { ...raw } : raw === undefined || raw === false ? {} : { '*': raw };
  base[String(company)] = value;
  return base;
}
