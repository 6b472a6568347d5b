/** Invoicing: posting with INV/RINV numbering, credit notes through account.move.reversal, payments. */
import { isInvoice, moveResidual, reconcile, round2 } from '../calc';
import { userError } from '../errors';
import { commercialPartnerId } from '../models/partner';
import { ormCreate, toIds } from '../orm';
import type { Row } from '../store';
import { paymentsAction, reverseAction } from './actions';
import type { Env, ModelBehaviour } from './types';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const pad5 = (n: number): string => String(n).padStart(5, '0');
const PROTECTED_POSTED = [
  'invoice_line_ids',
  'line_ids',
  'partner_id',
  'currency_id',
  'journal_id',
  'move_type',
  'date',
  'invoice_date',
  'amount_total',
  'amount_untaxed',
];
const PREFIX: Record<string, string> = { out_invoice: 'INV', out_refund: 'RINV', in_invoice: 'BILL', in_refund: 'RBILL', entry: 'MISC' };

/** `action_post` for one draft move; a credit note is reconciled with the invoice it reverses. */

/** Create commands copying invoice lines (a reversal, a duplicated invoice): product, quantities, prices, taxes, sale links. */
const copyLines = (lines: readonly Row[]): unknown[] =>
  lines.map((l) => [
    0,
    0,
    {
      product_id: l.product_id,
      name: l.name,
      quantity: l.quantity,
      price_unit: l.price_unit,
      discount: l.discount,
      tax_ids: [[6, 0, toIds(l.tax_ids)]],
      sale_line_ids: [[6, 0, toIds(l.sale_line_ids)]],
    },
  ]);
export function postMove(env: Env, moveId: number, when?: string): void {
  const move = env.db.get('account.move', moveId);
  if (!move) return;
  const day = typeof move.invoice_date === 'string' ? move.invoice_date : (when ?? env.db.today()).slice(0, 10);
  const prefix = `${PREFIX[String(move.move_type)] ?? 'MISC'}/${day.slice(0, 4)}/`;
  // sequences are per company: both companies have an INV/<year>/00001 (FACTS 16)
  const company = typeof move.company_id === 'number' ? move.company_id : 1;
  const name = typeof move.name === 'string' && move.name && move.name !== '/' ? move.name : `${prefix}${pad5(env.db.nextNumber(`${company}:${prefix}`))}`;
  env.db.update('account.move', moveId, {
    state: 'posted',
    name,
    invoice_date: isInvoice(move) ? day : false,
    date: day,
    invoice_date_due: isInvoice(move) ? (typeof move.invoice_date_due === 'string' ? move.invoice_date_due : day) : false,
  });
  if (typeof move.reversed_entry_id === 'number') {
    const origin = env.db.get('account.move', move.reversed_entry_id);
    const posted = env.db.get('account.move', moveId);
    if (origin && posted && origin.state === 'posted') {
      const amount = Math.min(moveResidual(env.db, origin), moveResidual(env.db, posted));
      if (amount > 0) reconcile(env.db, origin.id, moveId, amount, day);
    }
  }
}

/** Credit notes for posted moves (`reverse_moves`); returns the new (draft) move ids. */
export function reverseMoves(env: Env, moveIds: number[], reason: string | false, date: string, journalId: number | undefined): number[] {
  const created: number[] = [];
  for (const id of moveIds) {
    const move = env.db.get('account.move', id);
    if (!move) continue;
    const lines = env.db.all('account.move.line').filter((l) => l.move_id === id);
    const [newId] = ormCreate(env, 'account.move', [
      {
        move_type: move.move_type === 'out_invoice' ? 'out_refund' : move.move_type === 'in_invoice' ? 'in_refund' : move.move_type,
        partner_id: move.partner_id,
        partner_shipping_id: move.partner_shipping_id,
        currency_id: move.currency_id,
        journal_id: journalId ?? move.journal_id,
        invoice_origin: move.invoice_origin,
        ref: `Reversal of: ${String(move.name)}${reason ? `, ${reason}` : ''}`,
        reversed_entry_id: id,
        date,
        invoice_date: date,
        invoice_user_id: move.invoice_user_id,
        company_id: move.company_id ?? 1,
        invoice_line_ids: copyLines(lines),
      },
    ]);
    if (newId !== undefined) created.push(newId);
  }
  return created;
}

