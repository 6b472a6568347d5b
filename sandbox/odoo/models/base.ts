/** Odoo's own reference models: company, users, currencies, countries, journals, taxes, chatter. */
import { bool, char, date, datetime, defineModel, float, html, int, m2m, m2o, sel, text, type ModelDef } from '../fields';

export const baseModels: ModelDef[] = [
  defineModel({
    name: 'res.company', description: 'Companies', order: 'sequence, name',
    fields: { name: char('Company Name', { required: true }), partner_id: m2o('res.partner', 'Partner', { required: true }), currency_id: m2o('res.currency', 'Currency', { required: true }), country_id: m2o('res.country', 'Country'), sequence: int('Sequence', { default: 10 }) },
  }),
  defineModel({
    name: 'res.users', description: 'User', order: 'name, login', recName: 'login',
    fields: {
      login: char('Login', { required: true }), partner_id: m2o('res.partner', 'Related Partner', { required: true }), active: bool('Active', { default: true }), company_id: m2o('res.company', 'Company', { default: 1 }), share: bool('Share User'),
      name: char('Name', { compute: (db, row) => (typeof row.partner_id === 'number' ? db.valueOf('res.partner', row.partner_id, 'name') : false) }),
      email: char('Email', { compute: (db, row) => (typeof row.partner_id === 'number' ? db.valueOf('res.partner', row.partner_id, 'email') : false) }),
      // write-only: the stored value checks logins, a read says '' as Odoo does
      password: char('Password', { compute: () => '' }),
      groups_id: m2m('res.groups', 'Groups', { default: [1] }),
      company_ids: m2m('res.company', 'Companies', { default: [1] }),
    },
    displayName: (db, row) => (typeof row.partner_id === 'number' ? db.displayName('res.partner', row.partner_id) : String(row.login)),
  }),
  defineModel({
    name: 'res.currency', description: 'Currency', order: 'active desc, name',
    fields: { name: char('Currency', { required: true }), symbol: char('Symbol'), position: sel('Symbol Position', [['after', 'After Amount'], ['before', 'Before Amount']], { default: 'before' }), rounding: float('Rounding Factor', { default: 0.01 }), decimal_places: int('Decimal Places', { default: 2 }), active: bool('Active', { default: true }), full_name: char('Name') },
  }),
  defineModel({
    name: 'res.country', description: 'Country', order: 'name', fields: { name: char('Country Name', { required: true }), code: char('Country Code') },
  }),
  defineModel({ name: 'uom.uom', description: 'Product Unit of Measure', order: 'factor DESC, id', fields: { name: char('Unit of Measure', { required: true }), factor: float('Ratio', { default: 1 }) } }),
  defineModel({ name: 'product.category', description: 'Product Category', order: 'complete_name', fields: { name: char('Name', { required: true }), complete_name: char('Complete Name') } }),
  defineModel({ name: 'crm.team', description: 'Sales Team', order: 'sequence ASC, create_date DESC, id DESC', fields: { name: char('Sales Team', { required: true }), sequence: int('Sequence', { default: 10 }) } }),
  defineModel({
    name: 'account.journal', description: 'Journal', order: 'sequence, type, code', fields: {
      name: char('Journal Name', { required: true }), code: char('Short Code'), type: sel('Type', [['sale', 'Sales'], ['purchase', 'Purchase'], ['cash', 'Cash'], ['bank', 'Bank'], ['credit', 'Credit Card'], ['general', 'Miscellaneous']]), sequence: int('Sequence', { default: 10 }),
    },
  }),
  defineModel({
    name: 'account.tax', description: 'Tax', order: 'sequence,id', fields: {
      name: char('Tax Name', { required: true }), amount: float('Amount'), amount_type: sel('Tax Computation', [['group', 'Group of Taxes'], ['fixed', 'Fixed'], ['percent', 'Percentage of Price'], ['division', 'Percentage of Price Tax Included']], { default: 'percent' }), type_tax_use: sel('Tax Type', [['sale', 'Sales'], ['purchase', 'Purchases'], ['none', 'None']]), sequence: int('Sequence', { default: 1 }),
    },
  }),
  defineModel({
    name: 'mail.message', description: 'Message', order: 'id desc', recName: 'record_name', fields: {
      model: char('Related Document Model'), res_id: int('Related Document ID'), body: html('Contents', { default: '' }), subject: char('Subject'), record_name: char('Message Record Name'),
      message_type: sel('Type', [['email', 'Incoming Email'], ['comment', 'Comment'], ['email_outgoing', 'Outgoing Email'], ['notification', 'System notification'], ['auto_comment', 'Automated Targeted Notification'], ['user_notification', 'User Specific Notification']], { default: 'notification' }),
      subtype_id: m2o('mail.message.subtype', 'Subtype'), author_id: m2o('res.partner', 'Author'), date: datetime('Date'), partner_ids: m2m('res.partner', 'Recipients'), email_from: char('From'),
    },
  }),
  defineModel({ name: 'mail.message.subtype', description: 'Message subtypes', order: 'sequence, id', fields: { name: char('Message Type', { required: true }), internal: bool('Internal Only'), sequence: int('Sequence', { default: 1 }) } }),
  defineModel({
    name: 'mail.followers', description: 'Document Followers', order: 'id', fields: { res_model: char('Related Document Model Name', { required: true }), res_id: int('Related Document ID'), partner_id: m2o('res.partner', 'Related Partner') },
    displayName: (db, row) => (typeof row.partner_id === 'number' ? db.displayName('res.partner', row.partner_id) : ''),
  }),
  defineModel({ name: 'procurement.group', description: 'Procurement Group', order: 'id desc', fields: { name: char('Reference', { required: true }), partner_id: m2o('res.partner', 'Partner'), sale_id: m2o('sale.order', 'Sale Order'), move_type: sel('Delivery Type', [['direct', 'Partial'], ['one', 'All at once']], { default: 'direct' }) } }),
  defineModel({
    name: 'stock.location', description: 'Inventory Locations', order: 'complete_name, id', recName: 'complete_name', fields: {
      name: char('Location Name', { required: true }), complete_name: char('Full Location Name'), location_id: m2o('stock.location', 'Parent Location'), usage: sel('Location Type', [['supplier', 'Vendor'], ['view', 'Virtual'], ['internal', 'Internal'], ['customer', 'Customer'], ['inventory', 'Inventory Loss'], ['production', 'Production'], ['transit', 'Transit']], { default: 'internal' }), active: bool('Active', { default: true }), warehouse_id: m2o('stock.warehouse', 'Warehouse'),
    },
  }),
  defineModel({
    name: 'stock.picking.type', description: 'Picking Type', order: 'is_favorite desc, sequence, id', fields: {
      name: char('Operation Type', { required: true }), code: sel('Type of Operation', [['incoming', 'Receipt'], ['outgoing', 'Delivery'], ['internal', 'Internal Transfer']]), sequence_code: char('Sequence Prefix'), warehouse_id: m2o('stock.warehouse', 'Warehouse'), default_location_src_id: m2o('stock.location', 'Default Source Location'), default_location_dest_id: m2o('stock.location', 'Default Destination Location'), return_picking_type_id: m2o('stock.picking.type', 'Operation Type for Returns'), sequence: int('Sequence', { default: 1 }), is_favorite: bool('Show Operation in Overview'), active: bool('Active', { default: true }),
    },
    displayName: (db, row) => (typeof row.warehouse_id === 'number' ? `${db.displayName('stock.warehouse', row.warehouse_id)}: ${String(row.name)}` : String(row.name)),
  }),
  defineModel({
    name: 'stock.warehouse', description: 'Warehouse', order: 'sequence,id', fields: {
      name: char('Warehouse', { required: true }), code: char('Short Name', { required: true }), company_id: m2o('res.company', 'Company', { default: 1 }), partner_id: m2o('res.partner', 'Address'), lot_stock_id: m2o('stock.location', 'Location Stock'), view_location_id: m2o('stock.location', 'View Location'), in_type_id: m2o('stock.picking.type', 'In Type'), out_type_id: m2o('stock.picking.type', 'Out Type'), sequence: int('Sequence', { default: 10 }), active: bool('Active', { default: true }),
    },
  }),
  defineModel({ name: 'account.payment.term', description: 'Payment Terms', order: 'sequence, id', fields: { name: char('Payment Terms', { required: true }), note: html('Description on the Invoice'), sequence: int('Sequence', { default: 10 }) } }),
  defineModel({ name: 'res.partner.category', description: 'Partner Tags', order: 'name', fields: { name: char('Name', { required: true }) } }),
  defineModel({ name: 'crm.tag', description: 'CRM Tag', order: 'name', fields: { name: char('Tag Name', { required: true }) } }),
  defineModel({ name: 'account.incoterms', description: 'Incoterms', order: 'code', fields: { name: char('Name', { required: true }), code: char('Code') } }),
  defineModel({ name: 'res.partner.bank', description: 'Bank Accounts', order: 'sequence, id', recName: 'acc_number', fields: { acc_number: char('Account Number', { required: true }), partner_id: m2o('res.partner', 'Account Holder'), sequence: int('Sequence', { default: 10 }) } }),
  defineModel({ name: 'ir.attachment', description: 'Attachment', order: 'id desc', fields: { name: char('Name', { required: true }), res_model: char('Resource Model'), res_id: int('Resource ID'), datas: text('File Content (base64)'), mimetype: char('Mime Type') } }),
  defineModel({ name: 'mail.activity', description: 'Activity', order: 'date_deadline ASC, id ASC', recName: 'summary', fields: { summary: char('Summary'), res_model: char('Related Document Model'), res_id: int('Related Document ID'), date_deadline: date('Due Date') } }),
];
