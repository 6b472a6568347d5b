/**
 * Odoo's ORM calls as the actions make them, the same on both protocols: `/jsonrpc` takes positional
 * arguments, JSON-2 only named ones (fixtures odoo-capabilities/action.*: what a real Odoo 18 answers).
 */
import type { OdooClient } from './client';

type Context = Readonly<Record<string, unknown>>;

/** The id of a `create` answer: an int over /jsonrpc, a list over JSON-2 (and for a list of values). */
function createdId(answer: unknown): number {
  const id = Array.isArray(answer) ? answer[0] : answer;
  if (typeof id !== 'number') throw new TypeError(`Odoo create answered ${JSON.stringify(answer)}`);
  return id;
}

export async function create(client: OdooClient, model: string, vals: Readonly<Record<string, unknown>>, context?: Context): Promise<number> {
  const ctx = context ? { context } : {};
  const answer =
    client.protocol === 'json2' ? await client.call(model, 'create', [], { vals_list: [vals], ...ctx }) : await client.call(model, 'create', [vals], ctx);
  return createdId(answer);
}

export async function write(
  client: OdooClient,
  model: string,
  ids: readonly number[],
  vals: Readonly<Record<string, unknown>>,
  context?: Context,
): Promise<void> {
  const ctx = context ? { context } : {};
  if (client.protocol === 'json2') await client.call(model, 'write', [[...ids]], { vals, ...ctx });
  else await client.call(model, 'write', [[...ids], vals], ctx);
}

/** A public method of records (`action_post`, `action_cancel`, `refund_moves`, ...). */
export function method(
  client: OdooClient,
  model: string,
  name: string,
  ids: readonly number[],
  kwargs: Readonly<Record<string, unknown>> = {},
): Promise<unknown> {
  return client.call(model, name, [[...ids]], kwargs);
}

/** `message_post` of an internal note (subtype Note): Odoo escapes the plain-text body (FACTS 23). */
export async function postNote(client: OdooClient, model: string, id: number, body: string): Promise<number> {
  const answer = await method(client, model, 'message_post', [id], { body, message_type: 'comment', subtype_xmlid: 'mail.mt_note' });
  return createdId(answer);
}

/** The record an act_window answer opens (`res_id`), e.g. the return picking or the credit note. */
export function openedRecord(answer: unknown): number | null {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return null;
  const id = (answer as Record<string, unknown>)['res_id'];
  return typeof id === 'number' ? id : null;
}
