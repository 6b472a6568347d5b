/**
 * The ERP actions of the Odoo subgraph, each an ActionSpec of the shared pipeline (actions/pipeline.ts):
 * its input, the gateway's own guards, and the Odoo business methods that do it (never a raw write
 * of a state field), the way a real Odoo 18 answers them (fixtures odoo-capabilities/action.*,
 * FACTS 19-33). Every write carries the action's marker `GW-<id>` where Odoo keeps text (a credit
 * note's `ref`, an order's `client_order_ref`, a picking's `note`, a chatter message), so a retry after
 * a lost answer, or the reconciler after a crash, finds it instead of writing twice.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { invalidateEntities, type EntityCache, type EntityRef } from '../../cache';
import { ActionRefusal, markerOf, userError, type ActionSpec, type ActionUserError, type Executed } from '../../actions/pipeline';
import type { ActionRecord, ErpRecordRef } from '../../actions/types';
import type { Identity } from '../../tenancy/identity';
import type { TenantConfig } from '../../tenancy/registry';
import { ErrorCode, UpstreamError } from '../kit/errors';
import { OdooRejection, type OdooClient, type OdooRecord } from './client';
import { ODOO_DEPENDENTS } from './entities';
import { toOdooId } from './ids';
import { m2oId, m2oName } from './mappers';
import { create, method, openedRecord, postNote, write } from './odoo-writes';

/** What the Odoo actions need of the request. */
export interface OdooActionDeps {
  client: OdooClient;
  tenant: TenantConfig;
  identity: Identity;
  cache: EntityCache | undefined;
  log: Logger;
}

// ---- input ----------------------------------------------------------------------------------------

const Key = z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters');
const ErpId = z.string().refine((v) => toOdooId(v) !== null, 'is not an ERP id (a positive integer)');
const Quantity = z.number().positive('must be more than 0').max(1_000_000).finite();
const Text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const Lines = z
  .array(z.object({ productId: ErpId, quantity: Quantity }).strict())
  .min(1, 'name at least one line')
  .max(100);

const id = (v: string): number => toOdooId(v) ?? 0;

/** A parse function from a zod schema: user errors name the fields. */
function parser<S extends z.ZodType<{ idempotencyKey: string; ticketId?: string | null | undefined }>>(schema: S) {
  return (input: unknown) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return {
        ok: false as const,
        errors: parsed.error.issues.map((i): ActionUserError => userError('INVALID_INPUT', `${i.path.join('.') || 'input'} ${i.message}`, i.path.map(String))),
      };
    }
    const { idempotencyKey, ...value } = parsed.data;
    return { ok: true as const, value: value as Omit<z.infer<S>, 'idempotencyKey'>, idempotencyKey, ticketId: parsed.data.ticketId ?? null };
  };
}

const TicketId = z.string().trim().min(1).max(64).nullish();

const RequestReturn = z.object({ idempotencyKey: Key, deliveryId: ErpId, lines: Lines, reason: Text(500).nullish(), ticketId: TicketId }).strict();
const IssueCreditNote = z.object({ idempotencyKey: Key, invoiceId: ErpId, reason: Text(500), lines: Lines.nullish(), ticketId: TicketId }).strict();
const CreateReplacementOrder = z.object({ idempotencyKey: Key, orderId: ErpId, lines: Lines, reason: Text(500).nullish(), ticketId: TicketId }).strict();
const CancelOrder = z.object({ idempotencyKey: Key, orderId: ErpId, reason: Text(500), ticketId: TicketId }).strict();
const AddOrderNote = z.object({ idempotencyKey: Key, orderId: ErpId, body: Text(5000), ticketId: TicketId }).strict();

type Input<S extends z.ZodType> = Omit<z.infer<S>, 'idempotencyKey'>;

// ---- shared steps ---------------------------------------------------------------------------------

const notFound = (what: string, field: string): ActionRefusal => new ActionRefusal(userError('NOT_FOUND', `No such ${what}`, [field]));
const guard = (message: string, field: string[] | null = null): ActionRefusal => new ActionRefusal(userError('GUARD_REFUSED', message, field));

