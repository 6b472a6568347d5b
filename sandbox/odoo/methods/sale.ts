/** Sales: quotation numbering, confirmation (with its delivery), cancellation, invoicing wizard. */
import { linesOfOrder, saleLineValues } from '../calc';
import { userError } from '../errors';
import { addressOf } from '../models/partner';
import { addFollower, ormCreate, postMessage, toIds } from '../orm';
import { addDays } from '../store';
import { cancelWizardAction, invoicesAction } from './actions';
import { createPicking, LOCATION, PICKING_TYPE } from './stock';
import type { Env, ModelBehaviour } from './types';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const pad5 = (n: number): string => String(n).padStart(5, '0');

/** `action_confirm` for one order: state, followers, chatter and the outgoing delivery of its goods. */

/** Whether any of the orders is in none of `states` (Odoo's guards before unlink and confirm). */
const someOrderOutside = (env: Env, ids: readonly number[], states: readonly string[]): boolean =>
  ids.some((id) => !states.includes(String(env.db.get('sale.order', id)?.state)));
export function confirmOrder(env: Env, orderId: number): void {
  const order = env.db.get('sale.order', orderId);
  if (!order) return;
  env.db.update('sale.order', orderId, { state: 'sale', date_order: env.db.now() });
  if (typeof order.partner_id === 'number') addFollower(env, 'sale.order', orderId, order.partner_id);
  postMessage(env, 'sale.order', orderId, 'Quotation confirmed', { messageType: 'notification' });
  const goods = linesOfOrder(env.db, orderId).filter((l) => saleLineValues(env.db, l).goods && num(l.product_uom_qty) > 0);
  if (goods.length === 0) return;
  const [groupId] = ormCreate(env, 'procurement.group', [{ name: order.name, partner_id: order.partner_shipping_id, sale_id: orderId }]);
  env.db.update('sale.order', orderId, { procurement_group_id: groupId ?? false });
  const ref = typeof order.client_order_ref === 'string' && order.client_order_ref ? ` - ${order.client_order_ref}` : '';
  const scheduled = typeof order.commitment_date === 'string' ? order.commitment_date : String(env.db.get('sale.order', orderId)?.date_order ?? env.db.now());
  createPicking(
    env,
    {
      typeId: PICKING_TYPE.deliveries,
      from: LOCATION.stock,
      to: LOCATION.customers,
      partnerId: typeof order.partner_shipping_id === 'number' ? order.partner_shipping_id : false,
      origin: `${String(order.name)}${ref}`,
      scheduled,
      saleId: orderId,
      groupId,
    },
    goods.map((l) => ({ productId: num(l.product_id), qty: num(l.product_uom_qty), saleLineId: l.id, name: typeof l.name === 'string' ? l.name : undefined })),
  );
}

export function cancelOrder(env: Env, orderId: number): void {
  for (const p of env.db.all('stock.picking')) {
    if (p.sale_id !== orderId || p.state === 'done' || p.state === 'cancel') continue;
    for (const m of env.db.all('stock.move'))
      if (m.picking_id === p.id && m.state !== 'done') env.db.update('stock.move', m.id, { state: 'cancel', quantity: 0 });
    env.db.update('stock.picking', p.id, { state: 'cancel' });
  }
  const lineIds = new Set(linesOfOrder(env.db, orderId).map((l) => l.id));
  for (const inv of env.db.all('account.move')) {
    if (inv.state !== 'draft') continue;
    const linked = env.db
      .all('account.move.line')
      .some((l) => l.move_id === inv.id && Array.isArray(l.sale_line_ids) && l.sale_line_ids.some((id) => typeof id === 'number' && lineIds.has(id)));
    if (linked) env.db.update('account.move', inv.id, { state: 'cancel' });
  }
  env.db.update('sale.order', orderId, { state: 'cancel' });
}

/** A customer invoice for what the order has to invoice, or undefined when there is nothing. */
export function invoiceOrder(env: Env, orderId: number): number | undefined {
  const order = env.db.get('sale.order', orderId);
  if (!order) return undefined;
  const lines = linesOfOrder(env.db, orderId)
    .map((l) => ({ l, v: saleLineValues(env.db, l) }))
    .filter(({ v }) => Math.abs(v.toInvoice) > 1e-6);
  if (lines.length === 0) return undefined;
  const [moveId] = ormCreate(env, 'account.move', [
    {
      move_type: 'out_invoice',
      partner_id: order.partner_invoice_id,
      partner_shipping_id: order.partner_shipping_id,
      invoice_origin: order.name,
      ref: typeof order.client_order_ref === 'string' && order.client_order_ref ? order.client_order_ref : false,
      currency_id: order.currency_id,
      journal_id: 1,
      invoice_user_id: typeof order.user_id === 'number' ? order.user_id : 2,
      company_id: order.company_id ?? 1,
      invoice_line_ids: lines.map(({ l, v }) => [
        0,
        0,
        {
          product_id: l.product_id,
          name: l.name,
          quantity: v.toInvoice,
          price_unit: l.price_unit,
          discount: l.discount,
          tax_ids: [[6, 0, toIds(l.tax_id)]],
          sale_line_ids: [[6, 0, [l.id]]],
        },
      ]),
    },
  ]);
  return moveId;
}

