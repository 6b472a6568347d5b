/** account.move (invoices, credit notes, payment entries), its lines, payments and reconciliations. */
import { bool, char, date, defineModel, float, int, m2m, m2o, money, o2m, sel, text, type ModelDef } from '../fields';
import type { OdooDb, Row } from '../store';
import { isInvoice, moveAmounts, movePaymentState, moveResidual, partialsOf, round2 } from '../calc';
import { commercialPartnerId } from './partner';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const TYPE_NAMES: Record<string, string> = {
  entry: 'Journal Entry',
  out_invoice: 'Invoice',
  out_refund: 'Credit Note',
  in_invoice: 'Vendor Bill',
  in_refund: 'Vendor Credit Note',
  out_receipt: 'Sales Receipt',
  in_receipt: 'Purchase Receipt',
};

/** `_get_move_display_name(show_ref=True)`. */
function moveDisplayName(_db: OdooDb, row: Row): string {
  let name = typeof row.name === 'string' && row.name && row.name !== '/' ? row.name : `Draft ${TYPE_NAMES[String(row.move_type)] ?? 'Entry'} (* ${row.id})`;
  if (typeof row.ref === 'string' && row.ref) name += ` (${row.ref.slice(0, 50)}${row.ref.length > 50 ? '...' : ''})`;
  return name;
}

function currencyLabel(db: OdooDb, currencyId: unknown, amount: number): string {
  const c = typeof currencyId === 'number' ? db.get('res.currency', currencyId) : undefined;
  const symbol = typeof c?.symbol === 'string' ? c.symbol : '';
  const text = amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return c?.position === 'after' ? `${text}\u00a0${symbol}` : `${symbol}\u00a0${text}`;
}

/** `invoice_payments_widget`: what paid the invoice (payments and credit notes), or false. */
function paymentsWidget(db: OdooDb, move: Row): unknown {
  if (!isInvoice(move) || move.state !== 'posted') return false;
  const partials = partialsOf(db, move.id).sort((a, b) => a.id - b.id);
  if (partials.length === 0) return false;
  return {
    title: 'Less Payment',
    outstanding: false,
    content: partials.map((p) => {
      const otherId = p.debit_move_id === move.id ? num(p.credit_move_id) : num(p.debit_move_id);
      const other = db.get('account.move', otherId);
      const payment = db.all('account.payment').find((x) => x.move_id === otherId);
      const journal = other && typeof other.journal_id === 'number' ? db.displayName('account.journal', other.journal_id) : false;
      return {
        name: payment ? `Manual Payment: ${String(move.name)}` : false,
        journal_name: journal,
        company_name: false,
        amount: num(p.amount),
        currency_id: num(move.currency_id),
        date: String(p.max_date ?? other?.date ?? ''),
        partial_id: p.id,
        account_payment_id: payment ? payment.id : false,
        payment_method_name: payment ? 'Manual Payment' : false,
        move_id: otherId,
        ref: other ? moveDisplayName(db, other) : '',
        is_exchange: false,
        amount_company_currency: currencyLabel(db, move.currency_id, other ? moveAmounts(db, other).total : num(p.amount)),
        amount_foreign_currency: false,
      };
    }),
  };
}