/** Odoo's refusal (a UserError and the like) as a user error with Odoo's own user-facing message. */
async function odoo<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof OdooRejection && /^odoo\.exceptions\.(UserError|ValidationError|AccessError|MissingError)$/.test(err.odooName)) {
      throw new ActionRefusal(userError('ERP_REFUSED', err.odooMessage.split('\n')[0] || 'The ERP refused the action'));
    }
    // Any other refusal (a ValueError of a field, a wrong argument) will not pass on retry either:
    // FAILED, its detail in the gateway's log, never DEAD.
    if (err instanceof OdooRejection) throw new ActionRefusal(userError('ERP_REFUSED', 'The ERP refused the action (its reason is in the gateway log)'));
    throw err;
  }
}

async function readOne(client: OdooClient, model: string, recordId: number, fields: readonly string[]): Promise<OdooRecord | undefined> {
  const [row] = await client.searchRead(model, [['id', '=', recordId]], { fields, context: { active_test: false } });
  return row;
}

/** Who and what, for the chatter: the action's requester (not whoever approved or retried it), the ticket and the marker. */
const signature = (action: ActionRecord, ticketId: string | null | undefined): string =>
  `— ${action.requester} via the support gateway${ticketId ? `, ticket #${ticketId}` : ''} [${markerOf(action)}]`;

/** Entity-cache entries an action changed: the next query shows the return, the credit note, the cancelled state. */
async function invalidate(deps: OdooActionDeps, refs: EntityRef[]): Promise<void> {
  if (deps.cache) await invalidateEntities(deps.cache, deps.tenant.id, refs, ODOO_DEPENDENTS);
}

const ref = (model: string, recordId: number, name?: unknown): ErpRecordRef => ({
  system: 'odoo',
  model,
  id: recordId,
  name: typeof name === 'string' ? name : null,
});

/** Quantities per product id. */
function perProduct(lines: ReadonlyArray<{ productId: string; quantity: number }>): Map<number, number> {
  const out = new Map<number, number>();
  for (const l of lines) out.set(id(l.productId), (out.get(id(l.productId)) ?? 0) + l.quantity);
  return out;
}

// ---- requestReturn --------------------------------------------------------------------------------

/**
 * A return Odoo made for this action whose answer was lost before the marker was written: a return of
 * this delivery, created since this action last started an attempt, carrying no gateway marker (its
 * note is the delivery's, copied by Odoo), with exactly the products and quantities asked for.
 */
async function orphanReturn(
  client: OdooClient,
  deliveryId: number,
  action: ActionRecord,
  lines: ReadonlyArray<{ productId: string; quantity: number }>,
): Promise<number | null> {
  // The attempt before this one began at most the retry budget before this one (updatedAt: this attempt's start).
  const since = new Date(Date.parse(action.updatedAt) - 15 * 60_000).toISOString().replace('T', ' ').slice(0, 19);
  const candidates = await client.searchRead(
    'stock.picking',
    [['return_id', '=', deliveryId], ['create_date', '>=', since], ['state', '!=', 'cancel'], '|', ['note', '=', false], ['note', 'not ilike', 'GW-']],
    { fields: ['name'], order: 'id asc' },
  );
  if (!candidates.length) return null;
  const moves = await client.searchRead('stock.move', [['picking_id', 'in', candidates.map((c) => c.id)]], {
    fields: ['picking_id', 'product_id', 'product_uom_qty'],
  });
  const wanted = perProduct(lines);
  for (const candidate of candidates) {
    const got = new Map<number, number>();
    for (const m of moves.filter((x) => m2oId(x['picking_id']) === candidate.id)) {
      const product = m2oId(m['product_id']) ?? 0;
      got.set(product, (got.get(product) ?? 0) + Number(m['product_uom_qty'] ?? 0));
    }
    if (got.size === wanted.size && [...wanted].every(([p, q]) => Math.abs((got.get(p) ?? 0) - q) < 1e-9)) return candidate.id;
  }
  return null;
}

