/** res.partner with Odoo 18 field names; display name and commercial partner as in base/res_partner.py. */
import { moveResidual } from '../calc';
import { bool, char, defineModel, float, html, int, m2m, m2o, money, o2m, sel, type ModelDef } from '../fields';
import { currentCompany } from '../security';
import type { OdooDb, Row } from '../store';

/**
 * `credit`: what the customer owes in the current company (FACTS 15), from the open amounts of
 * its posted invoices and credit notes there.
 */
function partnerCredit(db: OdooDb, row: Row): number {
  const company = currentCompany(db);
  let total = 0;
  for (const m of db.all('account.move')) {
    if (m.state !== 'posted' || (m.company_id ?? 1) !== company || (m.move_type !== 'out_invoice' && m.move_type !== 'out_refund')) continue;
    const partner = typeof m.partner_id === 'number' ? db.get('res.partner', m.partner_id) : undefined;
    if (!partner || commercialPartnerId(db, partner) !== row.id) continue;
    total += (m.move_type === 'out_refund' ? -1 : 1) * moveResidual(db, m);
  }
  return Math.round(total * 100) / 100;
}

/** The commercial entity: the first company up the parent chain, or the top of it. */
export function commercialPartnerId(db: OdooDb, row: Row): number {
  let current: Row = row;
  for (let guard = 0; guard < 32; guard++) {
    if (current.is_company === true || typeof current.parent_id !== 'number') return current.id;
    const parent = db.get('res.partner', current.parent_id);
    if (!parent) return current.id;
    current = parent;
  }
  return current.id;
}

const TYPES = [
  ['contact', 'Contact'],
  ['invoice', 'Invoice Address'],
  ['delivery', 'Delivery Address'],
  ['other', 'Other Address'],
] as const;

/** `address_get`: the first child of the commercial entity of the given type, else the partner itself. */
export function addressOf(db: OdooDb, partnerId: number, type: 'invoice' | 'delivery'): number {
  const row = db.get('res.partner', partnerId);
  if (!row) return partnerId;
  const own = db.all('res.partner').find((p) => p.parent_id === partnerId && p.type === type && p.active !== false);
  if (own) return own.id;
  const commercial = commercialPartnerId(db, row);
  const sibling = db.all('res.partner').find((p) => p.parent_id === commercial && p.type === type && p.active !== false);
  return sibling?.id ?? partnerId;
}

export const partnerModels: ModelDef[] = [
  defineModel({
    name: 'res.partner',
    description: 'Contact',
    order: 'complete_name ASC, id DESC',
    displayName: (db, row) => {
      let name = typeof row.name === 'string' ? row.name : '';
      if (!name && typeof row.type === 'string' && row.type !== 'contact') name = TYPES.find(([k]) => k === row.type)?.[1] ?? '';
      if (typeof row.parent_id === 'number' && row.is_company !== true) {
        const parent = db.get('res.partner', row.parent_id);
        const company = parent ? db.get('res.partner', commercialPartnerId(db, parent)) : undefined;
        const prefix = company?.is_company === true ? company.name : parent?.name;
        if (typeof prefix === 'string' && prefix) name = `${prefix}, ${name}`;
      }
      return name;
    },
    fields: {
      name: char('Name'),
      complete_name: char('Complete Name', { store: true, compute: (db, row) => db.displayName('res.partner', row.id) }),
      ref: char('Reference'),
      email: char('Email'),
      phone: char('Phone'),
      mobile: char('Mobile'),
      website: char('Website Link'),
      vat: char('Tax ID'),
      function: char('Job Position'),
      comment: html('Notes'),
      is_company: bool('Is a Company', { default: false }),
      company_type: sel(
        'Company Type',
        [
          ['person', 'Individual'],
          ['company', 'Company'],
        ],
        { compute: (_db, row) => (row.is_company === true ? 'company' : 'person') },
      ),
      type: sel('Address Type', TYPES, { default: 'contact' }),
      parent_id: m2o('res.partner', 'Related Company'),
      child_ids: o2m('res.partner', 'parent_id', 'Contact'),
      commercial_partner_id: m2o('res.partner', 'Commercial Entity', { readonly: true, store: true, compute: (db, row) => commercialPartnerId(db, row) }),
      commercial_company_name: char('Company Name Entity', {
        compute: (db, row) => {
          const c = db.get('res.partner', commercialPartnerId(db, row));
          return c?.is_company === true ? c.name : false;
        },
      }),
      company_name: char('Company Name'),
      street: char('Street'),
      street2: char('Street2'),
      city: char('City'),
      zip: char('Zip'),
      country_id: m2o('res.country', 'Country'),
      country_code: char('Country Code', {
        compute: (db, row) => (typeof row.country_id === 'number' ? db.valueOf('res.country', row.country_id, 'code') : false),
      }),
      lang: sel('Language', [['en_US', 'English (US)']], { default: 'en_US' }),
      tz: sel('Timezone', [
        ['Europe/Brussels', 'Europe/Brussels'],
        ['UTC', 'UTC'],
      ]),
      active: bool('Active', { default: true }),
      company_id: m2o('res.company', 'Company'),
      user_id: m2o('res.users', 'Salesperson'),
      user_ids: o2m('res.users', 'partner_id', 'Users'),
      bank_ids: o2m('res.partner.bank', 'partner_id', 'Banks'),
      category_id: m2m('res.partner.category', 'Tags'),
      credit_limit: float('Credit Limit'),
      credit: money('Total Receivable', { compute: (db, row) => partnerCredit(db, row) }),
      use_partner_credit_limit: bool('Partner Limit'),
      customer_rank: int('Customer Rank'),
      supplier_rank: int('Supplier Rank'),
      sale_order_ids: o2m('sale.order', 'partner_id', 'Sales Order'),
      sale_order_count: int('Sale Order Count', { compute: (db, row) => db.all('sale.order').filter((o) => o.partner_id === row.id).length }),
      invoice_ids: o2m('account.move', 'partner_id', 'Invoices'),
      total_invoiced: float('Total Invoiced', { compute: () => 0 }),
      employee: bool('Employee'),
    },
  }),
];
