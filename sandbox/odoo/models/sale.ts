/** sale.order and sale.order.line (sale, sale_stock, sale_margin), every field Odoo 18 reads. */
import { bool, char, date, datetime, defineModel, float, html, inert, int, json, m2m, m2o, money, o2m, sel, text, type ModelDef } from '../fields';
import type { OdooDb, Row } from '../store';
import { commercialPartnerId } from './partner';
import { linesOfOrder, orderAmounts, orderDeliveryStatus, orderInvoiceIds, orderInvoiceStatus, saleLineValues } from '../calc';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const STATES = [
  ['draft', 'Quotation'],
  ['sent', 'Quotation Sent'],
  ['sale', 'Sales Order'],
  ['cancel', 'Cancelled'],
] as const;
const INVOICE_STATUS = [
  ['upselling', 'Upselling Opportunity'],
  ['invoiced', 'Fully Invoiced'],
  ['to invoice', 'To Invoice'],
  ['no', 'Nothing to Invoice'],
] as const;

/** Fields of the installed addons (mail, utm, portal, payment, pdf quote builder...) that the sandbox never sets. */
const INERT_ORDER_FIELDS = {
  campaign_id: inert('many2one', 'campaign_id', 'utm.campaign'),
  source_id: inert('many2one', 'source_id', 'utm.source'),
  medium_id: inert('many2one', 'medium_id', 'utm.medium'),
  activity_ids: inert('one2many', 'activity_ids', 'mail.activity'),
  activity_state: inert('selection', 'activity_state', undefined, [
    ['overdue', 'Overdue'],
    ['today', 'Today'],
    ['planned', 'Planned'],
  ]),
  activity_user_id: inert('many2one', 'activity_user_id', 'res.users'),
  activity_type_id: inert('many2one', 'activity_type_id', 'mail.activity.type'),
  activity_type_icon: inert('char', 'activity_type_icon'),
  activity_date_deadline: inert('date', 'activity_date_deadline'),
  my_activity_date_deadline: inert('date', 'my_activity_date_deadline'),
  activity_summary: inert('char', 'activity_summary'),
  activity_exception_decoration: inert('selection', 'activity_exception_decoration', undefined, [
    ['warning', 'Alert'],
    ['danger', 'Error'],
  ]),
  activity_exception_icon: inert('char', 'activity_exception_icon'),
  message_is_follower: inert('boolean', 'message_is_follower'),
  message_follower_ids: inert('one2many', 'message_follower_ids', 'mail.followers'),
  message_partner_ids: inert('many2many', 'message_partner_ids', 'res.partner'),
  message_ids: inert('one2many', 'message_ids', 'mail.message'),
  has_message: inert('boolean', 'has_message'),
  message_needaction: inert('boolean', 'message_needaction'),
  message_needaction_counter: inert('integer', 'message_needaction_counter'),
  message_has_error: inert('boolean', 'message_has_error'),
  message_has_error_counter: inert('integer', 'message_has_error_counter'),
  message_attachment_count: inert('integer', 'message_attachment_count'),
  website_message_ids: inert('one2many', 'website_message_ids', 'mail.message'),
  message_has_sms_error: inert('boolean', 'message_has_sms_error'),
  access_url: inert('char', 'access_url'),
  access_token: inert('char', 'access_token'),
  access_warning: inert('text', 'access_warning'),
  name: inert('char', 'name'),
  company_id: inert('many2one', 'company_id', 'res.company'),
  partner_id: inert('many2one', 'partner_id', 'res.partner'),
  state: inert('selection', 'state', undefined, [
    ['draft', 'Quotation'],
    ['sent', 'Quotation Sent'],
    ['sale', 'Sales Order'],
    ['cancel', 'Cancelled'],
  ]),
  locked: inert('boolean', 'locked'),
  has_archived_products: inert('boolean', 'has_archived_products'),
  client_order_ref: inert('char', 'client_order_ref'),
  commitment_date: inert('datetime', 'commitment_date'),
  date_order: inert('datetime', 'date_order'),
  origin: inert('char', 'origin'),
  reference: inert('char', 'reference'),
  require_signature: inert('boolean', 'require_signature'),
  require_payment: inert('boolean', 'require_payment'),
  prepayment_percent: inert('float', 'prepayment_percent'),
  signature: inert('binary', 'signature'),
  signed_by: inert('char', 'signed_by'),
  signed_on: inert('datetime', 'signed_on'),
  validity_date: inert('date', 'validity_date'),
  journal_id: inert('many2one', 'journal_id', 'account.journal'),
  note: inert('html', 'note'),
  partner_invoice_id: inert('many2one', 'partner_invoice_id', 'res.partner'),
  partner_shipping_id: inert('many2one', 'partner_shipping_id', 'res.partner'),
  fiscal_position_id: inert('many2one', 'fiscal_position_id', 'account.fiscal.position'),
  payment_term_id: inert('many2one', 'payment_term_id', 'account.payment.term'),
  pricelist_id: inert('many2one', 'pricelist_id', 'product.pricelist'),
  currency_id: inert('many2one', 'currency_id', 'res.currency'),
  currency_rate: inert('float', 'currency_rate'),
  user_id: inert('many2one', 'user_id', 'res.users'),
  team_id: inert('many2one', 'team_id', 'crm.team'),
  order_line: inert('one2many', 'order_line', 'sale.order.line'),
  amount_untaxed: inert('monetary', 'amount_untaxed'),
  amount_tax: inert('monetary', 'amount_tax'),
  amount_total: inert('monetary', 'amount_total'),
  amount_to_invoice: inert('monetary', 'amount_to_invoice'),
  amount_invoiced: inert('monetary', 'amount_invoiced'),
  invoice_count: inert('integer', 'invoice_count'),
  invoice_ids: inert('many2many', 'invoice_ids', 'account.move'),
  invoice_status: inert('selection', 'invoice_status', undefined, [
    ['upselling', 'Upselling Opportunity'],
    ['invoiced', 'Fully Invoiced'],
    ['to invoice', 'To Invoice'],
    ['no', 'Nothing to Invoice'],
  ]),
  transaction_ids: inert('many2many', 'transaction_ids', 'payment.transaction'),
  authorized_transaction_ids: inert('many2many', 'authorized_transaction_ids', 'payment.transaction'),
  amount_paid: inert('float', 'amount_paid'),
  tag_ids: inert('many2many', 'tag_ids', 'crm.tag'),
  amount_undiscounted: inert('float', 'amount_undiscounted'),
  country_code: inert('char', 'country_code'),
  company_price_include: inert('selection', 'company_price_include', undefined, [
    ['tax_included', 'Tax Included'],
    ['tax_excluded', 'Tax Excluded'],
  ]),
  duplicated_order_ids: inert('many2many', 'duplicated_order_ids', 'sale.order'),
  expected_date: inert('datetime', 'expected_date'),
  is_expired: inert('boolean', 'is_expired'),
  partner_credit_warning: inert('text', 'partner_credit_warning'),
  tax_calculation_rounding_method: inert('selection', 'tax_calculation_rounding_method', undefined, [
    ['round_per_line', 'Round per Line'],
    ['round_globally', 'Round Globally'],
  ]),
  tax_country_id: inert('many2one', 'tax_country_id', 'res.country'),
  tax_totals: inert('binary', 'tax_totals'),
  terms_type: inert('selection', 'terms_type', undefined, [
    ['plain', 'Add a Note'],
    ['html', 'Add a link to a Web Page'],
  ]),
  type_name: inert('char', 'type_name'),
  show_update_fpos: inert('boolean', 'show_update_fpos'),
  has_active_pricelist: inert('boolean', 'has_active_pricelist'),
  show_update_pricelist: inert('boolean', 'show_update_pricelist'),
  pending_email_template_id: inert('many2one', 'pending_email_template_id', 'mail.template'),
  sale_order_template_id: inert('many2one', 'sale_order_template_id', 'sale.order.template'),
  sale_order_option_ids: inert('one2many', 'sale_order_option_ids', 'sale.order.option'),
  incoterm: inert('many2one', 'incoterm', 'account.incoterms'),
  incoterm_location: inert('char', 'incoterm_location'),
  picking_policy: inert('selection', 'picking_policy', undefined, [
    ['direct', 'As soon as possible'],
    ['one', 'When all products are ready'],
  ]),
  warehouse_id: inert('many2one', 'warehouse_id', 'stock.warehouse'),
  picking_ids: inert('one2many', 'picking_ids', 'stock.picking'),
  delivery_count: inert('integer', 'delivery_count'),
  delivery_status: inert('selection', 'delivery_status', undefined, [
    ['pending', 'Not Delivered'],
    ['started', 'Started'],
    ['partial', 'Partially Delivered'],
    ['full', 'Fully Delivered'],
  ]),
  procurement_group_id: inert('many2one', 'procurement_group_id', 'procurement.group'),
  effective_date: inert('datetime', 'effective_date'),
  json_popover: inert('char', 'json_popover'),
  show_json_popover: inert('boolean', 'show_json_popover'),
  margin: inert('monetary', 'margin'),
  margin_percent: inert('float', 'margin_percent'),
  available_product_document_ids: inert('many2many', 'available_product_document_ids', 'quotation.document'),
  is_pdf_quote_builder_available: inert('boolean', 'is_pdf_quote_builder_available'),
  quotation_document_ids: inert('many2many', 'quotation_document_ids', 'quotation.document'),
  customizable_pdf_form_fields: inert('json', 'customizable_pdf_form_fields'),
};