/** Delivered and already-returned quantities of a done delivery, per product. */
async function returnable(client: OdooClient, deliveryId: number): Promise<Map<number, { delivered: number; returned: number }>> {
  const moves = await client.searchRead(
    'stock.move',
    [
      ['picking_id', '=', deliveryId],
      ['state', '=', 'done'],
    ],
    { fields: ['product_id', 'quantity'] },
  );
  const returns = moves.length
    ? await client.searchRead(
        'stock.move',
        [
          ['origin_returned_move_id', 'in', moves.map((m) => m.id)],
          ['state', '!=', 'cancel'],
        ],
        { fields: ['product_id', 'product_uom_qty'] },
      )
    : [];
  const out = new Map<number, { delivered: number; returned: number }>();
  for (const m of moves) {
    const p = m2oId(m['product_id']) ?? 0;
    const entry = out.get(p) ?? { delivered: 0, returned: 0 };
    entry.delivered += Number(m['quantity'] ?? 0);
    out.set(p, entry);
  }
  for (const r of returns) {
    const entry = out.get(m2oId(r['product_id']) ?? 0);
    if (entry) entry.returned += Number(r['product_uom_qty'] ?? 0);
  }
  return out;
}

export const requestReturnSpec: ActionSpec<Input<typeof RequestReturn>, OdooActionDeps> = {
  kind: 'requestReturn',
  defaultRoles: ['agent', 'supervisor'],
  parse: parser(RequestReturn),
  async prepare({ client }, input) {
    const delivery = await readOne(client, 'stock.picking', id(input.deliveryId), ['state', 'picking_type_code', 'partner_id', 'name']);
    if (!delivery) throw notFound('delivery', 'deliveryId');
    if (delivery['picking_type_code'] !== 'outgoing' || delivery['state'] !== 'done') {
      throw guard(`${String(delivery['name'])} is not a done delivery to the customer: only delivered goods can be returned`, ['deliveryId']);
    }
    const left = await returnable(client, delivery.id);
    input.lines.forEach((line, i) => {
      const q = left.get(id(line.productId));
      if (!q) throw guard(`${String(delivery['name'])} delivered no such product`, ['lines', String(i), 'productId']);
    });
    for (const [product, quantity] of perProduct(input.lines)) {
      const q = left.get(product) ?? { delivered: 0, returned: 0 };
      const max = Math.max(0, q.delivered - q.returned);
      if (quantity > max) {
        const at = input.lines.findIndex((l) => id(l.productId) === product);
        throw guard(`At most ${max} can be returned (delivered ${q.delivered}, already returned ${q.returned})`, ['lines', String(at), 'quantity']);
      }
    }
    return { customerId: String(m2oId(delivery['partner_id']) ?? '') || null };
  },
  async execute(deps, input, action) {
    const { client } = deps;
    const marker = markerOf(action);
    const deliveryId = id(input.deliveryId);
    const mine = await client.searchRead(
      'stock.picking',
      [
        ['return_id', '=', deliveryId],
        ['note', 'ilike', marker],
      ],
      { fields: ['name'] },
    );
    if (mine[0]) return { records: [ref('stock.picking', mine[0].id, mine[0]['name'])] };
    let returnId: number | null = await orphanReturn(client, deliveryId, action, input.lines);
    if (returnId === null) {
      const context = { active_id: deliveryId, active_ids: [deliveryId], active_model: 'stock.picking' };
      const wizard = await odoo(() => create(client, 'stock.return.picking', {}, context));
      const [w] = await client.read('stock.return.picking', [wizard], ['product_return_moves']);
      const lineIds = Array.isArray(w?.['product_return_moves'])
        ? (w['product_return_moves'] as unknown[]).filter((x): x is number => typeof x === 'number')
        : [];
      const lines = await client.read('stock.return.picking.line', lineIds, ['product_id', 'move_quantity']);
      const wanted = perProduct(input.lines);
      for (const line of lines) {
        const product = m2oId(line['product_id']) ?? 0;
        const quantity = Math.min(wanted.get(product) ?? 0, Number(line['move_quantity'] ?? 0));
        wanted.set(product, (wanted.get(product) ?? 0) - quantity);
        await odoo(() => write(client, 'stock.return.picking.line', [line.id], { quantity }));
      }
      returnId = openedRecord(await odoo(() => method(client, 'stock.return.picking', 'action_create_returns', [wizard], { context })));
    }
    if (returnId === null) throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'odoo', 'Odoo created no return picking');
    const created = returnId;
    const note = `Return requested${input.reason ? `: ${input.reason}` : ''} ${signature(action, input.ticketId)}`;
    await odoo(() => write(client, 'stock.picking', [created], { note }));
    const [picking] = await client.read('stock.picking', [created], ['name']);
    return { records: [ref('stock.picking', created, picking?.['name'])] };
  },
  async after(deps, input, action, executed) {
    const delivery = await readOne(deps.client, 'stock.picking', id(input.deliveryId), ['partner_id', 'sale_id']);
    const refs: EntityRef[] = [{ type: 'Delivery', id: id(input.deliveryId) }, ...executed.records.map((r) => ({ type: 'Delivery', id: r.id }))];
    const partner = m2oId(delivery?.['partner_id']);
    if (partner !== null) refs.push({ type: 'Customer', id: partner });
    const order = m2oId(delivery?.['sale_id']);
    if (order !== null) refs.push({ type: 'Order', id: order });
    await invalidate(deps, await withCommercial(deps, refs, partner));
    void action;
  },
};

