/**
 * The Odoo 18 emulator in the flows the ERP actions drive (issue 11), checked against what a real
 * Odoo 18 answered (shared/fixtures/odoo-capabilities/FACTS.md 19-33): the return wizard, the
 * reversal wizard, cancelling an order, a chatter note, a replacement order, finding an earlier
 * write by its marker, a selection value the field does not allow, and the `reset_after` fault
 * (the write is applied, the answer is lost).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startOdooEmulator, type RunningOdooEmulator } from '../../sandbox/odoo';
import { buildWorld } from '../../sandbox/world';
import { call, errorData, executeKw, type OdooCreds } from '../support/odoo-client';

const key = randomBytes(20).toString('hex');
const acme: OdooCreds = { db: 'acme', uid: 2, password: key };
const world = buildWorld('acme');

type Rec = Record<string, unknown> & { id: number };
let emulator: RunningOdooEmulator;
let url: string;

beforeAll(async () => {
  emulator = await startOdooEmulator({ port: 0, tenants: [{ tenant: 'acme', db: 'acme', login: 'admin', apiKey: key, profile: { version: '18.0' } }] });
  url = emulator.url;
});
afterAll(async () => {
  await emulator?.close();
});

const read = async (model: string, id: number, fields: string[]): Promise<Rec> => {
  const [rec] = await call<Rec[]>(url, acme, model, 'read', [[id], fields]);
  if (!rec) throw new Error(`${model} ${id} not found`);
  return rec;
};
const idOf = (v: unknown): number => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : Number.NaN);
const storable = (qty: number) => world.products.find((p) => p.kind === 'storable' && p.onHand >= qty)!;
const faults = (body: unknown): Promise<Response> =>
  fetch(`${url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A confirmed order for `qty` of a storable product: its id, name and delivery. */
async function confirmedOrder(qty: number, extra: Record<string, unknown> = {}): Promise<{ orderId: number; name: string; pickingId: number }> {
  const product = storable(qty);
  const orderId = await call<number>(url, acme, 'sale.order', 'create', [
    { partner_id: world.anchors.smallCustomer, order_line: [[0, 0, { product_id: product.odooId, product_uom_qty: qty }]], ...extra },
  ]);
  expect(await call(url, acme, 'sale.order', 'action_confirm', [[orderId]])).toBe(true);
  const order = await read('sale.order', orderId, ['name', 'picking_ids']);
  const [pickingId] = order.picking_ids as number[];
  return { orderId, name: String(order.name), pickingId: pickingId ?? 0 };
}

/** A confirmed order whose delivery of `qty` is done. */
async function deliveredOrder(qty: number): Promise<{ orderId: number; pickingId: number; pickingName: string }> {
  const { orderId, pickingId } = await confirmedOrder(qty);
  expect(await call(url, acme, 'stock.picking', 'button_validate', [[pickingId]])).toBe(true);
  const picking = await read('stock.picking', pickingId, ['state', 'name']);
  expect(picking.state).toBe('done');
  return { orderId, pickingId, pickingName: String(picking.name) };
}

/** A posted customer invoice for a delivered order of `qty`. */
async function postedInvoice(qty: number): Promise<{ invoiceId: number; name: string }> {
  const { orderId } = await deliveredOrder(qty);
  const wizardId = await call<number>(url, acme, 'sale.advance.payment.inv', 'create', [{}], {
    context: { active_model: 'sale.order', active_ids: [orderId], active_id: orderId },
  });
  const action = await call<Rec>(url, acme, 'sale.advance.payment.inv', 'create_invoices', [[wizardId]]);
  const invoiceId = Number(action.res_id);
  expect(await call(url, acme, 'account.move', 'action_post', [[invoiceId]])).toBe(false);
  const invoice = await read('account.move', invoiceId, ['name', 'state']);
  expect(invoice.state).toBe('posted');
  return { invoiceId, name: String(invoice.name) };
}

