/**
 * Issue 11's acceptance, end to end: ERP actions through the gateway, the Odoo subgraph, the pipeline
 * and the durable action log on the real PostgreSQL (a schema of this run's own), with the ERP's state
 * and calls read from the emulated Odoo.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { markerOf } from '../../actions/pipeline';
import { reconcileOdooActions } from '../../subgraphs/odoo/reconcile';
import { startStack, type RunningStack } from '../../sandbox/stack';
import type { OdooDb, Row } from '../../sandbox/odoo/store';
import { createLogger } from '../../platform/log';
import { withLiftedLimits } from '../../sandbox/lifted-limits';
import { injectFault } from '../support/http';
import { query, resetStats } from '../support/stack';

const DATABASE_URL = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const schema = `actions_e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
let stack: RunningStack;
let db: OdooDb;

beforeAll(async () => {
  // 50 concurrent requests of one user with one key test idempotency, not admission control.
  stack = await startStack({ actions: { databaseUrl: DATABASE_URL, schema }, editRegistry: withLiftedLimits() });
  db = stack.emulators.odoo.db('acme');
});
afterAll(async () => {
  await stack?.stop();
  const pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
  await pg.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pg.end();
});
beforeEach(async () => {
  await resetStats(stack, { faults: true });
});

interface Payload {
  action: {
    id: string;
    status: string;
    records: Array<{ model: string; id: string; name: string | null }>;
    amount: { amount: number; currencyCode: string } | null;
  } | null;
  replayed: boolean;
  userErrors: Array<{ code: string; message: string; field: string[] | null }>;
}

const FIELDS = 'action { id status records { model id name } amount { amount currencyCode } } replayed userErrors { code message field }';

async function mutate(name: string, input: Record<string, unknown>, role: Parameters<RunningStack['token']>[1] = 'agent', tenant = 'acme'): Promise<Payload> {
  const res = await query<Record<string, Payload>>(
    stack,
    tenant,
    role,
    `mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${FIELDS} } }`,
    { input },
  );
  if (!res.data?.[name]) throw new Error(`${name}: ${JSON.stringify(res.errors)}`);
  return res.data[name];
}

const value = (model: string, row: Row, field: string): unknown => db.value(model, row, field);
const creditNotesOf = (invoiceId: number): Row[] =>
  db.all('account.move').filter((m) => m['move_type'] === 'out_refund' && m['reversed_entry_id'] === invoiceId);
/** Posted customer invoices of acme not reversed yet, by amount. */
const openInvoices = (): Row[] =>
  db
    .all('account.move')
    .filter(
      (m) =>
        m['move_type'] === 'out_invoice' &&
        m['state'] === 'posted' &&
        creditNotesOf(m.id).length === 0 &&
        value('account.move', m, 'payment_state') !== 'reversed',
    );
const odooCalls = async (op: string): Promise<number> => {
  const stats = (await (await fetch(`${stack.emulators.odoo.url}/__sandbox/stats`)).json()) as { requests: Record<string, Record<string, number>> };
  return stats.requests['acme']?.[op] ?? 0;
};

