/** ir.module.module: which addons a database has, and in which state (FACTS 3). */
import { char, defineModel, sel, type ModelDef } from '../fields';

export const MODULE_STATES = [
  ['uninstallable', 'Uninstallable'],
  ['uninstalled', 'Not Installed'],
  ['installed', 'Installed'],
  ['to upgrade', 'To be upgraded'],
  ['to remove', 'To be removed'],
  ['to install', 'To be installed'],
] as const;

export const moduleModels: ModelDef[] = [
  defineModel({
    name: 'ir.module.module',
    description: 'Module',
    order: 'application desc,sequence,name',
    fields: {
      name: char('Technical Name', { required: true, readonly: true }),
      shortdesc: char('Module Name', { readonly: true }),
      state: sel('Status', MODULE_STATES, { readonly: true, default: 'uninstallable' }),
      latest_version: char('Installed Version', { readonly: true }),
      application: { type: 'boolean', string: 'Application', readonly: true },
      sequence: { type: 'integer', string: 'Sequence', default: 100 },
      to_buy: { type: 'boolean', string: 'Odoo Enterprise Module', readonly: true },
    },
  }),
];