/** Adds the commercial partner of a contact (lists of a company include its contacts' documents). */
async function withCommercial(deps: OdooActionDeps, refs: EntityRef[], partner: number | null): Promise<EntityRef[]> {
  if (partner === null) return refs;
  const row = await readOne(deps.client, 'res.partner', partner, ['commercial_partner_id']);
  const commercial = m2oId(row?.['commercial_partner_id']);
  return commercial !== null && commercial !== partner ? [...refs, { type: 'Customer', id: commercial }] : refs;
}

// ---- issueCreditNote ------------------------------------------------------------------------------

export const issueCreditNoteSpec: ActionSpec<Input<typeof IssueCreditNote>, OdooActionDeps> = {
  kind: 'issueCreditNote',
  defaultRoles: ['agent', 'supervisor', 'finance'],
  parse: parser(IssueCreditNote),
  async prepare({ client }, input) {
    const invoice = await readOne(client, 'account.move', id(input.invoiceId), [
      'move_type',
      'state',
      'name',
      'amount_total',
      'currency_id',
      'commercial_partner_id',
      'payment_state',
    ]);
    if (!invoice) throw notFound('invoice', 'invoiceId');
    if (invoice['move_type'] !== 'out_invoice' || invoice['state'] !== 'posted')
      throw guard(`${String(invoice['name'])} is not a posted customer invoice`, ['invoiceId']);
    if (invoice['payment_state'] === 'reversed') throw guard(`${String(invoice['name'])} is already reversed by a credit note`, ['invoiceId']);
    // What earlier credit notes of this invoice already gave back (a paid or partly paid invoice keeps
    // its payment state after one: FACTS 32), by product and in total.
    const earlier = await client.searchRead(
      'account.move',
      [
        ['move_type', '=', 'out_refund'],
        ['reversed_entry_id', '=', invoice.id],
        ['state', '!=', 'cancel'],
      ],
      {
        fields: ['amount_total'],
      },
    );
    const creditedTotal = earlier.reduce((sum, n) => sum + Number(n['amount_total'] ?? 0), 0);
    const creditedLines = earlier.length
      ? await client.searchRead(
          'account.move.line',
          [
            ['move_id', 'in', earlier.map((n) => n.id)],
            ['display_type', '=', 'product'],
          ],
          { fields: ['product_id', 'quantity'] },
        )
      : [];
    const credited = (product: number): number =>
      creditedLines.filter((l) => m2oId(l['product_id']) === product).reduce((sum, l) => sum + Number(l['quantity'] ?? 0), 0);
    const currency = m2oName(invoice['currency_id']) ?? 'XXX';
    const invoiceTotal = Number(invoice['amount_total'] ?? 0);
    if (creditedTotal >= invoiceTotal - 0.005) throw guard(`${String(invoice['name'])} is already fully credited`, ['invoiceId']);
    if (creditedTotal > 0 && !input.lines) throw guard(`${String(invoice['name'])} is already partly credited: name the lines to credit`, ['lines']);
    let amount = invoiceTotal - creditedTotal;
    if (input.lines) {
      const lines = await client.searchRead(
        'account.move.line',
        [
          ['move_id', '=', invoice.id],
          ['display_type', '=', 'product'],
        ],
        { fields: ['product_id', 'quantity', 'price_total'] },
      );
      amount = 0;
      for (const [product, quantity] of perProduct(input.lines)) {
        const of = lines.filter((l) => m2oId(l['product_id']) === product);
        const invoiced = of.reduce((s, l) => s + Number(l['quantity'] ?? 0), 0);
        const at = input.lines.findIndex((l) => id(l.productId) === product);
        if (invoiced === 0) throw guard(`${String(invoice['name'])} invoices no such product`, ['lines', String(at), 'productId']);
        const left = invoiced - credited(product);
        if (quantity > left)
          throw guard(`At most ${left} can be credited (invoiced ${invoiced}, already credited ${invoiced - left})`, ['lines', String(at), 'quantity']);
        const total = of.reduce((s, l) => s + Number(l['price_total'] ?? 0), 0);
        amount += (total * quantity) / invoiced;
      }
    }
    const round = (n: number): number => Math.round(n * 100) / 100;
    return {
      amount: { amount: round(amount), currency },
      // Several small credit notes on one invoice must not slip under the approval threshold.
      approvalAmount: { amount: round(amount + creditedTotal), currency },
      customerId: String(m2oId(invoice['commercial_partner_id']) ?? '') || null,
    };
  },
  async execute(deps, input, action) {
    const { client } = deps;
    const marker = markerOf(action);
    const invoiceId = id(input.invoiceId);
    const [earlier] = await client.searchRead(
      'account.move',
      [
        ['move_type', '=', 'out_refund'],
        ['reversed_entry_id', '=', invoiceId],
        ['ref', 'ilike', marker],
      ],
      { fields: ['state', 'name'] },
    );
    let noteId = earlier?.id;
    if (earlier?.['state'] === 'posted') return { records: [ref('account.move', earlier.id, earlier['name'])] };
    if (noteId === undefined) {
      const [invoice] = await client.read('account.move', [invoiceId], ['journal_id']);
      const context = { active_model: 'account.move', active_ids: [invoiceId] };
      const wizard = await odoo(() =>
        create(client, 'account.move.reversal', { reason: `${input.reason} [${marker}]`, journal_id: m2oId(invoice?.['journal_id']) }, context),
      );
      const opened = openedRecord(await odoo(() => method(client, 'account.move.reversal', 'refund_moves', [wizard], { context })));
      if (opened === null) throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'odoo', 'Odoo opened no credit note');
      noteId = opened;
    }
    const draft = noteId;
    try {
      if (input.lines) {
        // Partial: the draft copies every invoice line (FACTS 30); keep the asked quantities only.
        const lines = await client.searchRead(
          'account.move.line',
          [
            ['move_id', '=', draft],
            ['display_type', '=', 'product'],
          ],
          { fields: ['product_id', 'quantity'], order: 'id asc' },
        );
        const wanted = perProduct(input.lines);
        const commands: unknown[] = [];
        for (const line of lines) {
          const product = m2oId(line['product_id']) ?? 0;
          const quantity = Math.min(wanted.get(product) ?? 0, Number(line['quantity'] ?? 0));
          wanted.set(product, (wanted.get(product) ?? 0) - quantity);
          commands.push(quantity > 0 ? [1, line.id, { quantity }] : [2, line.id]);
        }
        await odoo(() => write(client, 'account.move', [draft], { invoice_line_ids: commands }));
      }
      await odoo(() => method(client, 'account.move', 'action_post', [draft]));
    } catch (err) {
      if (err instanceof ActionRefusal) {
        // Nothing half-done: the draft goes (Odoo lets a draft be deleted), the refusal is answered;
        // if the draft cannot go either, the answer says what is left.
        const left = await method(client, 'account.move', 'unlink', [draft]).then(
          () => null,
          (cleanup: unknown) => {
            deps.log.error({ err: String(cleanup), draft }, 'draft credit note left behind');
            return `; a draft credit note (ERP id ${draft}) is left to delete in the ERP`;
          },
        );
        if (left) throw new ActionRefusal({ ...err.userError, message: `${err.userError.message}${left}` });
      }
      throw err;
    }
    const [posted] = await client.read('account.move', [draft], ['name']);
    return { records: [ref('account.move', draft, posted?.['name'])] };
  },
  async after(deps, input, action, executed) {
    const note = executed.records[0];
    if (note)
      await postNote(deps.client, 'account.move', note.id, `Credit note issued: ${input.reason} ${signature(action, input.ticketId)}`).catch(() => undefined);
    const invoice = await readOne(deps.client, 'account.move', id(input.invoiceId), ['commercial_partner_id', 'partner_id']);
    const refs: EntityRef[] = [{ type: 'Invoice', id: id(input.invoiceId) }, ...executed.records.map((r) => ({ type: 'Invoice', id: r.id }))];
    for (const p of [m2oId(invoice?.['commercial_partner_id']), m2oId(invoice?.['partner_id'])]) if (p !== null) refs.push({ type: 'Customer', id: p });
    await invalidate(deps, refs);
  },
};

