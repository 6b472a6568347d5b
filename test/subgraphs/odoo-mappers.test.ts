import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import type { OdooRecord } from '../../subgraphs/odoo/client';
import { pickByEmail } from '../../subgraphs/odoo/loaders';
import {
  dateIn,
  isoDate,
  isoDateTime,
  termEnd,
  toDelivery,
  toEntitlement,
  toInvoice,
  toOrder,
  toOrderLine,
  toProduct,
  UnknownSelectionError,
} from '../../subgraphs/odoo/mappers';
import { ODOO_POLICY } from '../../subgraphs/odoo/permissions';
import { toOdooId } from '../../subgraphs/odoo/resolvers';
import { nonNullFieldPaths } from '../../subgraphs/kit/server';
import { typeDefs } from '../../subgraphs/odoo/typeDefs';

// Shapes copied from the real Odoo 18 answers in /work/shared/fixtures/odoo.
const ORDER: OdooRecord = {
  id: 1,
  name: 'S00001',
  state: 'sale',
  partner_id: [8, 'Ærøskøbing Trading ApS, Zoë Ærøskøbing-Müller 山田'],
  order_line: [1, 2],
  amount_untaxed: 700.0,
  amount_total: 805.0,
  currency_id: [1, 'USD'],
  date_order: '2026-11-23 12:47:06',
  invoice_status: 'no',
  invoice_ids: [1],
  picking_ids: [2, 1],
  margin: 300.0,
  margin_percent: 0.42857142857142855,
  client_order_ref: 'PO-ÆØÅ-42',
  locked: false,
};

