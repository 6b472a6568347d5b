/**
 * Every model the emulator knows, by name, as one database of a given profile has them. The field
 * list of the recorded models comes from a real Odoo 18 (recorded-fields.18.json): the emulator's
 * own definitions give behaviour (computes, defaults), the recording gives the truth about which
 * fields exist and how `fields_get` describes them. Module and Studio fields exist only where the
 * profile installs them; Odoo 17 has its own product type.
 */
import type { FieldDef, ModelDef, RecordedField } from '../fields';
import { inert, sel } from '../fields';
import { profileFor, type OdooProfile } from '../profiles';
import { FIELD_GROUPS } from '../security';
import recorded from './recorded-fields.18.json';
import { accountModels } from './account';
import { baseModels } from './base';
import { moduleModels } from './modules';
import { partnerModels } from './partner';
import { productModels } from './product';
import { saleModels } from './sale';
import { securityModels } from './security';
import { stockModels } from './stock';
import { wizardModels } from './wizards';

type RecordedModels = Record<string, Record<string, RecordedField>>;
const RECORDED = recorded as unknown as { models: RecordedModels; modules: Record<string, RecordedModels>; custom: RecordedModels };

/** Fields that only an optional module or a Studio customisation adds, by model. */
const GATED = new Map<string, Set<string>>();
for (const byModel of [...Object.values(RECORDED.modules), RECORDED.custom]) {
  for (const [model, fields] of Object.entries(byModel)) {
    const set = GATED.get(model) ?? new Set<string>();
    for (const name of Object.keys(fields)) set.add(name);
    GATED.set(model, set);
  }
}

/** A field the emulator gives no behaviour: stored as written, described as recorded. */
function fromRecording(name: string, r: RecordedField): FieldDef {
  const base = inert(r.type, name, r.relation, r.selection);
  return { ...base, string: r.string, readonly: r.readonly, required: false, store: r.store };
}

/** Odoo 17's product type: storable is a type of its own, with `detailed_type` beside it and no `is_storable`. */
const PRODUCT_TYPE_17: Array<[string, string]> = [
  ['consu', 'Consumable'],
  ['service', 'Service'],
  ['product', 'Storable Product'],
];

function forVersion(model: string, fields: Record<string, FieldDef>, profile: OdooProfile): Record<string, FieldDef> {
  // Odoo 19 renamed res.users.groups_id to group_ids (the emulator keeps storing it as groups_id).
  if (profile.version === '19.0' && model === 'res.users' && fields['groups_id']) {
    const { groups_id: groups, ...rest } = fields;
    return { ...rest, group_ids: { ...groups, compute: (_db, row) => row['groups_id'] ?? [] } };
  }
  if (profile.version !== '17.0' || (model !== 'product.product' && model !== 'product.template')) return fields;
  const out: Record<string, FieldDef> = {};
  for (const [name, f] of Object.entries(fields)) {
    if (name === 'is_storable') continue;
    if (name === 'type') {
      const r: RecordedField = {
        type: 'selection',
        string: 'Type',
        readonly: false,
        required: true,
        store: true,
        company_dependent: false,
        selection: PRODUCT_TYPE_17,
      };
      out.detailed_type = { ...sel('Product Type', PRODUCT_TYPE_17, { default: 'consu' }), recorded: { ...r, string: 'Product Type' } };
      out.type = { ...f, selection: PRODUCT_TYPE_17, recorded: r };
      continue;
    }
    out[name] = f;
  }
  return out;
}

function withProfile(def: ModelDef, profile: OdooProfile): ModelDef {
  const gated = GATED.get(def.name) ?? new Set<string>();
  const extra: Record<string, RecordedField> = {};
  for (const m of profile.modules) Object.assign(extra, RECORDED.modules[m]?.[def.name] ?? {});
  for (const [name, r] of Object.entries(RECORDED.custom[def.name] ?? {})) {
    if (profile.customFields.some((c) => c === `${def.name}.${name}`)) extra[name] = r;
  }
  const groups = FIELD_GROUPS[def.name] ?? {};
  const fields: Record<string, FieldDef> = {};
  const add = (name: string, r: RecordedField | undefined, f: FieldDef | undefined): void => {
    const own = f ?? (r ? fromRecording(name, r) : undefined);
    if (!own) return;
    fields[name] = {
      ...own,
      ...(r ? { recorded: r, ...(r.company_dependent ? { companyDependent: true } : {}) } : {}),
      ...(groups[name] ? { groups: groups[name] } : {}),
    };
  };
  const recordedFields = RECORDED.models[def.name];
  if (recordedFields) for (const [name, r] of Object.entries(recordedFields)) add(name, r, def.fields[name]);
  for (const [name, r] of Object.entries(extra)) add(name, r, def.fields[name]);
  for (const [name, f] of Object.entries(def.fields)) {
    if (name in fields || gated.has(name) || name.startsWith('x_')) continue;
    add(name, undefined, recordedFields ? { ...f, hidden: true } : f);
  }
  return { ...def, fields: forVersion(def.name, fields, profile) };
}

export function buildRegistry(profile: OdooProfile = profileFor('')): ReadonlyMap<string, ModelDef> {
  const all = [
    ...baseModels,
    ...securityModels,
    ...moduleModels,
    ...partnerModels,
    ...productModels,
    ...saleModels,
    ...accountModels,
    ...stockModels,
    ...wizardModels,
  ];
  return new Map(all.map((m) => [m.name, withProfile(m, profile)]));
}