// ---- createReplacementOrder -----------------------------------------------------------------------

export const createReplacementOrderSpec: ActionSpec<Input<typeof CreateReplacementOrder>, OdooActionDeps> = {
  kind: 'createReplacementOrder',
  defaultRoles: ['agent', 'supervisor'],
  parse: parser(CreateReplacementOrder),
  async prepare({ client }, input) {
    const order = await readOne(client, 'sale.order', id(input.orderId), ['state', 'name', 'partner_id']);
    if (!order) throw notFound('order', 'orderId');
    if (order['state'] !== 'sale') throw guard(`${String(order['name'])} is not a confirmed order: only delivered orders get replacements`, ['orderId']);
    const products = await client.searchRead('product.product', [['id', 'in', [...perProduct(input.lines).keys()]]], {
      fields: ['id'],
      context: { active_test: false },
    });
    input.lines.forEach((l, i) => {
      if (!products.some((p) => p.id === id(l.productId))) throw notFound('product', `lines.${i}.productId`);
    });
    return { customerId: String(m2oId(order['partner_id']) ?? '') || null };
  },
  async execute(deps, input, action) {
    const { client } = deps;
    const marker = markerOf(action);
    // The marker goes in `origin` (internal): `client_order_ref` is printed for the customer.
    const [earlier] = await client.searchRead('sale.order', [['origin', 'ilike', marker]], { fields: ['state', 'name'] });
    let orderId = earlier?.id;
    if (orderId === undefined) {
      const original = await readOne(client, 'sale.order', id(input.orderId), ['name', 'partner_id']);
      if (!original) throw notFound('order', 'orderId');
      orderId = await odoo(() =>
        create(client, 'sale.order', {
          partner_id: m2oId(original['partner_id']),
          origin: `${String(original['name'])} [${marker}]`,
          client_order_ref: `Replacement for ${String(original['name'])}${input.ticketId ? `, ticket #${input.ticketId}` : ''}`,
          order_line: input.lines.map((l) => [0, 0, { product_id: id(l.productId), product_uom_qty: l.quantity, price_unit: 0 }]),
        }),
      );
    }
    const newOrder = orderId;
    if (earlier?.['state'] !== 'sale') await odoo(() => method(client, 'sale.order', 'action_confirm', [newOrder]));
    const [confirmed] = await client.read('sale.order', [newOrder], ['name']);
    return { records: [ref('sale.order', newOrder, confirmed?.['name'])] };
  },
  async after(deps, input, action, executed) {
    const created = executed.records[0];
    if (created)
      await postNote(
        deps.client,
        'sale.order',
        created.id,
        `Replacement order${input.reason ? `: ${input.reason}` : ''} ${signature(action, input.ticketId)}`,
      ).catch(() => undefined);
    const order = await readOne(deps.client, 'sale.order', id(input.orderId), ['partner_id']);
    const partner = m2oId(order?.['partner_id']);
    await invalidate(
      deps,
      await withCommercial(deps, [{ type: 'Order', id: id(input.orderId) }, ...(partner !== null ? [{ type: 'Customer', id: partner }] : [])], partner),
    );
  },
};

