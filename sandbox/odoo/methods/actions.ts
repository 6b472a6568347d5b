/** Window actions the business methods return, in the shapes Odoo 18 sends (fixtures setup/16, 20, 23 and the wizards). */

export function backorderWizardAction(pickingIds: number[]): Record<string, unknown> {
  return {
    name: 'Create Backorder?',
    type: 'ir.actions.act_window',
    view_mode: 'form',
    res_model: 'stock.backorder.confirmation',
    views: [[892, 'form']],
    view_id: 892,
    target: 'new',
    context: { button_validate_picking_ids: pickingIds, default_show_transfers: false, default_pick_ids: pickingIds.map((id) => [4, id]) },
  };
}

/** `action_cancel` without `disable_cancel_warning` on a confirmed order (FACTS 19, recorded on 18.0). */
export function cancelWizardAction(orderId: number): Record<string, unknown> {
  return {
    name: 'Cancel Sales Order',
    view_mode: 'form',
    res_model: 'sale.order.cancel',
    view_id: 1126,
    type: 'ir.actions.act_window',
    context: {
      default_template_id: 14,
      default_order_id: orderId,
      mark_so_as_canceled: true,
      default_email_layout_xmlid: 'mail.mail_notification_layout_with_responsible_signature',
      model_description: 'Sales Order',
    },
    target: 'new',
  };
}

export function invoicesAction(invoiceIds: number[], ctx: { partnerId: number | false; shippingId: number | false; origin: string }): Record<string, unknown> {
  const action: Record<string, unknown> = {
    id: 263,
    name: 'Invoices',
    type: 'ir.actions.act_window',
    xml_id: 'account.action_move_out_invoice_type',
    path: 'invoicing',
    help: '<p class="o_view_nocontent_smiling_face">\n                Create a customer invoice\n              </p><p>\n                Create invoices, register payments and keep track of the discussions with your customers.\n              </p>\n            ',
    binding_model_id: false,
    binding_type: 'action',
    binding_view_types: 'list,form',
    display_name: 'Invoices',
    view_id: [708, 'account.out.invoice.list'],
    domain: "[('move_type', 'in', ['out_invoice', 'out_refund'])]",
    context: {
      default_move_type: 'out_invoice',
      default_partner_id: ctx.partnerId,
      default_partner_shipping_id: ctx.shippingId,
      default_invoice_payment_term_id: null,
      default_invoice_origin: ctx.origin,
    },
    res_model: 'account.move',
    target: 'current',
    view_mode: 'list,kanban,form,activity',
    mobile_view_mode: 'kanban',
    views: [
      [715, 'form'],
      [708, 'list'],
      [false, 'kanban'],
      [false, 'activity'],
    ],
    limit: 80,
    groups_id: [],
    search_view_id: [718, 'account.invoice.select'],
    embedded_action_ids: [],
    filter: false,
  };
  if (invoiceIds.length === 1) action.res_id = invoiceIds[0];
  else {
    action.domain = [['id', 'in', invoiceIds]];
    action.views = [
      [708, 'list'],
      [715, 'form'],
      [false, 'kanban'],
      [false, 'activity'],
    ];
  }
  return action;
}

export function paymentsAction(paymentIds: number[]): Record<string, unknown> {
  if (paymentIds.length === 1)
    return {
      name: 'Payments',
      type: 'ir.actions.act_window',
      res_model: 'account.payment',
      context: { create: false },
      view_mode: 'form',
      res_id: paymentIds[0],
    };
  return {
    name: 'Payments',
    type: 'ir.actions.act_window',
    res_model: 'account.payment',
    context: { create: false },
    view_mode: 'list,form',
    domain: [['id', 'in', paymentIds]],
  };
}

export function reverseAction(moveIds: number[], moveType: string): Record<string, unknown> {
  if (moveIds.length === 1)
    return {
      name: 'Reverse Moves',
      type: 'ir.actions.act_window',
      res_model: 'account.move',
      view_mode: 'form',
      res_id: moveIds[0],
      context: { default_move_type: moveType },
    };
  return {
    name: 'Reverse Moves',
    type: 'ir.actions.act_window',
    res_model: 'account.move',
    view_mode: 'list,form',
    domain: [['id', 'in', moveIds]],
    context: { default_move_type: moveType },
  };
}

export function returnAction(pickingId: number, context: Record<string, unknown>): Record<string, unknown> {
  return { name: 'Returned Picking', view_mode: 'form', res_model: 'stock.picking', res_id: pickingId, type: 'ir.actions.act_window', context };
}