/** Registers one customer payment over invoices (oldest first); returns the payment id. */
export function registerPayment(env: Env, invoiceIds: number[], amount: number, date: string, state: 'in_process' | 'paid' = 'in_process'): number {
  const invoices = invoiceIds.map((id) => env.db.get('account.move', id)).filter((m): m is Row => m !== undefined);
  const first = invoices[0];
  const partner = first && typeof first.partner_id === 'number' ? env.db.get('res.partner', first.partner_id) : undefined;
  const partnerId = partner ? commercialPartnerId(env.db, partner) : false;
  const prefix = `PBNK1/${date.slice(0, 4)}/`;
  const company = typeof first?.company_id === 'number' ? first.company_id : 1;
  const name = `${prefix}${pad5(env.db.nextNumber(`${company}:${prefix}`))}`;
  const [moveId] = ormCreate(env, 'account.move', [
    {
      move_type: 'entry',
      name,
      ref: invoices.map((m) => String(m.name)).join(' '),
      state: 'posted',
      journal_id: 6,
      partner_id: partnerId,
      entry_amount: round2(amount),
      date,
      currency_id: first?.currency_id,
      company_id: company,
    },
  ]);
  const [paymentId] = ormCreate(env, 'account.payment', [
    {
      name,
      state,
      amount: round2(amount),
      payment_type: 'inbound',
      partner_type: 'customer',
      partner_id: partnerId,
      move_id: moveId,
      journal_id: 6,
      currency_id: first?.currency_id,
      date,
      memo: invoices.map((m) => String(m.name)).join(' '),
      company_id: company,
    },
  ]);
  let left = amount;
  for (const inv of invoices) {
    const part = Math.min(left, moveResidual(env.db, inv));
    if (part <= 0 || moveId === undefined) continue;
    reconcile(env.db, inv.id, moveId, part, date);
    left -= part;
  }
  return paymentId ?? 0;
}