// ---- cancelOrder ----------------------------------------------------------------------------------

export const cancelOrderSpec: ActionSpec<Input<typeof CancelOrder>, OdooActionDeps> = {
  kind: 'cancelOrder',
  defaultRoles: ['supervisor'],
  parse: parser(CancelOrder),
  async prepare({ client }, input) {
    const order = await readOne(client, 'sale.order', id(input.orderId), ['state', 'name', 'partner_id']);
    if (!order) throw notFound('order', 'orderId');
    // Odoo cancels an order whose goods have shipped too; a support desk must offer a return instead.
    const shipped = await client.searchRead(
      'stock.picking',
      [
        ['sale_id', '=', order.id],
        ['picking_type_code', '=', 'outgoing'],
        ['state', '=', 'done'],
      ],
      { fields: ['name'] },
    );
    if (shipped.length)
      throw guard(`${String(order['name'])} has shipped goods (${shipped.map((p) => String(p['name'])).join(', ')}): request a return instead`, ['orderId']);
    return { customerId: String(m2oId(order['partner_id']) ?? '') || null };
  },
  async execute(deps, input, action) {
    const { client } = deps;
    const orderId = id(input.orderId);
    const marker = markerOf(action);
    const order = await readOne(client, 'sale.order', orderId, ['state', 'name']);
    if (!order) throw notFound('order', 'orderId');
    if (order['state'] !== 'cancel') {
      // Without the context, Odoo answers its cancellation wizard and cancels nothing (FACTS 19, 21).
      const answer = await odoo(() => method(client, 'sale.order', 'action_cancel', [orderId], { context: { disable_cancel_warning: true } }));
      if (answer !== true) throw new ActionRefusal(userError('ERP_REFUSED', 'Odoo did not cancel the order (it asked for its cancellation wizard)'));
    }
    const notes = await client.searchRead(
      'mail.message',
      [
        ['model', '=', 'sale.order'],
        ['res_id', '=', orderId],
        ['body', 'ilike', marker],
      ],
      { fields: ['id'] },
    );
    // The order is cancelled: a note that cannot be posted does not undo that (logged, not failed).
    if (!notes.length) {
      await postNote(client, 'sale.order', orderId, `Cancelled: ${input.reason} ${signature(action, input.ticketId)}`).catch((err: unknown) =>
        deps.log.warn({ err: err instanceof Error ? err.message : String(err), order: orderId }, 'cancellation note not posted'),
      );
    }
    return { records: [ref('sale.order', orderId, order['name'])] };
  },
  async after(deps, input) {
    const order = await readOne(deps.client, 'sale.order', id(input.orderId), ['partner_id', 'picking_ids']);
    const partner = m2oId(order?.['partner_id']);
    const pickings = Array.isArray(order?.['picking_ids']) ? (order['picking_ids'] as unknown[]).filter((x): x is number => typeof x === 'number') : [];
    const refs: EntityRef[] = [
      { type: 'Order', id: id(input.orderId) },
      ...pickings.map((p) => ({ type: 'Delivery', id: p })),
      ...(partner !== null ? [{ type: 'Customer', id: partner }] : []),
    ];
    await invalidate(deps, await withCommercial(deps, refs, partner));
  },
};