export const accountModels: ModelDef[] = [
  defineModel({
    name: 'account.move',
    description: 'Journal Entry',
    order: 'date desc, name desc, invoice_date desc, id desc',
    displayName: moveDisplayName,
    fields: {
      name: char('Number', { readonly: true }),
      ref: char('Reference'),
      move_type: sel('Type', Object.entries(TYPE_NAMES), { required: true, default: 'entry' }),
      state: sel(
        'Status',
        [
          ['draft', 'Draft'],
          ['posted', 'Posted'],
          ['cancel', 'Cancelled'],
        ],
        { required: true, readonly: true, default: 'draft' },
      ),
      date: date('Date', { required: true }),
      invoice_date: date('Invoice/Bill Date'),
      invoice_date_due: date('Due Date'),
      partner_id: m2o('res.partner', 'Partner'),
      commercial_partner_id: m2o('res.partner', 'Commercial Entity', {
        compute: (db, row) => {
          const p = typeof row.partner_id === 'number' ? db.get('res.partner', row.partner_id) : undefined;
          return p ? commercialPartnerId(db, p) : false;
        },
      }),
      partner_shipping_id: m2o('res.partner', 'Delivery Address'),
      currency_id: m2o('res.currency', 'Currency', { required: true }),
      company_currency_id: m2o('res.currency', 'Company Currency', {
        compute: (db, row) => db.valueOf('res.company', typeof row.company_id === 'number' ? row.company_id : 1, 'currency_id'),
      }),
      company_id: m2o('res.company', 'Company', { default: 1 }),
      journal_id: m2o('account.journal', 'Journal', { required: true, default: 1 }),
      invoice_origin: char('Origin'),
      payment_reference: char('Payment Reference'),
      narration: text('Terms and Conditions'),
      invoice_user_id: m2o('res.users', 'Salesperson', { default: 2 }),
      invoice_payment_term_id: m2o('account.payment.term', 'Payment Terms'),
      invoice_line_ids: o2m('account.move.line', 'move_id', 'Invoice lines'),
      line_ids: o2m('account.move.line', 'move_id', 'Journal Items'),
      amount_untaxed: money('Untaxed Amount', { readonly: true, store: true, compute: (db, row) => moveAmounts(db, row).untaxed }),
      amount_tax: money('Tax', { readonly: true, store: true, compute: (db, row) => moveAmounts(db, row).tax }),
      amount_total: money('Total', { readonly: true, store: true, compute: (db, row) => moveAmounts(db, row).total }),
      amount_residual: money('Amount Due', { readonly: true, store: true, compute: (db, row) => moveResidual(db, row) }),
      amount_untaxed_signed: money('Untaxed Amount Signed', { compute: (db, row) => (row.move_type === 'out_refund' ? -1 : 1) * moveAmounts(db, row).untaxed }),
      amount_total_signed: money('Total Signed', { compute: (db, row) => (row.move_type === 'out_refund' ? -1 : 1) * moveAmounts(db, row).total }),
      amount_residual_signed: money('Amount Due Signed', { compute: (db, row) => (row.move_type === 'out_refund' ? -1 : 1) * moveResidual(db, row) }),
      payment_state: sel(
        'Payment Status',
        [
          ['not_paid', 'Not Paid'],
          ['in_payment', 'In Payment'],
          ['paid', 'Paid'],
          ['partial', 'Partially Paid'],
          ['reversed', 'Reversed'],
          ['blocked', 'Blocked'],
          ['invoicing_legacy', 'Invoicing App Legacy'],
        ],
        { readonly: true, store: true, compute: (db, row) => movePaymentState(db, row) },
      ),
      reversed_entry_id: m2o('account.move', 'Reversal of'),
      reversal_move_ids: o2m('account.move', 'reversed_entry_id', 'Reversal Move'),
      origin_payment_id: m2o('account.payment', 'Payment', { compute: (db, row) => db.all('account.payment').find((p) => p.move_id === row.id)?.id ?? false }),
      matched_payment_ids: m2m('account.payment', 'Matched Payments', {
        compute: (db, row) =>
          partialsOf(db, row.id)
            .map((p) => (p.debit_move_id === row.id ? p.credit_move_id : p.debit_move_id))
            .map((id) => db.all('account.payment').find((x) => x.move_id === id)?.id)
            .filter((x): x is number => typeof x === 'number'),
      }),
      invoice_payments_widget: { type: 'binary', string: 'Invoice Payments Widget', compute: (db, row) => paymentsWidget(db, row) },
      invoice_outstanding_credits_debits_widget: { type: 'binary', string: 'Invoice Outstanding Credits Debits Widget', compute: () => false },
      is_move_sent: bool('Is Move Sent'),
      entry_amount: float('Entry Amount'),
    },
  }),
  defineModel({
    name: 'account.move.line',
    description: 'Journal Item',
    order: 'date desc, move_name desc, id',
    displayName: (db, row) => `${typeof row.move_id === 'number' ? db.displayName('account.move', row.move_id) : ''} ${String(row.name ?? '')}`.trim(),
    fields: {
      move_id: m2o('account.move', 'Journal Entry', { required: true }),
      move_name: char('Number', { compute: (db, row) => (typeof row.move_id === 'number' ? db.valueOf('account.move', row.move_id, 'name') : false) }),
      date: date('Date', { compute: (db, row) => (typeof row.move_id === 'number' ? db.valueOf('account.move', row.move_id, 'date') : false) }),
      name: char('Label'),
      product_id: m2o('product.product', 'Product'),
      quantity: float('Quantity', { default: 1 }),
      price_unit: float('Unit Price'),
      discount: float('Discount (%)'),
      tax_ids: m2m('account.tax', 'Taxes'),
      price_subtotal: money('Subtotal', { compute: (_db, row) => round2(num(row.quantity) * num(row.price_unit) * (1 - num(row.discount) / 100)) }),
      price_total: money('Total', {
        compute: (db, row) => {
          const sub = round2(num(row.quantity) * num(row.price_unit) * (1 - num(row.discount) / 100));
          const rate = (Array.isArray(row.tax_ids) ? row.tax_ids : []).reduce(
            (s: number, id: unknown) => s + num(typeof id === 'number' ? db.get('account.tax', id)?.amount : 0) / 100,
            0,
          );
          return round2(sub * (1 + rate));
        },
      }),
      sale_line_ids: m2m('sale.order.line', 'Sales Order Lines'),
      product_uom_id: m2o('uom.uom', 'Unit', { default: 1 }),
      display_type: sel(
        'Display Type',
        [
          ['product', 'Product'],
          ['cogs', 'Cost of Goods Sold'],
          ['tax', 'Tax'],
          ['payment_term', 'Payment Term'],
          ['line_section', 'Section'],
          ['line_note', 'Note'],
        ],
        { default: 'product' },
      ),
      partner_id: m2o('res.partner', 'Partner', {
        compute: (db, row) => (typeof row.move_id === 'number' ? db.valueOf('account.move', row.move_id, 'partner_id') : false),
      }),
      currency_id: m2o('res.currency', 'Currency', {
        compute: (db, row) => (typeof row.move_id === 'number' ? db.valueOf('account.move', row.move_id, 'currency_id') : false),
      }),
    },
  }),
  defineModel({
    name: 'account.payment',
    description: 'Payments',
    order: 'date desc, name desc',
    fields: {
      name: char('Number', { readonly: true }),
      state: sel(
        'Status',
        [
          ['draft', 'Draft'],
          ['in_process', 'In Process'],
          ['paid', 'Paid'],
          ['canceled', 'Canceled'],
          ['rejected', 'Rejected'],
        ],
        { default: 'draft' },
      ),
      amount: money('Amount'),
      payment_type: sel(
        'Payment Type',
        [
          ['outbound', 'Send'],
          ['inbound', 'Receive'],
        ],
        { default: 'inbound' },
      ),
      partner_type: sel(
        'Partner Type',
        [
          ['customer', 'Customer'],
          ['supplier', 'Vendor'],
        ],
        { default: 'customer' },
      ),
      partner_id: m2o('res.partner', 'Customer/Vendor'),
      move_id: m2o('account.move', 'Journal Entry', { readonly: true }),
      journal_id: m2o('account.journal', 'Journal'),
      currency_id: m2o('res.currency', 'Currency'),
      date: date('Date', { required: true }),
      memo: char('Memo'),
      payment_reference: char('Payment Reference'),
      reconciled_invoice_ids: m2m('account.move', 'Reconciled Invoices', {
        compute: (db, row) =>
          typeof row.move_id === 'number'
            ? partialsOf(db, row.move_id)
                .map((p) => p.debit_move_id)
                .filter((x): x is number => typeof x === 'number')
            : [],
      }),
      reconciled_invoices_count: int('# Reconciled Invoices', {
        compute: (db, row) => (typeof row.move_id === 'number' ? partialsOf(db, row.move_id).length : 0),
      }),
      is_reconciled: bool('Is Reconciled', {
        compute: (db, row) => {
          if (typeof row.move_id !== 'number') return false;
          const done = partialsOf(db, row.move_id).reduce((s, p) => s + num(p.amount), 0);
          return done >= num(row.amount) - 0.000001;
        },
      }),
      is_matched: bool('Is Matched With a Bank Statement', { compute: (_db, row) => row.state === 'paid' }),
      company_id: m2o('res.company', 'Company', { default: 1 }),
    },
  }),
  defineModel({
    name: 'account.partial.reconcile',
    description: 'Partial Reconcile',
    order: 'id',
    recName: 'id',
    displayName: (_db, row) => `account.partial.reconcile,${row.id}`,
    fields: {
      debit_move_id: m2o('account.move', 'Debit Move'),
      credit_move_id: m2o('account.move', 'Credit Move'),
      amount: money('Amount'),
      max_date: date('Max Date of Matched Lines'),
    },
  }),
  defineModel({
    name: 'account.payment.method.line',
    description: 'Payment Methods',
    order: 'sequence, id',
    fields: { name: char('Name'), sequence: int('Sequence', { default: 10 }), journal_id: m2o('account.journal', 'Journal') },
  }),
  defineModel({
    name: 'account.fiscal.position',
    description: 'Fiscal Position',
    order: 'sequence',
    fields: { name: char('Fiscal Position', { required: true }), sequence: int('Sequence') },
  }),
  defineModel({
    name: 'account.analytic.account',
    description: 'Analytic Account',
    order: 'name',
    fields: { name: char('Analytic Account', { required: true }) },
  }),
];