describe('issueCreditNote', () => {
  it('should write exactly one credit note for 50 concurrent identical requests with one key, all answering the same action', async () => {
    const invoice = openInvoices().find((m) => Number(value('account.move', m, 'amount_total')) < 500)!;
    const input = { idempotencyKey: `k-${randomUUID()}`, invoiceId: String(invoice.id), reason: 'Damaged on arrival', ticketId: '1' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => mutate('issueCreditNote', input)));
    const ids = new Set(answers.map((a) => a.action?.id));
    expect(ids.size).toBe(1);
    expect(answers.every((a) => a.action?.status === 'SUCCEEDED' && a.userErrors.length === 0)).toBe(true);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    const notes = creditNotesOf(invoice.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]!['state']).toBe('posted');
    expect(String(notes[0]!['ref'])).toContain(markerOf({ id: [...ids][0]! }));
    expect(await odooCalls('account.move.reversal.refund_moves')).toBe(1);
    // The action's amount is what the credit note gives back (the invoice's total).
    expect(answers[0]!.action?.amount?.amount).toBeCloseTo(Number(value('account.move', invoice, 'amount_total')), 2);

    // Same key, other input: refused, nothing written.
    await resetStats(stack);
    const reused = await mutate('issueCreditNote', { ...input, reason: 'Another reason' });
    expect(reused.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(creditNotesOf(invoice.id)).toHaveLength(1);
    expect(await odooCalls('account.move.reversal.create')).toBe(0);
  });

  it('should hold a credit note above the threshold for approval, never approved by its requester, then post exactly one', async () => {
    const invoice = openInvoices().find((m) => Number(value('account.move', m, 'amount_total')) > 600)!;
    const input = { idempotencyKey: `k-${randomUUID()}`, invoiceId: String(invoice.id), reason: 'Goodwill', ticketId: '2' };
    const pending = await mutate('issueCreditNote', input, 'agent');
    expect(pending.action?.status).toBe('PENDING_APPROVAL');
    expect(pending.userErrors).toEqual([]);
    expect(await odooCalls('account.move.reversal.create')).toBe(0);
    expect(creditNotesOf(invoice.id)).toHaveLength(0);

    const id = pending.action!.id;
    const approve = (role: Parameters<RunningStack['token']>[1]) =>
      query<{ approveAction: Payload }>(stack, 'acme', role, `mutation($id: ID!) { approveAction(id: $id) { ${FIELDS} } }`, { id });
    const self = await approve('agent');
    expect(self.data?.approveAction.userErrors.map((e) => e.code)).toEqual(['SELF_APPROVAL']);
    const supervisor = await approve('supervisor');
    expect(supervisor.data?.approveAction.userErrors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    expect(creditNotesOf(invoice.id)).toHaveLength(0);

    const finance = await approve('finance');
    expect(finance.data?.approveAction.action?.status).toBe('SUCCEEDED');
    const notes = creditNotesOf(invoice.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]!['state']).toBe('posted');
    const again = await approve('finance');
    expect(again.data?.approveAction.userErrors.map((e) => e.code)).toEqual(['NOT_PENDING']);
    expect(creditNotesOf(invoice.id)).toHaveLength(1);
  });

  it('should credit part of an invoice by line quantities, posted with that amount', async () => {
    const invoice = openInvoices().find((m) => {
      if (Number(value('account.move', m, 'amount_total')) >= 500) return false;
      return db.all('account.move.line').some((l) => l['move_id'] === m.id && l['display_type'] === 'product' && Number(l['quantity']) >= 2);
    })!;
    const line = db.all('account.move.line').find((l) => l['move_id'] === invoice.id && l['display_type'] === 'product' && Number(l['quantity']) >= 2)!;
    const done = await mutate('issueCreditNote', {
      idempotencyKey: `k-${randomUUID()}`,
      invoiceId: String(invoice.id),
      reason: 'One unit broken',
      lines: [{ productId: String(line['product_id']), quantity: 1 }],
    });
    expect(done.action?.status).toBe('SUCCEEDED');
    const [note] = creditNotesOf(invoice.id);
    const noteLines = db.all('account.move.line').filter((l) => l['move_id'] === note!.id && l['display_type'] === 'product');
    expect(noteLines.map((l) => [l['product_id'], l['quantity']])).toEqual([[line['product_id'], 1]]);
    const perUnit = Number(value('account.move.line', line, 'price_total')) / Number(line['quantity']);
    expect(done.action?.amount?.amount).toBeCloseTo(perUnit, 1);
    expect(Number(value('account.move', note!, 'amount_total'))).toBeCloseTo(perUnit, 1);
  });

  it('should check the guards again at approval, and count earlier credit notes against the threshold', async () => {
    const invoice = openInvoices().find((m) => {
      const total = Number(value('account.move', m, 'amount_total'));
      return (
        total > 600 &&
        db
          .all('account.move.line')
          .some(
            (l) =>
              l['move_id'] === m.id && l['display_type'] === 'product' && Number(value('account.move.line', l, 'price_total')) / Number(l['quantity']) < 100,
          )
      );
    })!;
    const cheap = db
      .all('account.move.line')
      .find(
        (l) =>
          l['move_id'] === invoice.id && l['display_type'] === 'product' && Number(value('account.move.line', l, 'price_total')) / Number(l['quantity']) < 100,
      )!;
    const full = await mutate('issueCreditNote', { idempotencyKey: `k-${randomUUID()}`, invoiceId: String(invoice.id), reason: 'Full refund' });
    expect(full.action?.status).toBe('PENDING_APPROVAL');
    // Meanwhile one unit is credited (under the threshold: it executes at once).
    const one = await mutate('issueCreditNote', {
      idempotencyKey: `k-${randomUUID()}`,
      invoiceId: String(invoice.id),
      reason: 'One unit',
      lines: [{ productId: String(cheap['product_id']), quantity: 1 }],
    });
    expect(one.action?.status).toBe('SUCCEEDED');
    // The full credit note would now credit twice what was credited: refused at approval, nothing written.
    const approved = await query<{ approveAction: Payload }>(stack, 'acme', 'finance', `mutation($id: ID!) { approveAction(id: $id) { ${FIELDS} } }`, {
      id: full.action!.id,
    });
    expect(approved.data?.approveAction.action?.status).toBe('FAILED');
    expect(approved.data?.approveAction.userErrors[0]).toMatchObject({ code: 'GUARD_REFUSED', message: expect.stringMatching(/already partly credited/) });
    expect(creditNotesOf(invoice.id)).toHaveLength(1);
  });

  it("should answer Odoo's own refusal as a user error, leaving no draft credit note behind", async () => {
    const invoice = openInvoices().find((m) => Number(value('account.move', m, 'amount_total')) < 500)!;
    await injectFault(stack.emulators.odoo.url, {
      tenant: 'acme',
      op: 'account.move.action_post',
      fault: 'error',
      error: 'odoo.exceptions.UserError',
      times: 1,
    });
    const refused = await mutate('issueCreditNote', { idempotencyKey: `k-${randomUUID()}`, invoiceId: String(invoice.id), reason: 'Wrong price' });
    expect(refused.action?.status).toBe('FAILED');
    expect(refused.userErrors).toEqual([{ code: 'ERP_REFUSED', message: 'UserError (injected by the sandbox)', field: null }]);
    expect(creditNotesOf(invoice.id)).toHaveLength(0);
    expect(JSON.stringify(refused)).not.toMatch(/Traceback|odoo\.exceptions/);
  });

  it('should find its own credit note after an answer lost behind a committed write, and not write a second', async () => {
    const invoice = openInvoices().find((m) => Number(value('account.move', m, 'amount_total')) < 500)!;
    await injectFault(stack.emulators.odoo.url, { tenant: 'acme', op: 'account.move.action_post', fault: 'reset_after', times: 1 });
    const done = await mutate('issueCreditNote', { idempotencyKey: `k-${randomUUID()}`, invoiceId: String(invoice.id), reason: 'Lost answer' });
    expect(done.action?.status).toBe('SUCCEEDED');
    const notes = creditNotesOf(invoice.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]!['state']).toBe('posted');
    expect(done.action?.records.map((r) => r.id)).toEqual([String(notes[0]!.id)]);
  });
});

