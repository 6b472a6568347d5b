/** The transient models the business flows go through (return, credit note, backorder, invoicing, payment). */
import { bool, char, date, defineModel, float, m2m, m2o, money, o2m, sel, type ModelDef } from '../fields';

export const wizardModels: ModelDef[] = [
  defineModel({
    name: 'stock.return.picking',
    description: 'Return Picking',
    order: 'id',
    recName: 'id',
    transient: true,
    displayName: (_db, row) => `stock.return.picking,${row.id}`,
    fields: {
      picking_id: m2o('stock.picking', 'Picking'),
      product_return_moves: o2m('stock.return.picking.line', 'wizard_id', 'Moves'),
      location_id: m2o('stock.location', 'Return Location'),
      company_id: m2o('res.company', 'Company', { default: 1 }),
    },
  }),
  defineModel({
    name: 'stock.return.picking.line',
    description: 'Return Picking Line',
    order: 'id',
    recName: 'product_id',
    transient: true,
    displayName: (db, row) => (typeof row.product_id === 'number' ? db.displayName('product.product', row.product_id) : ''),
    fields: {
      product_id: m2o('product.product', 'Product', { required: true }),
      quantity: float('Quantity', { default: 0 }),
      uom_id: m2o('uom.uom', 'Unit of Measure', { default: 1 }),
      wizard_id: m2o('stock.return.picking', 'Wizard'),
      move_id: m2o('stock.move', 'Move'),
      // related move_id.quantity
      move_quantity: float('Quantity', {
        compute: (db, row) => (typeof row.move_id === 'number' ? (db.valueOf('stock.move', row.move_id, 'quantity') ?? 0) : 0),
      }),
      to_refund: bool('Update quantities on SO/PO', { default: true }),
    },
  }),
  defineModel({
    name: 'account.move.reversal',
    description: 'Account Move Reversal',
    order: 'id',
    recName: 'reason',
    transient: true,
    displayName: (_db, row) => `account.move.reversal,${row.id}`,
    fields: {
      move_ids: m2m('account.move', 'Move'),
      new_move_ids: m2m('account.move', 'New Move'),
      reason: char('Reason displayed on Credit Note'),
      date: date('Reversal date', { required: true }),
      journal_id: m2o('account.journal', 'Journal', { required: true }),
      company_id: m2o('res.company', 'Company', { default: 1 }),
    },
  }),
  defineModel({
    name: 'stock.backorder.confirmation',
    description: 'Backorder Confirmation',
    order: 'id',
    recName: 'id',
    transient: true,
    displayName: (_db, row) => `stock.backorder.confirmation,${row.id}`,
    fields: { pick_ids: m2m('stock.picking', 'Pick'), show_transfers: bool('Show Transfers') },
  }),
  defineModel({
    name: 'sale.advance.payment.inv',
    description: 'Sales Advance Payment Invoice',
    order: 'id',
    recName: 'id',
    transient: true,
    displayName: (_db, row) => `sale.advance.payment.inv,${row.id}`,
    fields: {
      advance_payment_method: sel(
        'Create Invoice',
        [
          ['delivered', 'Regular invoice'],
          ['percentage', 'Down payment (percentage)'],
          ['fixed', 'Down payment (fixed amount)'],
        ],
        { default: 'delivered' },
      ),
      sale_order_ids: m2m('sale.order', 'Sale Order'),
      amount: float('Down Payment'),
      fixed_amount: money('Down Payment Amount (Fixed)'),
      consolidated_billing: bool('Consolidated Billing', { default: true }),
    },
  }),
  defineModel({
    name: 'account.payment.register',
    description: 'Pay',
    order: 'id',
    recName: 'communication',
    transient: true,
    displayName: (_db, row) => `account.payment.register,${row.id}`,
    fields: {
      amount: money('Amount'),
      payment_date: date('Payment Date', { required: true }),
      communication: char('Memo'),
      journal_id: m2o('account.journal', 'Journal', { default: 6 }),
      partner_id: m2o('res.partner', 'Customer/Vendor'),
      currency_id: m2o('res.currency', 'Currency'),
      line_ids: m2m('account.move', 'Invoices'),
      payment_type: sel(
        'Payment Type',
        [
          ['outbound', 'Send'],
          ['inbound', 'Receive'],
        ],
        { default: 'inbound' },
      ),
      group_payment: bool('Group Payments', { default: true }),
    },
  }),
];