export const saleBehaviours: Record<string, ModelBehaviour> = {
  'sale.order': {
    beforeCreate: (env, vals) => {
      const out = { ...vals };
      if (typeof out.name !== 'string' || out.name === '/' || !out.name) out.name = `S${pad5(env.db.nextNumber('sale.order'))}`;
      if (typeof out.partner_id === 'number') {
        out.partner_invoice_id ??= addressOf(env.db, out.partner_id, 'invoice');
        out.partner_shipping_id ??= addressOf(env.db, out.partner_id, 'delivery');
      }
      out.date_order ??= env.db.now();
      out.validity_date ??= addDays(String(out.date_order), 30);
      out.currency_id ??= env.db.valueOf('res.company', typeof out.company_id === 'number' ? out.company_id : 1, 'currency_id');
      return out;
    },
    afterCreate: (env, id) => {
      addFollower(env, 'sale.order', id, 3);
      postMessage(env, 'sale.order', id, 'Quotation created', { messageType: 'notification' });
    },
    beforeUnlink: (env, ids) => {
      if (someOrderOutside(env, ids, ['draft', 'cancel'])) {
        throw userError('You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
      }
    },
    methods: {
      action_confirm: {
        params: [],
        fn: (env, ids) => {
          if (someOrderOutside(env, ids, ['draft', 'sent'])) throw userError('Some orders are not in a state requiring confirmation.');
          for (const id of ids) confirmOrder(env, id);
          return true;
        },
      },
      action_cancel: {
        params: [],
        fn: (env, ids) => {
          if (ids.some((id) => env.db.get('sale.order', id)?.locked === true)) throw userError('You cannot cancel a locked order. Please unlock it first.');
          const notDraft = ids.filter((id) => env.db.get('sale.order', id)?.state !== 'draft');
          if (notDraft.length && !env.context.disable_cancel_warning) return cancelWizardAction(ids[0] ?? 0);
          for (const id of ids) cancelOrder(env, id);
          return true;
        },
      },
      action_draft: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            const s = env.db.get('sale.order', id)?.state;
            if (s === 'cancel' || s === 'sent') env.db.update('sale.order', id, { state: 'draft', locked: false });
          }
          return true;
        },
      },
      action_quotation_sent: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) if (env.db.get('sale.order', id)?.state === 'draft') env.db.update('sale.order', id, { state: 'sent' });
          return true;
        },
      },
      action_lock: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) env.db.update('sale.order', id, { locked: true });
          return undefined;
        },
      },
      action_unlock: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) env.db.update('sale.order', id, { locked: false });
          return undefined;
        },
      },
    },
  },
  'sale.order.line': {
    beforeCreate: (env, vals) => {
      const out = { ...vals };
      const product = typeof out.product_id === 'number' ? env.db.get('product.product', out.product_id) : undefined;
      if (product) {
        out.name ??= env.db.displayName('product.product', product.id);
        out.price_unit ??= product.list_price;
        out.purchase_price ??= product.standard_price;
        out.tax_id ??= [[6, 0, toIds(product.taxes_id)]];
      }
      return out;
    },
  },
  'sale.order.cancel': {
    methods: {
      action_cancel: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            const o = env.db.get('sale.order.cancel', id)?.order_id;
            if (typeof o === 'number') cancelOrder(env, o);
          }
          return true;
        },
      },
      action_send_mail_and_cancel: {
        params: [],
        fn: (env, ids) => {
          for (const id of ids) {
            const o = env.db.get('sale.order.cancel', id)?.order_id;
            if (typeof o === 'number') cancelOrder(env, o);
          }
          return true;
        },
      },
    },
  },
  'sale.advance.payment.inv': {
    beforeCreate: (env, vals) =>
      vals.sale_order_ids === undefined && env.context.active_model === 'sale.order'
        ? { ...vals, sale_order_ids: [[6, 0, toIds(env.context.active_ids)]] }
        : vals,
    methods: {
      create_invoices: {
        params: [],
        fn: (env, ids) => {
          const orderIds = ids.flatMap((id) => toIds(env.db.get('sale.advance.payment.inv', id)?.sale_order_ids));
          const invoices = orderIds.map((o) => invoiceOrder(env, o)).filter((x): x is number => x !== undefined);
          if (invoices.length === 0)
            throw userError(
              'There is no invoiceable line. If a product has a Delivered quantities invoicing policy, please make sure that a quantity has been delivered.',
            );
          const first = env.db.get('sale.order', orderIds[0] ?? 0);
          return invoicesAction(invoices, {
            partnerId: typeof first?.partner_invoice_id === 'number' ? first.partner_invoice_id : false,
            shippingId: typeof first?.partner_shipping_id === 'number' ? first.partner_shipping_id : false,
            origin: String(first?.name ?? ''),
          });
        },
      },
    },
  },
};