describe('requestReturn', () => {
  /** A done delivery of the small customer (or its contacts) with goods. */
  const doneDelivery = (): Row =>
    db
      .all('stock.picking')
      .find(
        (p) =>
          p['state'] === 'done' &&
          value('stock.picking', p, 'picking_type_code') === 'outgoing' &&
          db.all('stock.picking').every((r) => r['return_id'] !== p.id),
      )!;
  const movesOf = (picking: number): Row[] => db.all('stock.move').filter((m) => m['picking_id'] === picking && m['state'] === 'done');

  it('should refuse more than delivered minus returned with no write, return within it, and show the return in the next query', async () => {
    const delivery = doneDelivery();
    const [move] = movesOf(delivery.id);
    const delivered = Number(move!['quantity']);
    const product = String(move!['product_id']);
    const tooMany = await mutate('requestReturn', {
      idempotencyKey: `k-${randomUUID()}`,
      deliveryId: String(delivery.id),
      lines: [{ productId: product, quantity: delivered + 1 }],
    });
    expect(tooMany.userErrors[0]).toMatchObject({ code: 'GUARD_REFUSED', field: ['lines', '0', 'quantity'] });
    expect(await odooCalls('stock.return.picking.create')).toBe(0);

    const partner = Number(delivery['partner_id']);
    const customerId = Number(db.value('res.partner', db.get('res.partner', partner)!, 'commercial_partner_id'));
    const deliveriesQuery = `query($id: ID!) { customer(id: $id) { deliveries(first: 100) { edges { node { id kind } } } } }`;
    const before = await query<{ customer: { deliveries: { edges: Array<{ node: { id: string; kind: string } }> } } }>(
      stack,
      'acme',
      'agent',
      deliveriesQuery,
      { id: String(customerId) },
    );

    const done = await mutate('requestReturn', {
      idempotencyKey: `k-${randomUUID()}`,
      deliveryId: String(delivery.id),
      lines: [{ productId: product, quantity: 1 }],
      reason: 'Broken',
      ticketId: '1',
    });
    expect(done.action?.status).toBe('SUCCEEDED');
    const returned = db.all('stock.picking').filter((p) => p['return_id'] === delivery.id);
    expect(returned).toHaveLength(1);
    expect(String(returned[0]!['note'])).toContain(markerOf(done.action!));

    // The cache entries the return changed were invalidated: the next query shows it.
    const after = await query<{ customer: { deliveries: { edges: Array<{ node: { id: string; kind: string } }> } } }>(stack, 'acme', 'agent', deliveriesQuery, {
      id: String(customerId),
    });
    const ids = (r: typeof after) => r.data!.customer.deliveries.edges.map((e) => e.node.id);
    expect(ids(after)).toContain(String(returned[0]!.id));
    expect(ids(before)).not.toContain(String(returned[0]!.id));
    expect(after.data!.customer.deliveries.edges.find((e) => e.node.id === String(returned[0]!.id))?.node.kind).toBe('RETURN');

    // A return whose answer is lost after Odoo made it is found and marked, not made twice, even when
    // Odoo copied the delivery's own note into it (it builds a return by copying the delivery).
    db.update('stock.picking', delivery.id, { note: '<p>Fragile: handle with care</p>' });
    await injectFault(stack.emulators.odoo.url, { tenant: 'acme', op: 'stock.return.picking.action_create_returns', fault: 'reset_after', times: 1 });
    const lost = await mutate('requestReturn', {
      idempotencyKey: `k-${randomUUID()}`,
      deliveryId: String(delivery.id),
      lines: [{ productId: product, quantity: 1 }],
    });
    expect(lost.action?.status).toBe('SUCCEEDED');
    const returns = db.all('stock.picking').filter((p) => p['return_id'] === delivery.id);
    expect(returns).toHaveLength(2);
    expect(returns.filter((p) => String(p['note']).includes(markerOf(lost.action!)))).toHaveLength(1);

    // What was returned counts: the rest only.
    const rest = await mutate('requestReturn', {
      idempotencyKey: `k-${randomUUID()}`,
      deliveryId: String(delivery.id),
      lines: [{ productId: product, quantity: delivered }],
    });
    expect(rest.userErrors[0]?.code).toBe('GUARD_REFUSED');
  });
});