export const accountBehaviours: Record<string, ModelBehaviour> = {
  'account.move': {
    beforeCreate: (env, vals) => {
      const out = { ...vals };
      out.move_type ??= typeof env.context.default_move_type === 'string' ? env.context.default_move_type : 'entry';
      out.date ??= env.db.today();
      out.currency_id ??= env.db.valueOf('res.company', typeof out.company_id === 'number' ? out.company_id : 1, 'currency_id');
      if (out.name === undefined && out.move_type === 'entry') out.name = '/';
      return out;
    },
    beforeWrite: (env, ids, vals) => {
      const posted = ids.some((id) => env.db.get('account.move', id)?.state === 'posted');
      const touched = PROTECTED_POSTED.filter((f) => f in vals);
      if (posted && touched.length) throw userError(`You cannot modify the following readonly fields on a posted move: ${touched.join(', ')}`);
    },
    beforeUnlink: (env, ids) => {
      // account.move.unlink deletes the lines first; account.move.line `_unlink_except_posted` refuses (17.0-19.0 source)
      if (ids.some((id) => env.db.get('account.move', id)?.state === 'posted'))
        throw userError(
          "You can't delete a posted journal item. Don’t play games with your accounting records; reset the journal entry to draft before deleting it.",
        );
    },
    methods: {
      action_post: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            const m = env.db.get('account.move', id);
            if (m && m.state !== 'draft') throw userError(`The entry ${typeof m.name === 'string' && m.name ? m.name : '/'} (id ${id}) must be in draft.`);
          }
          for (const id of ids) postMove(env, id);
          return false;
        },
      },
      button_draft: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            for (const p of env.db.all('account.partial.reconcile'))
              if (p.debit_move_id === id || p.credit_move_id === id) env.db.remove('account.partial.reconcile', p.id);
            env.db.update('account.move', id, { state: 'draft' });
          }
          return undefined;
        },
      },
      button_cancel: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) env.db.update('account.move', id, { state: 'cancel' });
          return undefined;
        },
      },
    },
  },
  'account.move.reversal': {
    beforeCreate: (env, vals) => {
      const moveIds = vals.move_ids !== undefined ? toIds(vals.move_ids) : env.context.active_model === 'account.move' ? toIds(env.context.active_ids) : [];
      if (moveIds.some((id) => env.db.get('account.move', id)?.state !== 'posted') || moveIds.length === 0)
        throw userError('You can only reverse posted moves.');
      return {
        ...vals,
        move_ids: [[6, 0, moveIds]],
        date: vals.date ?? env.db.today(),
        journal_id: vals.journal_id ?? env.db.get('account.move', moveIds[0] ?? 0)?.journal_id,
      };
    },
    methods: {
      refund_moves: { params: [], fn: (env, ids) => reverseFromWizard(env, ids[0] ?? 0, false) },
      modify_moves: { params: [], fn: (env, ids) => reverseFromWizard(env, ids[0] ?? 0, true) },
      reverse_moves: { params: ['is_modify'], fn: (env, ids, p) => reverseFromWizard(env, ids[0] ?? 0, p.is_modify === true) },
    },
  },
  'account.payment.register': {
    beforeCreate: (env, vals) => {
      const moveIds = vals.line_ids !== undefined ? toIds(vals.line_ids) : env.context.active_model === 'account.move' ? toIds(env.context.active_ids) : [];
      const moves = moveIds.map((id) => env.db.get('account.move', id)).filter((m): m is Row => m !== undefined);
      if (moves.length === 0 || moves.some((m) => m.state !== 'posted')) throw userError('You can only register payment for posted journal entries.');
      const residual = moves.reduce((s, m) => s + moveResidual(env.db, m), 0);
      if (residual <= 0) throw userError("You can't register a payment because there is nothing left to pay on the selected journal items.");
      return {
        ...vals,
        line_ids: [[6, 0, moveIds]],
        amount: vals.amount ?? round2(residual),
        payment_date: vals.payment_date ?? env.db.today(),
        communication: vals.communication ?? moves.map((m) => String(m.name)).join(' '),
        currency_id: moves[0]?.currency_id,
      };
    },
    methods: {
      action_create_payments: {
        params: [],
        fn: (env, ids) =>
          paymentsAction(
            ids.map((id) => {
              const w = env.db.get('account.payment.register', id);
              return registerPayment(env, toIds(w?.line_ids), num(w?.amount), String(w?.payment_date ?? env.db.today()));
            }),
          ),
      },
    },
  },
  'account.payment': {
    methods: {
      action_validate: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) env.db.update('account.payment', id, { state: 'paid' });
          return true;
        },
      },
      action_cancel: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) env.db.update('account.payment', id, { state: 'canceled' });
          return true;
        },
      },
    },
  },
};

function reverseFromWizard(env: Env, wizardId: number, modify: boolean): unknown {
  const w = env.db.get('account.move.reversal', wizardId);
  const moveIds = toIds(w?.move_ids);
  const created = reverseMoves(
    env,
    moveIds,
    typeof w?.reason === 'string' ? w.reason : false,
    String(w?.date ?? env.db.today()),
    typeof w?.journal_id === 'number' ? w.journal_id : undefined,
  );
  env.db.update('account.move.reversal', wizardId, { new_move_ids: created });
  if (modify) {
    for (const id of created) postMove(env, id);
    const copies: number[] = [];
    for (const id of moveIds) {
      const m = env.db.get('account.move', id);
      if (!m) continue;
      const lines = env.db.all('account.move.line').filter((l) => l.move_id === id);
      const [copy] = ormCreate(env, 'account.move', [
        {
          move_type: m.move_type,
          partner_id: m.partner_id,
          currency_id: m.currency_id,
          journal_id: m.journal_id,
          invoice_origin: m.invoice_origin,
          ref: m.ref,
          invoice_line_ids: copyLines(lines),
        },
      ]);
      if (copy !== undefined) copies.push(copy);
    }
    return reverseAction(copies, 'out_invoice');
  }
  const first = env.db.get('account.move', created[0] ?? 0);
  return reverseAction(created, String(first?.move_type ?? 'out_refund'));
}
