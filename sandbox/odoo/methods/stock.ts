/** Deliveries: reservation, validation with or without backorder, returns, inventory adjustments. */
import { userError } from '../errors';
import { internalLocations, isStorable, productQuantities } from '../models/product';
import { ormCreate, ormWrite, toIds } from '../orm';
import type { Row } from '../store';
import { backorderWizardAction, returnAction } from './actions';
import type { Env, ModelBehaviour } from './types';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const pad5 = (n: number): string => String(n).padStart(5, '0');
/** Stock location ids of a fresh Odoo 18 database. */
export const LOCATION = { vendors: 4, customers: 5, stock: 8, inventory: 14 } as const;
export const PICKING_TYPE = { receipts: 1, deliveries: 2 } as const;

const movesOf = (env: Env, pickingId: number): Row[] => env.db.all('stock.move').filter((m) => m.picking_id === pickingId);

/** Next `WH/OUT/00001`-style name for a picking type. */
export function pickingName(env: Env, typeId: number): string {
  const code = env.db.get('stock.picking.type', typeId)?.sequence_code;
  const prefix = `WH/${typeof code === 'string' ? code : 'INT'}/`;
  return `${prefix}${pad5(env.db.nextNumber(prefix))}`;
}

/** Reserves what stock allows and sets move and picking states (`assigned` when anything is reserved, policy direct). */
export function reservePicking(env: Env, pickingId: number): void {
  const internal = internalLocations(env.db);
  const moves = movesOf(env, pickingId).filter((m) => m.state !== 'done' && m.state !== 'cancel');
  for (const m of moves) {
    const demand = num(m.product_uom_qty);
    const fromInternal = typeof m.location_id === 'number' && internal.has(m.location_id);
    const product = typeof m.product_id === 'number' ? env.db.get('product.product', m.product_id) : undefined;
    let qty = num(m.quantity);
    if (!fromInternal || !product || !isStorable(product)) qty = demand;
    else if (qty < demand) {
      const q = productQuantities(env.db, product.id);
      const free = Math.max(0, q.onHand - q.reserved);
      qty += Math.min(free, demand - qty);
    }
    const state = qty >= demand ? 'assigned' : qty > 0 ? 'partially_available' : 'confirmed';
    env.db.update('stock.move', m.id, { quantity: qty, state });
  }
  const states = movesOf(env, pickingId)
    .filter((m) => m.state !== 'cancel')
    .map((m) => m.state);
  const picking = env.db.get('stock.picking', pickingId);
  if (!picking || picking.state === 'done' || picking.state === 'cancel') return;
  const ready = states.some((s) => s === 'assigned' || s === 'partially_available');
  env.db.update('stock.picking', pickingId, { state: states.length === 0 ? 'draft' : ready ? 'assigned' : 'confirmed' });
}

/** Creates a picking with one move per line and reserves it. */
export function createPicking(
  env: Env,
  vals: {
    typeId: number;
    from: number;
    to: number;
    partnerId: number | false;
    origin: string | false;
    scheduled: string;
    saleId?: number;
    groupId?: number;
    returnId?: number;
    backorderId?: number;
  },
  lines: Array<{ productId: number; qty: number; saleLineId?: number; returnedMoveId?: number; toRefund?: boolean; name?: string }>,
): number {
  // the company of what it comes from: the order, or the picking it returns or continues
  const source = vals.saleId !== undefined ? env.db.get('sale.order', vals.saleId) : env.db.get('stock.picking', vals.returnId ?? vals.backorderId ?? 0);
  const companyId = typeof source?.company_id === 'number' ? source.company_id : 1;
  const [pickingId] = ormCreate(env, 'stock.picking', [
    {
      company_id: companyId,
      name: pickingName(env, vals.typeId),
      picking_type_id: vals.typeId,
      location_id: vals.from,
      location_dest_id: vals.to,
      partner_id: vals.partnerId,
      origin: vals.origin,
      scheduled_date: vals.scheduled,
      sale_id: vals.saleId ?? false,
      group_id: vals.groupId ?? false,
      return_id: vals.returnId ?? false,
      backorder_id: vals.backorderId ?? false,
      state: 'confirmed',
    },
  ]);
  if (pickingId === undefined) throw new Error('picking not created');
  for (const l of lines) {
    env.db.insert('stock.move', {
      name: l.name ?? env.db.displayName('product.product', l.productId),
      product_id: l.productId,
      product_uom_qty: l.qty,
      quantity: 0,
      picked: false,
      state: 'confirmed',
      picking_id: pickingId,
      picking_type_id: vals.typeId,
      location_id: vals.from,
      location_dest_id: vals.to,
      sale_line_id: l.saleLineId ?? false,
      origin_returned_move_id: l.returnedMoveId ?? false,
      to_refund: l.toRefund ?? false,
      origin: vals.origin,
      date: vals.scheduled,
      partner_id: vals.partnerId,
      group_id: vals.groupId ?? false,
      company_id: companyId,
    });
  }
  reservePicking(env, pickingId);
  return pickingId;
}