describe('cancelOrder and addOrderNote', () => {
  const confirmed = (shipped: boolean): Row =>
    db
      .all('sale.order')
      .find(
        (o) =>
          o['state'] === 'sale' &&
          db.all('stock.picking').some((p) => p['sale_id'] === o.id) &&
          db.all('stock.picking').some((p) => p['sale_id'] === o.id && p['state'] === 'done') === shipped,
      )!;

  it('should refuse to cancel a shipped order, with no write, and cancel one that has not shipped (supervisors only)', async () => {
    const shipped = confirmed(true);
    const refused = await mutate(
      'cancelOrder',
      { idempotencyKey: `k-${randomUUID()}`, orderId: String(shipped.id), reason: 'Customer changed mind' },
      'supervisor',
    );
    expect(refused.userErrors[0]?.code).toBe('GUARD_REFUSED');
    expect(refused.userErrors[0]?.message).toMatch(/request a return instead/);
    expect(await odooCalls('sale.order.action_cancel')).toBe(0);

    const open = confirmed(false);
    const agent = await mutate('cancelOrder', { idempotencyKey: `k-${randomUUID()}`, orderId: String(open.id), reason: 'Duplicate order' }, 'agent');
    expect(agent.userErrors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    // The refused attempt is in the tenant's audit trail, as every attempt is.
    const trail = await stack.actionStore.auditTrail('acme', { limit: 500 });
    expect(trail.some((e) => e.kind === 'cancelOrder' && e.actor === 'agent@acme.example' && e.outcome === 'denied')).toBe(true);
    const done = await mutate('cancelOrder', { idempotencyKey: `k-${randomUUID()}`, orderId: String(open.id), reason: 'Duplicate order' }, 'supervisor');
    expect(done.action?.status).toBe('SUCCEEDED');
    expect(db.get('sale.order', open.id)?.['state']).toBe('cancel');
  });

  it('should post a plain-text internal note once, escaped, whatever the retries', async () => {
    const order = db.all('sale.order').find((o) => o['state'] === 'sale')!;
    const input = { idempotencyKey: `k-${randomUUID()}`, orderId: String(order.id), body: 'Customer says <b>urgent</b> & fragile', ticketId: '3' };
    const first = await mutate('addOrderNote', input);
    const second = await mutate('addOrderNote', input);
    expect(second.replayed).toBe(true);
    expect(second.action?.id).toBe(first.action?.id);
    const messages = stack.emulators.odoo
      .db('acme')
      .all('mail.message')
      .filter((m) => m['model'] === 'sale.order' && m['res_id'] === order.id && String(m['body']).includes(markerOf(first.action!)));
    expect(messages).toHaveLength(1);
    expect(String(messages[0]!['body'])).toContain('&lt;b&gt;urgent&lt;/b&gt; &amp; fragile');
  });

  it('should mark an action DEAD when the ERP stays down through its retries, and let an admin (only) retry it', async () => {
    const order = db.all('sale.order').find((o) => o['state'] === 'sale')!;
    await injectFault(stack.emulators.odoo.url, { tenant: 'acme', op: 'sale.order.message_post', fault: 'http5xx' });
    const dead = await mutate('addOrderNote', { idempotencyKey: `k-${randomUUID()}`, orderId: String(order.id), body: 'Through an outage' });
    expect(dead.action?.status).toBe('DEAD');
    expect(dead.userErrors.map((e) => e.code)).toEqual(['UPSTREAM_FAILED']);
    expect(await odooCalls('sale.order.message_post')).toBe(3);
    await resetStats(stack, { faults: true });
    const retry = (role: Parameters<RunningStack['token']>[1]) =>
      query<{ retryAction: Payload }>(stack, 'acme', role, `mutation($id: ID!) { retryAction(id: $id) { ${FIELDS} } }`, { id: dead.action!.id });
    expect((await retry('supervisor')).data?.retryAction.userErrors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    const retried = await retry('admin');
    expect(retried.data?.retryAction.action?.status).toBe('SUCCEEDED');
    expect(db.all('mail.message').filter((m) => String(m['body']).includes(markerOf(dead.action!)))).toHaveLength(1);
  });

  it('should answer invalid input with user errors naming the fields, and write nothing', async () => {
    const bad = await mutate('addOrderNote', { idempotencyKey: '', orderId: 'x', body: ' ' });
    expect(bad.action).toBeNull();
    expect(bad.userErrors.map((e) => [e.code, e.field?.[0]])).toEqual([
      ['INVALID_INPUT', 'idempotencyKey'],
      ['INVALID_INPUT', 'orderId'],
      ['INVALID_INPUT', 'body'],
    ]);
  });
});

describe('the reconciler', () => {
  it('should settle an action whose process died between the ERP write and the log update', async () => {
    const order = db.all('sale.order').find((o) => o['state'] === 'sale')!;
    // The log says EXECUTING (the process died before recording the outcome) ...
    const { action } = await stack.actionStore.create({
      tenant: 'acme',
      kind: 'addOrderNote',
      idempotencyKey: `k-${randomUUID()}`,
      inputHash: 'x',
      input: { orderId: String(order.id), body: 'Written before the crash', ticketId: null },
      status: 'EXECUTING',
      requester: 'agent@acme.example',
      requesterRoles: ['agent'],
      ticketId: null,
      customerId: null,
      amount: null,
      currency: null,
      requestId: null,
      expiresAt: null,
    });
    // ... while Odoo already holds the note carrying its marker.
    const before = db.all('mail.message').length;
    db.insert('mail.message', {
      model: 'sale.order',
      res_id: order.id,
      body: `<p>Written before the crash [${markerOf(action)}]</p>`,
      message_type: 'comment',
    });

    const report = await reconcileOdooActions({
      store: stack.actionStore,
      registry: stack.registry,
      secrets: stack.secrets,
      log: createLogger('reconcile-test', 'silent'),
      abandonedAfterMs: 0,
      now: () => Date.now() + 1_000,
    });
    expect(report.settled).toBeGreaterThanOrEqual(1);
    const settled = await stack.actionStore.get('acme', action.id);
    expect(settled?.status).toBe('SUCCEEDED');
    expect(db.all('mail.message').length).toBe(before + 1); // found, not written again
  });
});

describe('the action log is the tenant’s own', () => {
  it('should show a globex supervisor none of acme’s actions, and refuse the audit to an agent', async () => {
    const acmeLog = await query<{ actions: { totalCount: number } }>(stack, 'acme', 'supervisor', '{ actions(first: 100) { totalCount } }');
    expect(acmeLog.data?.actions.totalCount).toBeGreaterThan(0);
    const globexLog = await query<{ actions: { totalCount: number; edges: unknown[] } }>(
      stack,
      'globex',
      'supervisor',
      '{ actions(first: 100) { totalCount edges { node { id } } } }',
    );
    expect(globexLog.data?.actions.totalCount).toBe(0);
    const agent = await query<{ actions: unknown }>(stack, 'acme', 'agent', '{ actions(first: 5) { totalCount } }');
    expect(agent.data?.actions ?? null).toBeNull();
    expect(agent.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const someId = (
      await query<{ actions: { edges: Array<{ node: { id: string } }> } }>(stack, 'acme', 'supervisor', '{ actions(first: 1) { edges { node { id } } } }')
    ).data!.actions.edges[0]!.node.id;
    const fromGlobex = await query<{ action: unknown }>(stack, 'globex', 'admin', 'query($id: ID!) { action(id: $id) { id } }', { id: someId });
    expect(fromGlobex.data?.action).toBeNull();
  });
});

describe('ticket actions (Zendesk)', () => {
  const ticketQuery = 'query($id: ID!) { ticket(id: $id) { status priority tags comments(first: 100) { edges { node { body public } } } } }';
  interface TicketView {
    ticket: { status: string; priority: string | null; tags: string[]; comments: { edges: Array<{ node: { body: string; public: boolean } }> } };
  }

  it('should change a ticket through the pipeline, answering the action as the ERP subgraph logs it', async () => {
    const res = await query<{ updateTicket: Payload }>(
      stack,
      'acme',
      'agent',
      `mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { ${FIELDS} } }`,
      { input: { idempotencyKey: `k-${randomUUID()}`, ticketId: '3', status: 'PENDING', priority: 'HIGH', tags: ['refund', 'vip'] } },
    );
    expect(res.errors).toBeUndefined();
    // `action` is resolved by the Odoo subgraph from the shared log: federation across the two.
    expect(res.data?.updateTicket.action).toMatchObject({ status: 'SUCCEEDED', records: [{ model: 'ticket', id: '3' }] });
    const ticket = await query<TicketView>(stack, 'acme', 'agent', ticketQuery, { id: '3' });
    expect(ticket.data?.ticket).toMatchObject({ status: 'PENDING', priority: 'HIGH', tags: ['refund', 'vip'] });

    const refused = await query<{ updateTicket: Payload }>(
      stack,
      'acme',
      'agent',
      `mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { ${FIELDS} } }`,
      {
        input: { idempotencyKey: `k-${randomUUID()}`, ticketId: '3' },
      },
    );
    expect(refused.data?.updateTicket.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['status'] });
  });

  it('should add an internal note once, whatever the retries, and not show it as a public reply', async () => {
    const input = { idempotencyKey: `k-${randomUUID()}`, ticketId: '4', body: 'Credit note issued, see the ERP', public: false };
    const run = () =>
      query<{ addTicketComment: Payload }>(
        stack,
        'acme',
        'agent',
        `mutation($input: AddTicketCommentInput!) { addTicketComment(input: $input) { ${FIELDS} } }`,
        { input },
      );
    const [first, second] = await Promise.all([run(), run()]);
    expect(new Set([first.data?.addTicketComment.action?.id, second.data?.addTicketComment.action?.id]).size).toBe(1);
    const ticket = await query<TicketView>(stack, 'acme', 'agent', ticketQuery, { id: '4' });
    const notes = ticket.data!.ticket.comments.edges.map((e) => e.node).filter((c) => c.body.includes('Credit note issued, see the ERP'));
    expect(notes).toEqual([{ body: expect.stringContaining(markerOf(first.data!.addTicketComment.action!)), public: false }]);
  });
});

describe('actions over JSON-2 (globex, Odoo 19)', () => {
  it('should post a note and a credit note through the JSON-2 API', async () => {
    const globex = stack.emulators.odoo.db('globex');
    const order = globex.all('sale.order').find((o) => o['state'] === 'sale')!;
    const note = await mutate('addOrderNote', { idempotencyKey: `k-${randomUUID()}`, orderId: String(order.id), body: 'Over JSON-2' }, 'agent', 'globex');
    expect(note.action?.status).toBe('SUCCEEDED');
    expect(globex.all('mail.message').filter((m) => String(m['body']).includes(markerOf(note.action!)))).toHaveLength(1);

    const invoice = globex
      .all('account.move')
      .find(
        (m) =>
          m['move_type'] === 'out_invoice' && m['state'] === 'posted' && Number(globex.value('account.move', m, 'amount_total')) < 500 && m['company_id'] === 1,
      )!;
    const credit = await mutate(
      'issueCreditNote',
      { idempotencyKey: `k-${randomUUID()}`, invoiceId: String(invoice.id), reason: 'JSON-2 refund' },
      'agent',
      'globex',
    );
    expect(credit.action?.status).toBe('SUCCEEDED');
    const notes = globex.all('account.move').filter((m) => m['move_type'] === 'out_refund' && m['reversed_entry_id'] === invoice.id);
    expect(notes.map((n) => n['state'])).toEqual(['posted']);
  });
});