export const saleModels: ModelDef[] = [
  defineModel({
    name: 'sale.order',
    description: 'Sales Order',
    order: 'date_order desc, id desc',
    fields: {
      ...INERT_ORDER_FIELDS,
      message_follower_ids: o2m('mail.followers', 'res_id', 'Followers', {
        compute: (db, row) =>
          db
            .all('mail.followers')
            .filter((f) => f.res_model === 'sale.order' && f.res_id === row.id)
            .map((f) => f.id),
      }),
      message_partner_ids: m2m('res.partner', 'Followers (Partners)', {
        compute: (db, row) =>
          db
            .all('mail.followers')
            .filter((f) => f.res_model === 'sale.order' && f.res_id === row.id)
            .map((f) => f.partner_id)
            .filter((p): p is number => typeof p === 'number')
            .sort((a, b) => a - b),
      }),
      message_ids: o2m('mail.message', 'res_id', 'Messages', {
        compute: (db, row) =>
          db
            .all('mail.message')
            .filter((m) => m.model === 'sale.order' && m.res_id === row.id)
            .map((m) => m.id)
            .sort((a, b) => b - a),
      }),
      message_is_follower: bool('Is Follower', {
        compute: (db, row) => db.all('mail.followers').some((f) => f.res_model === 'sale.order' && f.res_id === row.id && f.partner_id === 3),
      }),
      has_message: bool('Has Message', { compute: (db, row) => db.all('mail.message').some((m) => m.model === 'sale.order' && m.res_id === row.id) }),
      access_url: char('Portal Access URL', { compute: (_db, row) => `/my/orders/${row.id}` }),
      access_warning: text('Access warning', { compute: () => '' }),
      name: char('Order Reference', { required: true, readonly: true }),
      company_id: m2o('res.company', 'Company', { required: true, default: 1 }),
      partner_id: m2o('res.partner', 'Customer', { required: true }),
      state: sel('Status', STATES, { readonly: true, default: 'draft' }),
      locked: bool('Locked', { default: false }),
      client_order_ref: char('Customer Reference'),
      commitment_date: datetime('Delivery Date'),
      date_order: datetime('Order Date', { required: true }),
      origin: char('Source Document'),
      reference: char('Payment Ref.'),
      require_signature: bool('Online signature', { default: true }),
      require_payment: bool('Online payment', { default: false }),
      prepayment_percent: float('Prepayment percentage', { default: 1 }),
      validity_date: date('Expiration'),
      note: html('Terms and conditions'),
      partner_invoice_id: m2o('res.partner', 'Invoice Address', { required: true }),
      partner_shipping_id: m2o('res.partner', 'Delivery Address', { required: true }),
      currency_id: m2o('res.currency', 'Currency', { readonly: true }),
      currency_rate: float('Currency Rate', { compute: () => 1 }),
      user_id: m2o('res.users', 'Salesperson', { default: 2 }),
      team_id: m2o('crm.team', 'Sales Team', { default: 1 }),
      order_line: o2m('sale.order.line', 'order_id', 'Order Lines'),
      amount_untaxed: money('Untaxed Amount', { readonly: true, store: true, compute: (db, row) => orderAmounts(db, row.id).untaxed }),
      amount_tax: money('Taxes', { readonly: true, store: true, compute: (db, row) => orderAmounts(db, row.id).tax }),
      amount_total: money('Total', { readonly: true, store: true, compute: (db, row) => orderAmounts(db, row.id).total }),
      amount_undiscounted: float('Amount Before Discount', { compute: (db, row) => orderAmounts(db, row.id).undiscounted }),
      amount_invoiced: money('Already invoiced', {
        compute: (db, row) =>
          orderInvoiceIds(db, row.id).reduce((s, id) => {
            const m = db.get('account.move', id);
            if (!m || m.state === 'cancel') return s;
            const t = num(db.value('account.move', m, 'amount_total'));
            return s + (m.move_type === 'out_refund' ? -t : t);
          }, 0),
      }),
      amount_to_invoice: money('Un-invoiced Balance', {
        compute: (db, row) => {
          if (row.state !== 'sale') return 0;
          let due = 0;
          for (const l of linesOfOrder(db, row.id)) {
            const v = saleLineValues(db, l);
            const qty = num(l.product_uom_qty);
            if (qty && v.toInvoice > 0) due += (v.total / qty) * v.toInvoice;
          }
          return Math.round(due * 100) / 100;
        },
      }),
      amount_paid: float('Payment Transactions Amount', { compute: () => 0 }),
      invoice_count: int('Invoice Count', { compute: (db, row) => orderInvoiceIds(db, row.id).length }),
      invoice_ids: m2m('account.move', 'Invoices', { compute: (db, row) => orderInvoiceIds(db, row.id) }),
      invoice_status: sel('Invoice Status', INVOICE_STATUS, { store: true, readonly: true, compute: (db, row) => orderInvoiceStatus(db, row) }),
      tag_ids: m2m('crm.tag', 'Tags'),
      country_code: char('Country code', { compute: (db) => db.valueOf('res.country', num(db.valueOf('res.company', 1, 'country_id')), 'code') }),
      company_price_include: sel(
        'Default Sales Price Include',
        [
          ['tax_included', 'Tax Included'],
          ['tax_excluded', 'Tax Excluded'],
        ],
        { compute: () => 'tax_excluded' },
      ),
      expected_date: datetime('Expected Date', { compute: (_db, row) => row.commitment_date || row.date_order }),
      is_expired: bool('Is Expired', {
        compute: (db, row) => (row.state === 'draft' || row.state === 'sent') && typeof row.validity_date === 'string' && row.validity_date < db.today(),
      }),
      partner_credit_warning: text('Partner Credit Warning', { compute: () => '' }),
      tax_calculation_rounding_method: sel(
        'Tax calculation rounding method',
        [
          ['round_per_line', 'Round per Line'],
          ['round_globally', 'Round Globally'],
        ],
        { compute: () => 'round_per_line' },
      ),
      tax_country_id: m2o('res.country', 'Tax Country', { compute: (db) => db.valueOf('res.company', 1, 'country_id') }),
      tax_totals: { type: 'binary', string: 'Tax Totals', compute: (db, row) => taxTotals(db, row) },
      terms_type: sel(
        'Terms & Conditions format',
        [
          ['plain', 'Add a Note'],
          ['html', 'Add a link to a Web Page'],
        ],
        { compute: () => 'plain' },
      ),
      type_name: char('Type Name', {
        compute: (_db, row) => (row.state === 'draft' || row.state === 'sent' || row.state === 'cancel' ? 'Quotation' : 'Sales Order'),
      }),
      picking_policy: sel(
        'Shipping Policy',
        [
          ['direct', 'As soon as possible'],
          ['one', 'When all products are ready'],
        ],
        { required: true, default: 'direct' },
      ),
      warehouse_id: m2o('stock.warehouse', 'Warehouse', { required: true, default: 1 }),
      picking_ids: o2m('stock.picking', 'sale_id', 'Transfers'),
      delivery_count: int('Delivery Orders', { compute: (db, row) => db.all('stock.picking').filter((p) => p.sale_id === row.id).length }),
      delivery_status: sel(
        'Delivery Status',
        [
          ['pending', 'Not Delivered'],
          ['started', 'Started'],
          ['partial', 'Partially Delivered'],
          ['full', 'Fully Delivered'],
        ],
        { compute: (db, row) => orderDeliveryStatus(db, row.id) },
      ),
      procurement_group_id: m2o('procurement.group', 'Procurement Group'),
      effective_date: datetime('Effective Date', {
        compute: (db, row) => {
          const done = db
            .all('stock.picking')
            .filter((p) => p.sale_id === row.id && p.state === 'done' && typeof p.date_done === 'string')
            .map((p) => String(p.date_done))
            .sort();
          return done[0] ?? false;
        },
      }),
      json_popover: char('JSON data for the popover widget', { compute: () => '{"popoverTemplate": "sale_stock.DelayAlertWidget", "late_elements": []}' }),
      show_json_popover: bool('Has late picking', { compute: () => false }),
      margin: money('Margin', { store: true, compute: (db, row) => orderAmounts(db, row.id).margin }),
      margin_percent: float('Margin (%)', {
        compute: (db, row) => {
          const a = orderAmounts(db, row.id);
          return a.untaxed ? a.margin / a.untaxed : 0;
        },
      }),
      customizable_pdf_form_fields: json('Customizable PDF Form Fields'),
    },
  }),
  defineModel({
    name: 'sale.order.line',
    description: 'Sales Order Line',
    order: 'order_id, sequence, id',
    displayName: (db, row) => {
      const order = typeof row.order_id === 'number' ? db.get('sale.order', row.order_id) : undefined;
      const partner = order && typeof order.partner_id === 'number' ? db.get('res.partner', order.partner_id) : undefined;
      const commercial = partner ? db.displayName('res.partner', commercialPartnerId(db, partner)) : '';
      return `${String(order?.name ?? '')} - ${String(row.name ?? '').split('\n')[0] ?? ''}${commercial ? ` (${commercial})` : ''}`;
    },
    fields: {
      order_id: m2o('sale.order', 'Order Reference', { required: true }),
      sequence: int('Sequence', { default: 10 }),
      name: text('Description', { required: true }),
      product_id: m2o('product.product', 'Product'),
      product_template_id: m2o('product.template', 'Product Template', { compute: (_db, row) => row.product_id }),
      product_uom_qty: float('Quantity', { default: 1 }),
      product_uom: m2o('uom.uom', 'Unit of Measure', { default: 1 }),
      qty_delivered: float('Delivery Quantity', { store: true, compute: (db, row) => saleLineValues(db, row).delivered }),
      qty_delivered_method: sel(
        'Method to update delivered qty',
        [
          ['manual', 'Manual'],
          ['analytic', 'Analytic From Expenses'],
          ['stock_move', 'Stock Moves'],
        ],
        { compute: (db, row) => (saleLineValues(db, row).goods ? 'stock_move' : 'manual') },
      ),
      qty_invoiced: float('Invoiced Quantity', { store: true, compute: (db, row) => saleLineValues(db, row).invoiced }),
      qty_to_invoice: float('Quantity To Invoice', { store: true, compute: (db, row) => saleLineValues(db, row).toInvoice }),
      price_unit: float('Unit Price'),
      discount: float('Discount (%)'),
      price_subtotal: money('Subtotal', { store: true, compute: (db, row) => saleLineValues(db, row).subtotal }),
      price_tax: float('Total Tax', { store: true, compute: (db, row) => saleLineValues(db, row).tax }),
      price_total: money('Total', { store: true, compute: (db, row) => saleLineValues(db, row).total }),
      price_reduce_taxexcl: money('Price Reduce Tax excl', {
        compute: (db, row) => {
          const v = saleLineValues(db, row);
          return num(row.product_uom_qty) ? v.subtotal / num(row.product_uom_qty) : 0;
        },
      }),
      tax_id: m2m('account.tax', 'Taxes'),
      margin: float('Margin', { store: true, compute: (db, row) => saleLineValues(db, row).margin }),
      margin_percent: float('Margin (%)', {
        compute: (db, row) => {
          const v = saleLineValues(db, row);
          return v.subtotal ? v.margin / v.subtotal : 0;
        },
      }),
      purchase_price: float('Cost'),
      invoice_status: sel('Invoice Status', INVOICE_STATUS, { store: true, compute: (db, row) => saleLineValues(db, row).invoiceStatus }),
      invoice_lines: m2m('account.move.line', 'Invoice Lines', {
        compute: (db, row) =>
          db
            .all('account.move.line')
            .filter((l) => Array.isArray(l.sale_line_ids) && l.sale_line_ids.includes(row.id))
            .map((l) => l.id),
      }),
      display_type: sel('Display Type', [
        ['line_section', 'Section'],
        ['line_note', 'Note'],
      ]),
      move_ids: o2m('stock.move', 'sale_line_id', 'Stock Moves'),
      state: sel('Order Status', STATES, {
        compute: (db, row) => (typeof row.order_id === 'number' ? db.valueOf('sale.order', row.order_id, 'state') : 'draft'),
      }),
      order_partner_id: m2o('res.partner', 'Customer', {
        compute: (db, row) => (typeof row.order_id === 'number' ? db.valueOf('sale.order', row.order_id, 'partner_id') : false),
      }),
      currency_id: m2o('res.currency', 'Currency', {
        compute: (db, row) => (typeof row.order_id === 'number' ? db.valueOf('sale.order', row.order_id, 'currency_id') : false),
      }),
      company_id: m2o('res.company', 'Company', { default: 1 }),
      customer_lead: float('Lead Time'),
    },
  }),
  defineModel({
    name: 'sale.order.cancel',
    description: 'Sales Order Cancel',
    order: 'id',
    recName: 'subject',
    transient: true,
    fields: {
      order_id: m2o('sale.order', 'Sale Order', { required: true }),
      subject: char('Subject'),
      body: html('Contents'),
      template_id: m2o('mail.template', 'Mail Template'),
    },
  }),
];