function moveQuant(env: Env, productId: number, locationId: number, delta: number): void {
  const quant = env.db.all('stock.quant').find((q) => q.product_id === productId && q.location_id === locationId);
  if (quant) env.db.update('stock.quant', quant.id, { quantity: num(quant.quantity) + delta });
  else env.db.insert('stock.quant', { product_id: productId, location_id: locationId, quantity: delta, inventory_quantity: 0, inventory_quantity_set: false });
}

/** Marks a move done and moves the stock between internal locations. */
export function doneMove(env: Env, move: Row, when: string): void {
  const internal = internalLocations(env.db);
  const qty = num(move.quantity);
  const productId = num(move.product_id);
  const product = env.db.get('product.product', productId);
  if (isStorable(product)) {
    if (typeof move.location_id === 'number' && internal.has(move.location_id)) moveQuant(env, productId, move.location_id, -qty);
    if (typeof move.location_dest_id === 'number' && internal.has(move.location_dest_id)) moveQuant(env, productId, move.location_dest_id, qty);
  }
  env.db.update('stock.move', move.id, { state: 'done', picked: true, date: when });
}

/** `_action_done`: validates pickings; what is short goes to a backorder, or is dropped when `backorder` is false. */
export function validatePickings(env: Env, pickingIds: number[], backorder: boolean): void {
  const when = env.db.now();
  for (const pickingId of pickingIds) {
    const picking = env.db.get('stock.picking', pickingId);
    if (!picking || picking.state === 'done' || picking.state === 'cancel') continue;
    const moves = movesOf(env, pickingId).filter((m) => m.state !== 'cancel');
    let backorderId: number | undefined;
    for (const m of moves) {
      const demand = num(m.product_uom_qty);
      const qty = num(m.quantity);
      if (qty >= demand) continue;
      if (backorder) {
        if (backorderId === undefined) {
          backorderId = createPicking(
            env,
            {
              typeId: num(picking.picking_type_id),
              from: num(picking.location_id),
              to: num(picking.location_dest_id),
              partnerId: typeof picking.partner_id === 'number' ? picking.partner_id : false,
              origin: typeof picking.origin === 'string' ? picking.origin : false,
              scheduled: String(picking.scheduled_date ?? when),
              saleId: typeof picking.sale_id === 'number' ? picking.sale_id : undefined,
              groupId: typeof picking.group_id === 'number' ? picking.group_id : undefined,
              backorderId: pickingId,
            },
            [],
          );
        }
        env.db.insert('stock.move', {
          name: m.name,
          product_id: m.product_id,
          product_uom_qty: demand - qty,
          quantity: 0,
          picked: false,
          state: 'confirmed',
          picking_id: backorderId,
          picking_type_id: m.picking_type_id,
          location_id: m.location_id,
          location_dest_id: m.location_dest_id,
          sale_line_id: m.sale_line_id ?? false,
          origin: m.origin ?? false,
          date: m.date ?? false,
          partner_id: m.partner_id ?? false,
          group_id: m.group_id ?? false,
        });
      }
      if (qty === 0) env.db.update('stock.move', m.id, { state: 'cancel' });
      else {
        env.db.update('stock.move', m.id, { product_uom_qty: qty });
        // Odoo's stock.move._action_done splits the rest into a new move of the same transfer and, with
        // cancel_backorder, cancels it there: the shortfall stays visible as a cancelled move.
        if (!backorder) {
          env.db.insert('stock.move', {
            name: m.name,
            product_id: m.product_id,
            product_uom_qty: demand - qty,
            quantity: 0,
            picked: false,
            state: 'cancel',
            picking_id: pickingId,
            picking_type_id: m.picking_type_id,
            location_id: m.location_id,
            location_dest_id: m.location_dest_id,
            sale_line_id: m.sale_line_id ?? false,
            origin: m.origin ?? false,
            date: m.date ?? false,
            partner_id: m.partner_id ?? false,
            group_id: m.group_id ?? false,
          });
        }
      }
    }
    for (const m of movesOf(env, pickingId)) if (m.state !== 'cancel') doneMove(env, m, when);
    env.db.update('stock.picking', pickingId, { state: 'done', date_done: when });
    if (backorderId !== undefined) reservePicking(env, backorderId);
  }
}