describe('Odoo mappers', () => {
  it('should turn Odoo datetimes (UTC, no zone) into ISO-8601 with Z and keep dates', () => {
    expect(isoDateTime('2026-11-23 12:47:06')).toBe('2026-11-23T12:47:06Z');
    expect(isoDateTime(false)).toBeNull();
    expect(isoDate('2026-12-23')).toBe('2026-12-23');
    expect(isoDate(false)).toBeNull();
  });

  it('should map a sale.order: enums, money with the record currency, many2one ids, false as null', () => {
    const order = toOrder(ORDER);
    expect(order).toMatchObject({
      id: '1',
      name: 'S00001',
      state: 'SALES_ORDER',
      orderedAt: '2026-11-23T12:47:06Z',
      customerId: 8,
      lineIds: [1, 2],
      deliveryIds: [2, 1],
      amountTotal: { amount: 805, currencyCode: 'USD' },
      invoiceStatus: 'NOTHING_TO_INVOICE',
      clientOrderRef: 'PO-ÆØÅ-42',
      locked: false,
    });
    expect(toOrder({ ...ORDER, client_order_ref: false, invoice_status: 'to invoice' })).toMatchObject({ clientOrderRef: null, invoiceStatus: 'TO_INVOICE' });
  });

  it('should refuse a selection value it does not know instead of guessing', () => {
    expect(() => toOrder({ ...ORDER, state: 'done' })).toThrow(UnknownSelectionError);
  });

  it('should map invoices, credit notes and overdue', () => {
    const inv: OdooRecord = {
      id: 1,
      name: 'INV/2026/00001',
      move_type: 'out_invoice',
      state: 'posted',
      payment_state: 'partial',
      amount_total: 632.5,
      amount_residual: 532.5,
      currency_id: [1, 'USD'],
      partner_id: [8, 'x'],
      invoice_date: '2026-11-23',
      invoice_date_due: '2026-11-23',
      invoice_origin: 'S00001',
    };
    expect(toInvoice(inv, '2026-11-24')).toMatchObject({
      number: 'INV/2026/00001',
      kind: 'INVOICE',
      state: 'POSTED',
      paymentState: 'PARTIAL',
      overdue: true,
      origin: 'S00001',
    });
    expect(toInvoice(inv, '2026-11-23').overdue).toBe(false);
    expect(toInvoice({ ...inv, move_type: 'out_refund', name: false, state: 'draft' }, '2027-01-01')).toMatchObject({
      kind: 'CREDIT_NOTE',
      number: null,
      overdue: false,
    });
  });

  it('should give a credit note negative amounts, as Odoo signs them (amount_total itself is positive: FACTS 32)', () => {
    const note: OdooRecord = {
      id: 3,
      name: 'RINV/2026/00001',
      move_type: 'out_refund',
      state: 'posted',
      payment_state: 'not_paid',
      amount_total: 28.75,
      amount_residual: 28.75,
      currency_id: [1, 'USD'],
    };
    expect(toInvoice(note)).toMatchObject({ amountTotal: { amount: -28.75, currencyCode: 'USD' }, amountResidual: { amount: -28.75, currencyCode: 'USD' } });
    expect(toInvoice({ ...note, amount_residual: 0, payment_state: 'paid' }).amountResidual.amount).toBe(0);
    expect(toInvoice({ ...note, move_type: 'out_invoice' }).amountTotal.amount).toBe(28.75);
  });

  it('should compute "today" and confirmation days in the company time zone, and plan terms by calendar month', () => {
    const lateEvening = new Date('2026-11-30T23:30:00Z');
    expect(dateIn(null, lateEvening)).toBe('2026-11-30');
    expect(dateIn('Europe/Copenhagen', lateEvening)).toBe('2026-12-01');
    expect(dateIn('America/Chicago', new Date('2026-12-01T03:00:00Z'))).toBe('2026-11-30');
    expect(dateIn('Not/AZone', lateEvening)).toBe('2026-11-30');
    expect(dateIn('Not/AZone', lateEvening)).toBe('2026-11-30'); // the unknown zone, remembered
    expect(dateIn('Europe/Copenhagen', new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01'); // summer time, same formatter
    expect(termEnd('2026-01-15', 12)).toBe('2027-01-14');
    expect(termEnd('2026-01-31', 1)).toBe('2026-02-27');
    expect(termEnd('2024-02-29', 12)).toBe('2025-02-27');
  });

  it('should derive an entitlement from the plan and the confirmation day, or from custom fields where set', () => {
    const line: OdooRecord = { id: 9, order_id: [4, 'S00004'], product_id: [21, 'Support'], state: 'sale' };
    const plan = { tier: 'premium', termMonths: 12 } as const;
    expect(toEntitlement(line, plan, '2026-02-01', '2026-11-30')).toMatchObject({
      startsOn: '2026-02-01',
      endsOn: '2027-01-31',
      active: true,
      planTier: 'PREMIUM',
    });
    expect(toEntitlement(line, plan, '2025-02-01', '2026-11-30')).toMatchObject({ endsOn: '2026-01-31', active: false });
    const custom = { ...line, x_entitlement_start: '2026-06-01', x_entitlement_end: '2026-06-30' };
    expect(toEntitlement(custom, plan, '2026-02-01', '2026-11-30')).toMatchObject({ startsOn: '2026-06-01', endsOn: '2026-06-30', active: false });
    expect(toEntitlement({ ...line, x_entitlement_start: false }, undefined, '2026-02-01', '2026-11-30')).toMatchObject({
      startsOn: null,
      endsOn: null,
      planTier: null,
    });
  });

  it('should map pickings, lines and products', () => {
    const picking: OdooRecord = {
      id: 2,
      name: 'WH/OUT/00002',
      state: 'assigned',
      picking_type_code: 'outgoing',
      scheduled_date: '2026-11-23 12:47:06',
      date_done: false,
      origin: 'S00001',
      sale_id: [1, 'S00001'],
      carrier_tracking_ref: false,
    };
    expect(toDelivery(picking, new Date('2026-12-01T00:00:00Z'))).toMatchObject({
      kind: 'OUTGOING',
      state: 'READY',
      doneDate: null,
      late: true,
      orderId: 1,
      trackingRef: null,
    });
    // Return and vendor receipt share picking_type_code "incoming": return_id tells them apart (FACTS 29).
    expect(toDelivery({ ...picking, picking_type_code: 'incoming', state: 'done', return_id: [1, 'WH/OUT/00001'] })).toMatchObject({
      kind: 'RETURN',
      returnOfId: 1,
    });
    expect(toDelivery({ ...picking, picking_type_code: 'incoming', state: 'done', return_id: false }).kind).toBe('RECEIPT');
    const line: OdooRecord = {
      id: 2,
      order_id: [1, 'S00001'],
      name: '[SRV-001] Consulting hour',
      product_id: [2, 'x'],
      product_uom_qty: 5,
      qty_delivered: 0,
      qty_invoiced: 5,
      price_unit: 100,
      discount: 10,
      price_subtotal: 450,
      margin: 150,
      currency_id: [1, 'USD'],
      display_type: false,
    };
    expect(toOrderLine(line)).toMatchObject({
      productId: 2,
      quantity: 5,
      discountPercent: 10,
      subtotal: { amount: 450, currencyCode: 'USD' },
      isDisplayOnly: false,
    });
    const product: OdooRecord = {
      id: 1,
      name: 'Widget Ω',
      default_code: 'WID-001',
      type: 'consu',
      is_storable: true,
      qty_available: 96,
      virtual_available: 90,
      lst_price: 25,
      standard_price: 10,
      currency_id: [1, 'USD'],
      x_support_tier: false,
    };
    expect(toProduct(product)).toMatchObject({
      sku: 'WID-001',
      kind: 'STORABLE',
      inStock: true,
      qtyForecast: 90,
      cost: { amount: 10, currencyCode: 'USD' },
      supportTier: null,
    });
    expect(toProduct({ ...product, qty_available: 0 }).inStock).toBe(false);
    expect(toProduct({ ...product, type: 'service', is_storable: false, x_support_tier: 'premium' })).toMatchObject({
      kind: 'SERVICE',
      inStock: true,
      supportTier: 'PREMIUM',
    });
  });

  it('should pick an active partner, then a company, then a top-level partner, then the lowest id for a shared email', () => {
    const person = (id: number, parent: number | false = false): OdooRecord => ({ id, is_company: false, parent_id: parent === false ? false : [parent, 'p'] });
    expect(pickByEmail([person(11), { id: 12, is_company: true, parent_id: false }, person(5, 3)])?.id).toBe(12);
    expect(pickByEmail([person(11), { id: 12, is_company: true, parent_id: false, active: false }])?.id).toBe(11);
    expect(pickByEmail([{ id: 12, is_company: true, parent_id: false, active: false }])?.id).toBe(12);
    expect(pickByEmail([person(5, 3), person(11), person(10)])?.id).toBe(10);
    expect(pickByEmail([])).toBeUndefined();
  });

  it('should accept only Odoo ids (1 to 2^31-1) as ids', () => {
    expect(toOdooId('42')).toBe(42);
    for (const bad of ['0', '-1', '01', '1.5', 'abc', '', ' 4', '2147483648', '99999999999']) expect(toOdooId(bad)).toBeNull();
  });
});

describe('Odoo schema and policy', () => {
  it('should parse, and give every type and field it owns a description', () => {
    const doc = parse(typeDefs.loc?.source.body ?? '');
    const missing: string[] = [];
    // Ticket is the support desk's entity: its own descriptions live there; the supergraph test checks the result.
    const ownedElsewhere = new Set(['Ticket']);
    for (const def of doc.definitions) {
      if (!('name' in def) || !def.name || ownedElsewhere.has(def.name.value)) continue;
      if (!('description' in def) || !def.description) missing.push(def.name.value);
      if ('fields' in def) for (const f of def.fields ?? []) if (!f.description) missing.push(`${def.name.value}.${f.name.value}`);
      if ('values' in def) for (const v of def.values ?? []) if (!v.description) missing.push(`${def.name.value}.${v.name.value}`);
    }
    expect(missing).toEqual([]);
  });

  it('should cover every object type in the policy, and keep every field narrower than its default nullable', () => {
    const objectTypes = typeDefs.definitions.filter((d) => d.kind === 'ObjectTypeDefinition').map((d) => ('name' in d && d.name ? d.name.value : ''));
    expect(objectTypes.filter((t) => !(t in ODOO_POLICY))).toEqual([]);
    const nonNull = nonNullFieldPaths(typeDefs);
    const restricted = Object.entries(ODOO_POLICY).flatMap(([type, p]) => Object.keys(p.fields ?? {}).map((f) => `${type}.${f}`));
    expect(restricted.length).toBeGreaterThan(0);
    expect(restricted.filter((path) => nonNull.has(path))).toEqual([]);
  });
});