describe('return wizard (stock.return.picking, FACTS 26-29)', () => {
  it('should compute lines, take quantities, and create an assigned return linked to the delivery', async () => {
    const { pickingId, pickingName } = await deliveredOrder(3);
    const ctx = { active_id: pickingId, active_ids: [pickingId], active_model: 'stock.picking' };
    const [wizardId] = await call<number[]>(url, acme, 'stock.return.picking', 'create', [[{}]], { context: ctx });
    const [wizard] = await call<Rec[]>(url, acme, 'stock.return.picking', 'read', [[wizardId], ['product_return_moves', 'picking_id']]);
    expect(idOf(wizard?.picking_id)).toBe(pickingId);
    const lineIds = wizard?.product_return_moves as number[];
    expect(lineIds).toHaveLength(1);
    const [line] = await call<Rec[]>(url, acme, 'stock.return.picking.line', 'read', [lineIds, ['quantity', 'move_quantity', 'to_refund']]);
    expect(line).toMatchObject({ quantity: 0, move_quantity: 3, to_refund: true });
    expect(await call(url, acme, 'stock.return.picking.line', 'write', [lineIds, { quantity: 2 }])).toBe(true);
    const action = await call<Rec>(url, acme, 'stock.return.picking', 'action_create_returns', [[wizardId]], { context: ctx });
    expect(action).toMatchObject({ name: 'Returned Picking', view_mode: 'form', res_model: 'stock.picking', type: 'ir.actions.act_window', context: ctx });
    const returnId = Number(action.res_id);
    const ret = await read('stock.picking', returnId, ['state', 'return_id', 'origin', 'picking_type_code', 'move_ids']);
    expect(ret).toMatchObject({ state: 'assigned', origin: `Return of ${pickingName}`, picking_type_code: 'incoming' });
    expect(idOf(ret.return_id)).toBe(pickingId);
    const [move] = await call<Rec[]>(url, acme, 'stock.move', 'read', [ret.move_ids, ['product_uom_qty', 'origin_returned_move_id']]);
    expect(move?.product_uom_qty).toBe(2);
    const delivery = await read('stock.picking', pickingId, ['return_ids', 'return_count']);
    expect(delivery).toMatchObject({ return_ids: [returnId], return_count: 1 });
  });

  it('should accept returning more than delivered minus returned, as Odoo does (the gateway guards)', async () => {
    const { pickingId } = await deliveredOrder(2);
    const ctx = { active_id: pickingId, active_ids: [pickingId], active_model: 'stock.picking' };
    for (const qty of [2, 5]) {
      const [wizardId] = await call<number[]>(url, acme, 'stock.return.picking', 'create', [[{}]], { context: ctx });
      const [wizard] = await call<Rec[]>(url, acme, 'stock.return.picking', 'read', [[wizardId], ['product_return_moves']]);
      await call(url, acme, 'stock.return.picking.line', 'write', [wizard?.product_return_moves, { quantity: qty }]);
      const action = await call<Rec>(url, acme, 'stock.return.picking', 'action_create_returns', [[wizardId]], { context: ctx });
      expect(typeof action.res_id).toBe('number');
    }
    expect((await read('stock.picking', pickingId, ['return_count'])).return_count).toBe(2);
  });
});

describe('reversal wizard (account.move.reversal, FACTS 30-33)', () => {
  it('should make a draft credit note with every line, take partial quantities, and post it reconciled', async () => {
    const { invoiceId, name } = await postedInvoice(4);
    const wizardId = await call<number>(url, acme, 'account.move.reversal', 'create', [{ reason: 'Damaged widget', journal_id: 1 }], {
      context: { active_model: 'account.move', active_ids: [invoiceId] },
    });
    const action = await call<Rec>(url, acme, 'account.move.reversal', 'refund_moves', [[wizardId]]);
    expect(action).toMatchObject({ name: 'Reverse Moves', type: 'ir.actions.act_window', res_model: 'account.move', view_mode: 'form' });
    expect(action.context).toEqual({ default_move_type: 'out_refund' });
    const noteId = Number(action.res_id);
    const draft = await read('account.move', noteId, ['state', 'name', 'move_type', 'ref', 'reversed_entry_id', 'invoice_line_ids', 'amount_total']);
    expect(draft).toMatchObject({ state: 'draft', name: false, move_type: 'out_refund', ref: `Reversal of: ${name}, Damaged widget` });
    expect(idOf(draft.reversed_entry_id)).toBe(invoiceId);
    const lines = await call<Rec[]>(url, acme, 'account.move.line', 'read', [draft.invoice_line_ids, ['quantity']]);
    expect(lines.map((l) => l.quantity)).toEqual([4]);
    const lineId = lines[0]?.id ?? 0;
    expect(await call(url, acme, 'account.move', 'write', [[noteId], { invoice_line_ids: [[1, lineId, { quantity: 1 }]] }])).toBe(true);
    expect(await call(url, acme, 'account.move', 'action_post', [[noteId]])).toBe(false);
    const posted = await read('account.move', noteId, ['state', 'name', 'amount_total', 'amount_total_signed', 'amount_residual', 'payment_state']);
    expect(posted).toMatchObject({ state: 'posted', amount_residual: 0, payment_state: 'paid' });
    expect(String(posted.name)).toMatch(/^RINV\/\d{4}\/\d{5}$/);
    expect(posted.amount_total_signed).toBe(-Number(posted.amount_total));
    expect((await read('account.move', invoiceId, ['reversal_move_ids'])).reversal_move_ids).toEqual([noteId]);

    const again = await executeKw(url, acme, 'account.move', 'action_post', [[invoiceId]]);
    expect(errorData(again)).toMatchObject({ name: 'odoo.exceptions.UserError', message: `The entry ${name} (id ${invoiceId}) must be in draft.` });
  });

  it('should delete a draft credit note and refuse to delete a posted one', async () => {
    const { invoiceId } = await postedInvoice(1);
    const reverse = async (): Promise<number> => {
      const wizardId = await call<number>(url, acme, 'account.move.reversal', 'create', [{ reason: 'x', journal_id: 1 }], {
        context: { active_model: 'account.move', active_ids: [invoiceId] },
      });
      return Number((await call<Rec>(url, acme, 'account.move.reversal', 'refund_moves', [[wizardId]])).res_id);
    };
    const draftId = await reverse();
    expect(await call(url, acme, 'account.move', 'unlink', [[draftId]])).toBe(true);
    expect(await call(url, acme, 'account.move', 'search_count', [[['id', '=', draftId]]])).toBe(0);
    const postedId = await reverse();
    await call(url, acme, 'account.move', 'action_post', [[postedId]]);
    const refused = await executeKw(url, acme, 'account.move', 'unlink', [[postedId]]);
    expect(errorData(refused)).toMatchObject({
      name: 'odoo.exceptions.UserError',
      message: "You can't delete a posted journal item. Don’t play games with your accounting records; reset the journal entry to draft before deleting it.",
    });
    expect(await call(url, acme, 'account.move', 'search_count', [[['id', '=', postedId]]])).toBe(1);
  });
});

