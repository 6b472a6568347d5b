/** stock.picking and stock.move (Odoo 18: `quantity` + `picked`, `move_ids`, `return_id`). */
import { bool, char, datetime, defineModel, float, html, int, m2o, o2m, sel, type ModelDef } from '../fields';

const PICKING_STATES = [
  ['draft', 'Draft'],
  ['waiting', 'Waiting Another Operation'],
  ['confirmed', 'Waiting'],
  ['assigned', 'Ready'],
  ['done', 'Done'],
  ['cancel', 'Cancelled'],
] as const;
const MOVE_STATES = [
  ['draft', 'New'],
  ['waiting', 'Waiting Another Move'],
  ['confirmed', 'Waiting Availability'],
  ['partially_available', 'Partially Available'],
  ['assigned', 'Available'],
  ['done', 'Done'],
  ['cancel', 'Cancelled'],
] as const;

export const stockModels: ModelDef[] = [
  defineModel({
    name: 'stock.picking',
    description: 'Transfer',
    order: 'priority desc, scheduled_date asc, id desc',
    fields: {
      name: char('Reference', { readonly: true }),
      origin: char('Source Document'),
      note: html('Notes'),
      state: sel('Status', PICKING_STATES, { readonly: true, default: 'draft' }),
      priority: sel(
        'Priority',
        [
          ['0', 'Normal'],
          ['1', 'Urgent'],
        ],
        { default: '0' },
      ),
      picking_type_id: m2o('stock.picking.type', 'Operation Type', { required: true }),
      picking_type_code: sel(
        'Type of Operation',
        [
          ['incoming', 'Receipt'],
          ['outgoing', 'Delivery'],
          ['internal', 'Internal Transfer'],
        ],
        { compute: (db, row) => (typeof row.picking_type_id === 'number' ? db.valueOf('stock.picking.type', row.picking_type_id, 'code') : false) },
      ),
      partner_id: m2o('res.partner', 'Contact'),
      location_id: m2o('stock.location', 'Source Location', { required: true }),
      location_dest_id: m2o('stock.location', 'Destination Location', { required: true }),
      scheduled_date: datetime('Scheduled Date'),
      date_deadline: datetime('Deadline'),
      date_done: datetime('Date of Transfer', { readonly: true }),
      move_ids: o2m('stock.move', 'picking_id', 'Stock Moves'),
      move_ids_without_package: o2m('stock.move', 'picking_id', 'Stock moves not in package'),
      backorder_id: m2o('stock.picking', 'Back Order of'),
      backorder_ids: o2m('stock.picking', 'backorder_id', 'Back Orders'),
      return_id: m2o('stock.picking', 'Return of'),
      return_ids: o2m('stock.picking', 'return_id', 'Returns'),
      return_count: int('# Returns', { compute: (db, row) => db.all('stock.picking').filter((p) => p.return_id === row.id).length }),
      sale_id: m2o('sale.order', 'Sales Order'),
      group_id: m2o('procurement.group', 'Procurement Group'),
      company_id: m2o('res.company', 'Company', { default: 1 }),
      user_id: m2o('res.users', 'Responsible', { default: 2 }),
      move_type: sel(
        'Shipping Policy',
        [
          ['direct', 'As soon as possible'],
          ['one', 'When all products are ready'],
        ],
        { default: 'direct' },
      ),
      is_locked: bool('Is Locked', { default: true }),
      products_availability: char('Product Availability', { compute: (_db, row) => (row.state === 'assigned' ? 'Available' : false) }),
    },
  }),
  defineModel({
    name: 'stock.move',
    description: 'Stock Move',
    order: 'sequence, id',
    displayName: (db, row) => {
      const picking = typeof row.picking_id === 'number' ? db.get('stock.picking', row.picking_id) : undefined;
      const code = typeof row.product_id === 'number' ? db.valueOf('product.product', row.product_id, 'default_code') : false;
      const loc = (id: unknown): string => String(typeof id === 'number' ? db.valueOf('stock.location', id, 'name') : '');
      return `${typeof picking?.origin === 'string' && picking.origin ? `${picking.origin}/` : ''}${typeof code === 'string' && code ? `${code}: ` : ''}${loc(row.location_id)}>${loc(row.location_dest_id)}`;
    },
    fields: {
      name: char('Description'),
      reference: char('Reference', {
        compute: (db, row) => (typeof row.picking_id === 'number' ? db.valueOf('stock.picking', row.picking_id, 'name') : row.name),
      }),
      origin: char('Source Document'),
      sequence: int('Sequence', { default: 10 }),
      product_id: m2o('product.product', 'Product', { required: true }),
      product_uom_qty: float('Demand', { default: 0 }),
      quantity: float('Quantity'),
      picked: bool('Picked', { default: false }),
      product_uom: m2o('uom.uom', 'Unit', { default: 1 }),
      state: sel('Status', MOVE_STATES, { readonly: true, default: 'draft' }),
      picking_id: m2o('stock.picking', 'Transfer'),
      picking_type_id: m2o('stock.picking.type', 'Operation Type'),
      // related picking_type_id.code (the move's type, else its transfer's)
      picking_code: sel(
        'Type of Operation',
        [
          ['incoming', 'Receipt'],
          ['outgoing', 'Delivery'],
          ['internal', 'Internal Transfer'],
        ],
        {
          compute: (db, row) => {
            const type =
              typeof row.picking_type_id === 'number'
                ? row.picking_type_id
                : typeof row.picking_id === 'number'
                  ? db.valueOf('stock.picking', row.picking_id, 'picking_type_id')
                  : false;
            return typeof type === 'number' ? db.valueOf('stock.picking.type', type, 'code') : false;
          },
        },
      ),
      location_id: m2o('stock.location', 'Source Location', { required: true }),
      location_dest_id: m2o('stock.location', 'Destination Location', { required: true }),
      sale_line_id: m2o('sale.order.line', 'Sale Line'),
      origin_returned_move_id: m2o('stock.move', 'Origin return move'),
      returned_move_ids: o2m('stock.move', 'origin_returned_move_id', 'All returned moves'),
      to_refund: bool('Update quantities on SO/PO', { default: false }),
      is_inventory: bool('Inventory'),
      date: datetime('Date Scheduled'),
      partner_id: m2o('res.partner', 'Destination Address'),
      company_id: m2o('res.company', 'Company', { default: 1 }),
      group_id: m2o('procurement.group', 'Procurement Group'),
    },
  }),
];