function validateButton(env: Env, ids: number[]): unknown {
  for (const id of ids) {
    const p = env.db.get('stock.picking', id);
    if (!p) continue;
    if (p.state === 'done' || p.state === 'cancel')
      throw userError(
        'You cannot validate a transfer if no quantities are reserved nor done. You can use the info button on the top right corner of your screen to know why the stock is not available.',
      );
    if (movesOf(env, id).every((m) => num(m.quantity) === 0)) {
      throw userError(
        'You cannot validate a transfer if no quantities are reserved nor done. You can use the info button on the top right corner of your screen to know why the stock is not available.',
      );
    }
  }
  const short = ids.filter((id) => movesOf(env, id).some((m) => m.state !== 'cancel' && num(m.quantity) < num(m.product_uom_qty)));
  if (short.length && !env.context.skip_backorder) return backorderWizardAction(ids);
  validatePickings(env, ids, env.context.cancel_backorder !== true);
  return true;
}

function createReturn(env: Env, wizardId: number, all: boolean): unknown {
  const wizard = env.db.get('stock.return.picking', wizardId);
  const picking = wizard && typeof wizard.picking_id === 'number' ? env.db.get('stock.picking', wizard.picking_id) : undefined;
  if (!wizard || !picking) throw userError('You may only return Done pickings.');
  const lines = env.db.all('stock.return.picking.line').filter((l) => l.wizard_id === wizardId);
  if (all) {
    for (const l of lines) {
      const move = typeof l.move_id === 'number' ? env.db.get('stock.move', l.move_id) : undefined;
      const returned = env.db
        .all('stock.move')
        .filter((m) => m.origin_returned_move_id === move?.id && m.state !== 'cancel')
        .reduce((s, m) => s + num(m.product_uom_qty), 0);
      env.db.update('stock.return.picking.line', l.id, { quantity: Math.max(0, num(move?.quantity) - returned) });
    }
  }
  const todo = env.db.all('stock.return.picking.line').filter((l) => l.wizard_id === wizardId && num(l.quantity) > 0);
  if (todo.length === 0) throw userError('Please specify at least one non-zero quantity.');
  const type = env.db.get('stock.picking.type', num(picking.picking_type_id));
  const returnType = typeof type?.return_picking_type_id === 'number' ? type.return_picking_type_id : PICKING_TYPE.receipts;
  const newId = createPicking(
    env,
    {
      typeId: returnType,
      from: num(picking.location_dest_id),
      to: num(picking.location_id),
      partnerId: typeof picking.partner_id === 'number' ? picking.partner_id : false,
      origin: `Return of ${String(picking.name)}`,
      scheduled: env.db.now(),
      saleId: typeof picking.sale_id === 'number' ? picking.sale_id : undefined,
      groupId: typeof picking.group_id === 'number' ? picking.group_id : undefined,
      returnId: picking.id,
    },
    todo.map((l) => {
      const move = typeof l.move_id === 'number' ? env.db.get('stock.move', l.move_id) : undefined;
      return {
        productId: num(l.product_id),
        qty: num(l.quantity),
        returnedMoveId: move?.id,
        toRefund: l.to_refund !== false,
        saleLineId: l.to_refund !== false && typeof move?.sale_line_id === 'number' ? move.sale_line_id : undefined,
        name: typeof move?.name === 'string' ? move.name : undefined,
      };
    }),
  );
  // Odoo builds the return with `picking_id.copy(...)` (stock_picking_return.py `_create_return`): the
  // delivery's note comes along.
  if (typeof picking.note === 'string' && picking.note) env.db.update('stock.picking', newId, { note: picking.note });
  const ctx = Object.fromEntries(Object.entries(env.context).filter(([k]) => !k.startsWith('__')));
  return returnAction(newId, ctx);
}

