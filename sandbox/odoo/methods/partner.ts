/** res.partner and product.product checks: names, address sync, hierarchy, barcode uniqueness. */
import { validationError } from '../errors';
import { ormCreate, toIds } from '../orm';
import { groupId } from '../security';
import type { Vals } from '../store';
import type { ModelBehaviour } from './types';

const ADDRESS = ['street', 'street2', 'city', 'zip', 'country_id'] as const;

export const partnerBehaviours: Record<string, ModelBehaviour> = {
  'res.users': {
    // a user's name and email live on its partner; an internal user also gets base.group_no_one (FACTS 34)
    beforeCreate: (env, vals) => {
      const out: Vals = { ...vals };
      if (typeof out.partner_id !== 'number') {
        const [partnerId] = ormCreate(env, 'res.partner', [{ name: out.name ?? out.login, email: out.email ?? false, company_id: false }]);
        out.partner_id = partnerId;
      }
      delete out.name;
      delete out.email;
      return out;
    },
    afterCreate: (env, id) => {
      const groups = toIds(env.db.get('res.users', id)?.groups_id);
      if (groups.includes(groupId('base.group_user')) && !groups.includes(groupId('base.group_no_one')))
        env.db.update('res.users', id, { groups_id: [...groups, groupId('base.group_no_one')] });
    },
  },
  'res.partner': {
    beforeCreate: (env, vals) => {
      const out: Vals = { ...vals };
      const type = typeof out.type === 'string' ? out.type : 'contact';
      if (type === 'contact' && !out.name) throw validationError('Contacts require a name');
      const parent = typeof out.parent_id === 'number' ? env.db.get('res.partner', out.parent_id) : undefined;
      if (parent && type === 'contact' && ADDRESS.every((f) => !out[f])) for (const f of ADDRESS) if (parent[f] !== undefined) out[f] = parent[f];
      return out;
    },
    beforeWrite: (env, ids, vals) => {
      if (typeof vals.parent_id !== 'number') return;
      for (const id of ids) {
        let cursor: number | undefined = vals.parent_id;
        for (let guard = 0; cursor !== undefined && guard < 64; guard++) {
          if (cursor === id) throw validationError('You cannot create recursive Partner hierarchies.');
          const next: unknown = env.db.get('res.partner', cursor)?.parent_id;
          cursor = typeof next === 'number' ? next : undefined;
        }
      }
    },
  },
  'product.product': {
    beforeCreate: (env, vals) => {
      const out: Vals = { ...vals };
      if (out.type === 'service' || out.type === 'combo') out.is_storable = false;
      if (typeof out.barcode === 'string' && out.barcode) {
        const holders = env.db.all('product.product').filter((p) => p.barcode === out.barcode);
        if (holders.length) {
          const newName = typeof out.default_code === 'string' && out.default_code ? `[${out.default_code}] ${String(out.name)}` : String(out.name);
          const names = [...holders.map((p) => env.db.displayName('product.product', p.id)), newName];
          const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}` : names.join('');
          throw validationError(
            `Barcode(s) already assigned:\n\n- Barcode "${out.barcode}" already assigned to product(s): ${list}\n\nNote: products that you don't have access to will not be shown above.`,
          );
        }
      }
      return out;
    },
    afterCreate: (env, id) => {
      const p = env.db.get('product.product', id);
      if (!p || env.db.get('product.template', id)) return;
      const { id: _id, ...rest } = p;
      env.db.insert('product.template', rest, id);
      env.db.update('product.product', id, { product_tmpl_id: id });
    },
  },
};