function taxTotals(db: OdooDb, row: Row): unknown {
  const a = orderAmounts(db, row.id);
  const currency = num(row.currency_id);
  const hasLines = linesOfOrder(db, row.id).length > 0;
  const group = {
    id: 1,
    involved_tax_ids: [1],
    tax_amount_currency: a.tax,
    tax_amount: a.tax,
    base_amount_currency: a.untaxed,
    base_amount: a.untaxed,
    display_base_amount_currency: a.untaxed,
    display_base_amount: a.untaxed,
    group_name: 'Tax 15%',
    group_label: false,
  };
  return {
    currency_id: currency,
    currency_pd: 0.01,
    company_currency_id: currency,
    company_currency_pd: 0.01,
    has_tax_groups: hasLines,
    subtotals: [
      {
        tax_groups: hasLines ? [group] : [],
        tax_amount_currency: a.tax,
        tax_amount: a.tax,
        base_amount_currency: a.untaxed,
        base_amount: a.untaxed,
        name: 'Untaxed Amount',
      },
    ],
    base_amount_currency: a.untaxed,
    base_amount: a.untaxed,
    tax_amount_currency: a.tax,
    tax_amount: a.tax,
    same_tax_base: true,
    total_amount_currency: a.total,
    total_amount: a.total,
  };
}