export const stockBehaviours: Record<string, ModelBehaviour> = {
  'stock.picking': {
    beforeCreate: (env, vals) => {
      const typeId = typeof vals.picking_type_id === 'number' ? vals.picking_type_id : undefined;
      const type = typeId ? env.db.get('stock.picking.type', typeId) : undefined;
      return {
        ...vals,
        name: typeof vals.name === 'string' && vals.name !== '/' ? vals.name : typeId ? pickingName(env, typeId) : '/',
        location_id: vals.location_id ?? type?.default_location_src_id ?? LOCATION.stock,
        location_dest_id: vals.location_dest_id ?? type?.default_location_dest_id ?? LOCATION.customers,
        scheduled_date: vals.scheduled_date ?? env.db.now(),
      };
    },
    methods: {
      button_validate: { params: [], fn: (env, ids) => validateButton(env, ids) },
      action_confirm: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            for (const m of movesOf(env, id)) if (m.state === 'draft') env.db.update('stock.move', m.id, { state: 'confirmed' });
            reservePicking(env, id);
          }
          return true;
        },
      },
      action_assign: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) reservePicking(env, id);
          return true;
        },
      },
      action_cancel: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            for (const m of movesOf(env, id)) if (m.state !== 'done') env.db.update('stock.move', m.id, { state: 'cancel', quantity: 0 });
            env.db.update('stock.picking', id, { state: 'cancel' });
          }
          return true;
        },
      },
    },
  },
  'stock.backorder.confirmation': {
    methods: {
      process: {
        params: [],
        fn: (env, ids) => {
          validatePickings(env, pickingsOfWizard(env, ids), true);
          return true;
        },
      },
      process_cancel_backorder: {
        params: [],
        fn: (env, ids) => {
          validatePickings(env, pickingsOfWizard(env, ids), false);
          return true;
        },
      },
    },
  },
  'stock.return.picking': {
    beforeCreate: (env, vals) => {
      const activeIds = toIds(env.context.active_ids);
      if (env.context.active_model === 'stock.picking' && activeIds.length > 1) throw userError('You may only return one picking at a time.');
      const pickingId =
        typeof vals.picking_id === 'number'
          ? vals.picking_id
          : env.context.active_model === 'stock.picking' && typeof env.context.active_id === 'number'
            ? env.context.active_id
            : undefined;
      const picking = pickingId !== undefined ? env.db.get('stock.picking', pickingId) : undefined;
      if (!picking || picking.state !== 'done') throw userError('You may only return Done pickings.');
      return { ...vals, picking_id: picking.id, location_id: vals.location_id ?? picking.location_id };
    },
    afterCreate: (env, id, vals) => {
      if (vals.product_return_moves !== undefined) return;
      const pickingId = num(env.db.get('stock.return.picking', id)?.picking_id);
      for (const m of movesOf(env, pickingId).filter((x) => x.state === 'done')) {
        env.db.insert('stock.return.picking.line', { product_id: m.product_id, quantity: 0, move_id: m.id, uom_id: 1, to_refund: true, wizard_id: id });
      }
    },
    methods: {
      action_create_returns: { params: [], fn: (env, ids) => createReturn(env, ids[0] ?? 0, false) },
      action_create_returns_all: { params: [], fn: (env, ids) => createReturn(env, ids[0] ?? 0, true) },
    },
  },
  'stock.quant': {
    beforeCreate: (env, vals) =>
      env.context.inventory_mode && vals.inventory_quantity !== undefined ? { quantity: 0, ...vals, inventory_quantity_set: true } : vals,
    methods: {
      action_apply_inventory: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            const q = env.db.get('stock.quant', id);
            if (!q || q.inventory_quantity_set !== true) continue;
            const diff = num(q.inventory_quantity) - num(q.quantity);
            if (diff !== 0) {
              env.db.insert('stock.move', {
                name: 'Product Quantity Updated',
                product_id: q.product_id,
                product_uom_qty: Math.abs(diff),
                quantity: Math.abs(diff),
                picked: true,
                state: 'done',
                is_inventory: true,
                date: env.db.now(),
                location_id: diff > 0 ? LOCATION.inventory : q.location_id,
                location_dest_id: diff > 0 ? q.location_id : LOCATION.inventory,
              });
            }
            const counted = num(q.inventory_quantity);
            ormWrite(env, 'stock.quant', [id], { inventory_quantity: 0, inventory_quantity_set: false });
            env.db.update('stock.quant', id, { quantity: counted });
          }
          return undefined;
        },
      },
      action_set_inventory_quantity_to_zero: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) env.db.update('stock.quant', id, { inventory_quantity: 0, inventory_quantity_set: false });
          return undefined;
        },
      },
    },
  },
};

function pickingsOfWizard(env: Env, ids: number[]): number[] {
  const fromContext = toIds(env.context.button_validate_picking_ids);
  if (fromContext.length) return fromContext;
  return ids.flatMap((id) => toIds(env.db.get('stock.backorder.confirmation', id)?.pick_ids));
}
