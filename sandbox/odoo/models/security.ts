/** res.groups and ir.model.data: enough for a caller to find out which groups a user has, by xml id. */
import { bool, char, defineModel, int, type ModelDef } from '../fields';

export const securityModels: ModelDef[] = [
  defineModel({
    name: 'res.groups',
    description: 'Access Groups',
    order: 'name',
    displayName: (_db, row) => String(row.full_name ?? row.name),
    fields: { name: char('Name', { required: true }), full_name: char('Group Name', { readonly: true }), share: bool('Share Group'), comment: char('Comment') },
  }),
  defineModel({
    name: 'ir.model.data',
    description: 'Model Data',
    order: 'module, model, name',
    recName: 'complete_name',
    fields: {
      name: char('External Identifier', { required: true }),
      complete_name: char('Complete ID', { compute: (_db, row) => `${String(row.module)}.${String(row.name)}` }),
      model: char('Model Name', { required: true }),
      module: char('Module', { required: true }),
      res_id: int('Record ID'),
      noupdate: bool('Non Updatable'),
    },
  }),
];