describe('sale.order actions (FACTS 19-24)', () => {
  it('should answer action_cancel without context with the wizard, and cancel with disable_cancel_warning', async () => {
    const { orderId, pickingId } = await confirmedOrder(1);
    const wizard = await call<Rec>(url, acme, 'sale.order', 'action_cancel', [[orderId]]);
    expect(wizard).toMatchObject({ name: 'Cancel Sales Order', res_model: 'sale.order.cancel', type: 'ir.actions.act_window', target: 'new' });
    expect(wizard.context).toMatchObject({ default_order_id: orderId, mark_so_as_canceled: true });
    expect((await read('sale.order', orderId, ['state'])).state).toBe('sale');
    expect(await call(url, acme, 'sale.order', 'action_cancel', [[orderId]], { context: { disable_cancel_warning: true } })).toBe(true);
    expect((await read('sale.order', orderId, ['state'])).state).toBe('cancel');
    expect((await read('stock.picking', pickingId, ['state'])).state).toBe('cancel');
  });

  it('should still cancel an order whose delivery is done when asked with the context (the gateway guards)', async () => {
    const { orderId, pickingId } = await deliveredOrder(1);
    expect(await call(url, acme, 'sale.order', 'action_cancel', [[orderId]], { context: { disable_cancel_warning: true } })).toBe(true);
    expect((await read('sale.order', orderId, ['state'])).state).toBe('cancel');
    expect((await read('stock.picking', pickingId, ['state'])).state).toBe('done');
  });

  it('should post a note: an int id, the body escaped in <p>, subtype Note, found again by body', async () => {
    const { orderId } = await confirmedOrder(1);
    const body = 'Ticket #42: customer reports a damaged widget <b>urgent</b> — Ærø [action:abc-123]';
    const messageId = await call<number>(url, acme, 'sale.order', 'message_post', [[orderId]], {
      body,
      message_type: 'comment',
      subtype_xmlid: 'mail.mt_note',
    });
    expect(Number.isInteger(messageId)).toBe(true);
    const found = await call<Rec[]>(
      url,
      acme,
      'mail.message',
      'search_read',
      [
        [
          ['model', '=', 'sale.order'],
          ['res_id', '=', orderId],
          ['body', 'ilike', 'action:abc-123'],
        ],
      ],
      { fields: ['body', 'subtype_id', 'message_type', 'model', 'res_id'] },
    );
    expect(found).toEqual([
      {
        id: messageId,
        body: '<p>Ticket #42: customer reports a damaged widget &lt;b&gt;urgent&lt;/b&gt; — Ærø [action:abc-123]</p>',
        subtype_id: [2, 'Note'],
        message_type: 'comment',
        model: 'sale.order',
        res_id: orderId,
      },
    ]);
  });

  it('should confirm a zero-priced replacement order whose delivery origin names the customer reference', async () => {
    const { orderId, name } = await confirmedOrder(1, { origin: 'S00001', client_order_ref: 'RMA-0001 replaces S00001 [action:r-1]' });
    const product = storable(1);
    const replacementId = await call<number>(url, acme, 'sale.order', 'create', [
      {
        partner_id: world.anchors.smallCustomer,
        origin: name,
        client_order_ref: 'RMA-0002 replaces it [action:r-2]',
        order_line: [[0, 0, { product_id: product.odooId, product_uom_qty: 1, price_unit: 0 }]],
      },
    ]);
    expect(await call(url, acme, 'sale.order', 'action_confirm', [[replacementId]])).toBe(true);
    const replacement = await read('sale.order', replacementId, ['state', 'amount_total', 'picking_ids', 'name']);
    expect(replacement).toMatchObject({ state: 'sale', amount_total: 0 });
    const picking = await read('stock.picking', (replacement.picking_ids as number[])[0] ?? 0, ['state', 'origin']);
    expect(picking).toMatchObject({ state: 'assigned', origin: `${String(replacement.name)} - RMA-0002 replaces it [action:r-2]` });
    expect(orderId).not.toBe(replacementId);
  });
});

