/**
 * Field and model definitions: what `fields_get` answers and what `read` formats. Stored values
 * are raw (many2one: id or false, many2many: id list); one2many and computed fields are derived
 * on every access, so they never go stale.
 */
import type { OdooDb, Row } from './store';

export type FieldType =
  | 'char'
  | 'text'
  | 'html'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'one2many'
  | 'many2many'
  | 'binary'
  | 'json'
  | 'properties';

export type Selection = ReadonlyArray<readonly [string, string]>;

export interface FieldDef {
  type: FieldType;
  string: string;
  /** Comodel of a relational field. */
  relation?: string;
  /** The many2one on the comodel that a one2many mirrors (`relation_field`). */
  inverse?: string;
  selection?: Selection;
  required?: boolean;
  readonly?: boolean;
  /** Derived on access instead of stored (Odoo's non-stored or always-recomputed fields). */
  compute?: (db: OdooDb, row: Row) => unknown;
  /** Whether Odoo stores the field (`fields_get` `store`). @default true unless computed */
  store?: boolean;
  /** Value a `create` gets when the caller gives none. */
  default?: unknown;
  help?: string;
  /** `fields_get` attributes as a real Odoo answered them (models/recorded-fields.18.json). */
  recorded?: RecordedField;
  /** Stored per company (`company_dependent=True`): the raw value may be `{ [companyId | '*']: value }`. */
  companyDependent?: boolean;
  /** Emulator bookkeeping a real Odoo does not have: readable, but not listed by `fields_get`. */
  hidden?: boolean;
  /** xml ids of the groups that may read the field (`groups=`); absent: everyone. */
  groups?: readonly string[];
}

/** One field of a recorded `fields_get` answer. */
export interface RecordedField {
  type: FieldType;
  string: string;
  readonly: boolean;
  required: boolean;
  store: boolean;
  company_dependent: boolean;
  relation?: string;
  selection?: Array<[string, string]>;
}

export interface ModelDef {
  name: string;
  /** `_description`, used in ValidationError messages. */
  description: string;
  /** `_order`. */
  order: string;
  /** `_rec_name`. @default 'name' */
  recName?: string;
  fields: Record<string, FieldDef>;
  displayName?: (db: OdooDb, row: Row) => string;
  /** TransientModel (wizards). */
  transient?: boolean;
}

type Opts = Partial<Omit<FieldDef, 'type' | 'string' | 'relation' | 'selection' | 'inverse'>>;

const titled = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const char = (string: string, o: Opts = {}): FieldDef => ({ type: 'char', string, ...o });
export const text = (string: string, o: Opts = {}): FieldDef => ({ type: 'text', string, ...o });
export const html = (string: string, o: Opts = {}): FieldDef => ({ type: 'html', string, ...o });
export const int = (string: string, o: Opts = {}): FieldDef => ({ type: 'integer', string, ...o });
export const float = (string: string, o: Opts = {}): FieldDef => ({ type: 'float', string, ...o });
export const money = (string: string, o: Opts = {}): FieldDef => ({ type: 'monetary', string, ...o });
export const bool = (string: string, o: Opts = {}): FieldDef => ({ type: 'boolean', string, ...o });
export const date = (string: string, o: Opts = {}): FieldDef => ({ type: 'date', string, ...o });
export const datetime = (string: string, o: Opts = {}): FieldDef => ({ type: 'datetime', string, ...o });
export const binary = (string: string, o: Opts = {}): FieldDef => ({ type: 'binary', string, ...o });
export const json = (string: string, o: Opts = {}): FieldDef => ({ type: 'json', string, ...o });
export const sel = (string: string, selection: Selection, o: Opts = {}): FieldDef => ({ type: 'selection', string, selection, ...o });
export const m2o = (relation: string, string: string, o: Opts = {}): FieldDef => ({ type: 'many2one', string, relation, ...o });
export const o2m = (relation: string, inverse: string, string: string, o: Opts = {}): FieldDef => ({ type: 'one2many', string, relation, inverse, ...o });
export const m2m = (relation: string, string: string, o: Opts = {}): FieldDef => ({ type: 'many2many', string, relation, ...o });
/** A field nobody in the sandbox sets: present for `fields_get` and `read`, always empty. */
export const inert = (type: FieldType, name: string, relation?: string, selection?: Selection): FieldDef => ({
  type,
  string: titled(name.replace(/_ids?$/, '').replace(/_/g, ' ')),
  ...(relation ? { relation } : {}),
  ...(selection ? { selection } : {}),
});

/** Adds Odoo's magic fields (`id`, `display_name`, create/write uid and date) to a model. */
export function defineModel(def: ModelDef): ModelDef {
  return {
    ...def,
    fields: {
      ...def.fields,
      id: { type: 'integer', string: 'ID', readonly: true },
      display_name: { type: 'char', string: 'Display Name', readonly: true, compute: (db, row) => db.displayName(def.name, row.id) },
      create_uid: { type: 'many2one', string: 'Created by', relation: 'res.users', readonly: true },
      create_date: { type: 'datetime', string: 'Created on', readonly: true },
      write_uid: { type: 'many2one', string: 'Last Updated by', relation: 'res.users', readonly: true },
      write_date: { type: 'datetime', string: 'Last Updated on', readonly: true },
    },
  };
}

/** The empty value of a field type as Odoo reads it. */
export function emptyValue(type: FieldType): unknown {
  switch (type) {
    case 'integer':
    case 'float':
    case 'monetary':
      return 0;
    case 'one2many':
    case 'many2many':
      return [];
    default:
      return false;
  }
}
