/**
 * A delivery validated short with "No Backorder" (stock.backorder.confirmation.process_cancel_backorder):
 * as Odoo's stock.move._action_done leaves it, the done move is cut to the quantity moved and the rest
 * is split off into a cancelled move of the same transfer, with no backorder. The subgraph's PARTIAL
 * exception reads exactly that.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startOdooEmulator, type RunningOdooEmulator } from '../../sandbox/odoo';
import { call, type OdooCreds } from '../support/odoo-client';

type Move = { id: number; product_uom_qty: number; quantity: number; state: string; product_id: [number, string] };
const c: OdooCreds = { db: 'acme', uid: 2, password: 'acme-key' };
let emulator: RunningOdooEmulator;

beforeAll(async () => {
  emulator = await startOdooEmulator({ port: 0, tenants: [{ tenant: 'acme', db: 'acme', login: 'admin@acme.example', apiKey: 'acme-key' }] });
});
afterAll(async () => {
  await emulator?.close();
});

it('should cut the done move and cancel the rest in the same transfer, creating no backorder', async () => {
  const url = emulator.url;
  const pickings = await call<Array<{ id: number; move_ids: number[] }>>(
    url,
    c,
    'stock.picking',
    'search_read',
    [
      [
        ['picking_type_code', '=', 'outgoing'],
        ['state', '=', 'assigned'],
      ],
    ],
    {
      fields: ['move_ids'],
    },
  );
  const moves = await call<Move[]>(url, c, 'stock.move', 'read', [
    pickings.flatMap((p) => p.move_ids),
    ['product_uom_qty', 'quantity', 'state', 'picking_id', 'product_id'],
  ]);
  const move = moves.find((m) => m.product_uom_qty >= 2 && pickings.find((p) => p.move_ids.length === 1 && p.move_ids[0] === m.id));
  if (!move) throw new Error('the seed has no ready one-line delivery of 2 or more');
  const picking = pickings.find((p) => p.move_ids[0] === move.id)!;
  const demand = move.product_uom_qty;

  await call(url, c, 'stock.move', 'write', [[move.id], { quantity: 1, picked: true }]);
  const wizardAction = await call<{ res_model: string }>(url, c, 'stock.picking', 'button_validate', [[picking.id]]);
  expect(wizardAction.res_model).toBe('stock.backorder.confirmation');
  const ctx = { button_validate_picking_ids: [picking.id] };
  const wizard = await call<number>(url, c, 'stock.backorder.confirmation', 'create', [{ pick_ids: [[4, picking.id]] }], { context: ctx });
  await call(url, c, 'stock.backorder.confirmation', 'process_cancel_backorder', [[wizard]], { context: ctx });

  const [after] = await call<Array<{ state: string; move_ids: number[]; backorder_ids: number[] }>>(url, c, 'stock.picking', 'read', [
    [picking.id],
    ['state', 'move_ids', 'backorder_ids'],
  ]);
  expect(after).toMatchObject({ state: 'done', backorder_ids: [] });
  const split = await call<Move[]>(url, c, 'stock.move', 'read', [after!.move_ids, ['product_uom_qty', 'quantity', 'state', 'product_id']]);
  expect(split.map((m) => ({ demand: m.product_uom_qty, quantity: m.quantity, state: m.state, product: m.product_id[0] }))).toEqual([
    { demand: 1, quantity: 1, state: 'done', product: move.product_id[0] },
    { demand: demand - 1, quantity: 0, state: 'cancel', product: move.product_id[0] },
  ]);
});