describe('finding an earlier write by its marker', () => {
  it('should search orders, moves and pickings by reference, origin and note', async () => {
    const { orderId } = await confirmedOrder(1, { client_order_ref: 'Ticket 7 [action:find-1]' });
    expect(await call(url, acme, 'sale.order', 'search', [[['client_order_ref', 'ilike', 'ACTION:FIND-1']]])).toEqual([orderId]);
    const pickings = await call<number[]>(url, acme, 'stock.picking', 'search', [[['origin', 'ilike', 'action:find-1']]]);
    expect(pickings).toHaveLength(1);
    await call(url, acme, 'stock.picking', 'write', [pickings, { note: '<p>made by [action:find-2]</p>' }]);
    expect(await call(url, acme, 'stock.picking', 'search', [[['note', 'ilike', 'action:find-2']]])).toEqual(pickings);
    const { invoiceId } = await postedInvoice(1);
    const wizardId = await call<number>(url, acme, 'account.move.reversal', 'create', [{ reason: 'Ticket 7 [action:find-3]', journal_id: 1 }], {
      context: { active_model: 'account.move', active_ids: [invoiceId] },
    });
    const noteId = Number((await call<Rec>(url, acme, 'account.move.reversal', 'refund_moves', [[wizardId]])).res_id);
    expect(await call(url, acme, 'account.move', 'search', [[['ref', 'ilike', 'action:find-3']]])).toEqual([noteId]);
  });
});

describe('selection values on write (FACTS 25)', () => {
  it("should raise Odoo's ValueError for a selection value the field does not allow, and write nothing", async () => {
    const { orderId } = await confirmedOrder(1);
    const bad = await executeKw(url, acme, 'sale.order', 'write', [[orderId], { state: 'bogus', client_order_ref: 'not written' }]);
    expect(errorData(bad)).toMatchObject({ name: 'builtins.ValueError', message: "Wrong value for sale.order.state: 'bogus'" });
    expect(await read('sale.order', orderId, ['state', 'client_order_ref'])).toMatchObject({ state: 'sale', client_order_ref: false });

    const before = await call<number>(url, acme, 'res.partner', 'search_count', [[]]);
    const created = await executeKw(url, acme, 'res.partner', 'create', [[{ name: 'Nobody', type: 'elsewhere' }]]);
    expect(errorData(created)).toMatchObject({ name: 'builtins.ValueError', message: "Wrong value for res.partner.type: 'elsewhere'" });
    expect(await call(url, acme, 'res.partner', 'search_count', [[]])).toBe(before);

    const nested = await executeKw(url, acme, 'sale.order', 'write', [[orderId], { order_line: [[0, 0, { display_type: 'heading', name: 'x' }]] }]);
    expect(errorData(nested)).toMatchObject({ name: 'builtins.ValueError', message: "Wrong value for sale.order.line.display_type: 'heading'" });
    // false clears a selection; an allowed value is taken
    expect(await call(url, acme, 'res.partner', 'write', [[world.anchors.smallCustomer], { type: 'contact' }])).toBe(true);
  });
});

describe('reset_after: the write is applied, the answer is lost', () => {
  it('should post the message and then drop the connection', async () => {
    const { orderId } = await confirmedOrder(1);
    await faults({ tenant: 'acme', op: 'sale.order.message_post', fault: 'reset_after', times: 1 });
    const posted = executeKw(url, acme, 'sale.order', 'message_post', [[orderId]], {
      body: 'lost answer [action:lost-1]',
      message_type: 'comment',
      subtype_xmlid: 'mail.mt_note',
    });
    await expect(posted).rejects.toThrow();
    const found = await call<Rec[]>(
      url,
      acme,
      'mail.message',
      'search_read',
      [
        [
          ['model', '=', 'sale.order'],
          ['res_id', '=', orderId],
          ['body', 'ilike', 'action:lost-1'],
        ],
      ],
      { fields: ['body'] },
    );
    expect(found).toHaveLength(1);
    // the rule retired itself: the next post is answered
    expect(typeof (await call(url, acme, 'sale.order', 'message_post', [[orderId]], { body: 'answered' }))).toBe('number');
  });
});
