/** product.product / product.template (Odoo 18: type consu + is_storable) and stock.quant. */
import { bool, char, defineModel, float, int, m2m, m2o, money, sel, text, type ModelDef } from '../fields';
import type { OdooDb, Row } from '../store';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Ids of internal (stock) locations. */
export const internalLocations = (db: OdooDb): Set<number> =>
  new Set(
    db
      .all('stock.location')
      .filter((l) => l.usage === 'internal')
      .map((l) => l.id),
  );

/**
 * The locations quantities are computed for: the context's `location` (id or list) or
 * `warehouse` (its stock location), with their children; all internal locations otherwise.
 */
function contextLocations(db: OdooDb): Set<number> {
  const ctx = db.context;
  const wanted: number[] = [];
  const ids = (v: unknown): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
  wanted.push(...ids(ctx.location));
  for (const w of ids(ctx.warehouse)) {
    const stock = db.get('stock.warehouse', w)?.lot_stock_id;
    if (typeof stock === 'number') wanted.push(stock);
  }
  if (wanted.length === 0) return internalLocations(db);
  const out = new Set(wanted);
  let grew = true;
  while (grew) {
    grew = false;
    for (const l of db.all('stock.location')) {
      if (typeof l.location_id === 'number' && out.has(l.location_id) && !out.has(l.id)) {
        out.add(l.id);
        grew = true;
      }
    }
  }
  return out;
}

/** On-hand, reserved, incoming and outgoing quantities of a product (in the context's locations). */
export function productQuantities(db: OdooDb, productId: number): { onHand: number; incoming: number; outgoing: number; reserved: number } {
  const internal = contextLocations(db);
  let onHand = 0;
  for (const q of db.all('stock.quant'))
    if (q.product_id === productId && typeof q.location_id === 'number' && internal.has(q.location_id)) onHand += num(q.quantity);
  let incoming = 0;
  let outgoing = 0;
  let reserved = 0;
  for (const m of db.all('stock.move')) {
    if (m.product_id !== productId || m.state === 'done' || m.state === 'cancel' || m.state === 'draft') continue;
    const fromInternal = typeof m.location_id === 'number' && internal.has(m.location_id);
    const toInternal = typeof m.location_dest_id === 'number' && internal.has(m.location_dest_id);
    if (fromInternal && !toInternal) {
      outgoing += num(m.product_uom_qty);
      reserved += num(m.quantity);
    } else if (!fromInternal && toInternal) incoming += num(m.product_uom_qty);
  }
  return { onHand, incoming, outgoing, reserved };
}

/** Tracked in stock: Odoo 18+ `consu` + `is_storable`, Odoo 17 type `product`. */
export const isStorable = (row: Row | undefined): boolean =>
  row !== undefined && ((row.type === 'consu' && row.is_storable === true) || row.type === 'product');
const isGoods = isStorable;

const productFields = {
  name: char('Name', { required: true }),
  default_code: char('Internal Reference'),
  barcode: char('Barcode'),
  description_sale: text('Sales Description'),
  type: sel(
    'Product Type',
    [
      ['consu', 'Goods'],
      ['service', 'Service'],
      ['combo', 'Combo'],
    ],
    { default: 'consu' },
  ),
  is_storable: bool('Track Inventory', { default: false }),
  invoice_policy: sel(
    'Invoicing Policy',
    [
      ['order', 'Ordered quantities'],
      ['delivery', 'Delivered quantities'],
    ],
    { default: 'order' },
  ),
  list_price: float('Sales Price', { default: 1 }),
  standard_price: float('Cost'),
  uom_id: m2o('uom.uom', 'Unit', { default: 1 }),
  uom_po_id: m2o('uom.uom', 'Purchase Unit', { default: 1 }),
  categ_id: m2o('product.category', 'Product Category', { default: 1 }),
  taxes_id: m2m('account.tax', 'Sales Taxes', { default: [1] }),
  sale_ok: bool('Can be Sold', { default: true }),
  purchase_ok: bool('Can be Purchased', { default: true }),
  active: bool('Active', { default: true }),
  company_id: m2o('res.company', 'Company'),
  currency_id: m2o('res.currency', 'Currency', { compute: (db: OdooDb) => db.valueOf('res.company', 1, 'currency_id') }),
  weight: float('Weight'),
};

const displayProduct = (_db: OdooDb, row: Row): string =>
  typeof row.default_code === 'string' && row.default_code ? `[${row.default_code}] ${String(row.name)}` : String(row.name);

export const productModels: ModelDef[] = [
  defineModel({
    name: 'product.product',
    description: 'Product Variant',
    order: 'default_code, name, id',
    displayName: displayProduct,
    fields: {
      ...productFields,
      product_tmpl_id: m2o('product.template', 'Product Template', {
        required: true,
        compute: (_db, row) => (typeof row.product_tmpl_id === 'number' ? row.product_tmpl_id : row.id),
      }),
      lst_price: float('Sales Price', { compute: (_db, row) => num(row.list_price) }),
      qty_available: float('Quantity On Hand', { compute: (db, row) => (isGoods(row) ? productQuantities(db, row.id).onHand : 0) }),
      virtual_available: float('Forecasted Quantity', {
        compute: (db, row) => {
          if (!isGoods(row)) return 0;
          const q = productQuantities(db, row.id);
          return q.onHand + q.incoming - q.outgoing;
        },
      }),
      free_qty: float('Free To Use Quantity ', {
        compute: (db, row) => {
          if (!isGoods(row)) return 0;
          const q = productQuantities(db, row.id);
          return q.onHand - q.reserved;
        },
      }),
      incoming_qty: float('Incoming', { compute: (db, row) => (isGoods(row) ? productQuantities(db, row.id).incoming : 0) }),
      outgoing_qty: float('Outgoing', { compute: (db, row) => (isGoods(row) ? productQuantities(db, row.id).outgoing : 0) }),
      product_variant_count: int('# Product Variants', { compute: () => 1 }),
    },
  }),
  defineModel({
    name: 'product.template',
    description: 'Product',
    order: 'is_favorite desc, name',
    displayName: displayProduct,
    fields: { ...productFields, is_favorite: bool('Favorite') },
  }),
  defineModel({
    name: 'stock.quant',
    description: 'Quants',
    order: 'id',
    displayName: (db, row) =>
      typeof row.location_id === 'number'
        ? `${db.displayName('stock.location', row.location_id)} - ${typeof row.product_id === 'number' ? db.displayName('product.product', row.product_id) : ''}`
        : '',
    fields: {
      product_id: m2o('product.product', 'Product', { required: true }),
      location_id: m2o('stock.location', 'Location', { required: true }),
      quantity: float('Quantity', { readonly: true }),
      reserved_quantity: float('Reserved Quantity', { readonly: true }),
      inventory_quantity: float('Counted Quantity'),
      inventory_diff_quantity: float('Difference', {
        compute: (_db, row) => (row.inventory_quantity_set === true ? num(row.inventory_quantity) - num(row.quantity) : 0),
      }),
      inventory_quantity_set: bool('Inventory Quantity Set'),
      inventory_date: char('Scheduled Date'),
      company_id: m2o('res.company', 'Company', { default: 1 }),
      product_uom_id: m2o('uom.uom', 'Unit', { default: 1 }),
      value: money('Value', {
        compute: (db, row) => num(row.quantity) * num(typeof row.product_id === 'number' ? db.valueOf('product.product', row.product_id, 'standard_price') : 0),
      }),
    },
  }),
];