// ---- addOrderNote ---------------------------------------------------------------------------------

export const addOrderNoteSpec: ActionSpec<Input<typeof AddOrderNote>, OdooActionDeps> = {
  kind: 'addOrderNote',
  defaultRoles: ['agent', 'supervisor', 'finance'],
  parse: parser(AddOrderNote),
  async prepare({ client }, input) {
    const order = await readOne(client, 'sale.order', id(input.orderId), ['partner_id']);
    if (!order) throw notFound('order', 'orderId');
    return { customerId: String(m2oId(order['partner_id']) ?? '') || null };
  },
  async execute(deps, input, action): Promise<Executed> {
    const { client } = deps;
    const marker = markerOf(action);
    const orderId = id(input.orderId);
    const [earlier] = await client.searchRead(
      'mail.message',
      [
        ['model', '=', 'sale.order'],
        ['res_id', '=', orderId],
        ['body', 'ilike', marker],
      ],
      { fields: ['id'] },
    );
    // Plain text: Odoo escapes a string body itself (FACTS 23), so markup stays text.
    const messageId = earlier?.id ?? (await odoo(() => postNote(client, 'sale.order', orderId, `${input.body}\n\n${signature(action, input.ticketId)}`)));
    return { records: [ref('mail.message', messageId)] };
  },
};

/** The Odoo subgraph's actions by kind (approval and the reconciler find a stored action's spec here). */
export const ODOO_ACTIONS = new Map<string, ActionSpec<unknown, OdooActionDeps>>(
  [requestReturnSpec, issueCreditNoteSpec, createReplacementOrderSpec, cancelOrderSpec, addOrderNoteSpec].map((s) => [
    s.kind,
    s as ActionSpec<unknown, OdooActionDeps>,
  ]),
);
