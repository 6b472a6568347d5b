/**
 * One tenant's Odoo as the loaders see it: the loaders ask for canonical field names (Odoo 18's,
 * plus the sandbox's names for the support-plan custom fields); this adapter renames the custom
 * fields to the tenant's own (a Studio field is `x_studio_...` in one database, `x_plan_end` in
 * another), drops fields the tenant's Odoo version does not have, and renames answers back. So
 * pointing a tenant at a real Odoo is a registry entry, never a code change.
 */
import type { OdooDomain, OdooRecord } from './client';

export type OdooVersion = '17.0' | '18.0' | '19.0';

/** Canonical names of the custom fields the schema reads (support-plan entitlements). */
export interface OdooCustomFields {
  /** `sale.order.line`: first day of the support period (date). */
  entitlementStart: string;
  /** `sale.order.line`: last day of the support period (date). */
  entitlementEnd: string;
  /** `product.product`: support tier of a plan (selection basic/standard/premium). */
  supportTier: string;
  /** `product.product`: months of warranty (integer). */
  warrantyMonths: string;
}

export const CANONICAL_CUSTOM_FIELDS: OdooCustomFields = {
  entitlementStart: 'x_entitlement_start',
  entitlementEnd: 'x_entitlement_end',
  supportTier: 'x_support_tier',
  warrantyMonths: 'x_warranty_months',
};

/** Fields that appeared in a later Odoo: asked of older servers, Odoo answers "Invalid field". */
const FIELD_SINCE: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'product.product': { is_storable: 18 },
};

export interface FieldAdapter {
  /** Field names to send for `model`: renamed, and without those this version lacks. */
  fields(model: string, canonical: readonly string[]): string[];
  /** A domain with its field paths renamed (first segment of each leaf). */
  domain(domain: OdooDomain): OdooDomain;
  /** Records with the tenant's custom field names renamed back to the canonical ones. */
  records(rows: OdooRecord[]): OdooRecord[];
  /** A `fields_get` answer keyed by canonical names. */
  fieldMap<T>(fields: Record<string, T>): Record<string, T>;
}

/** The canonical names of the custom fields a tenant has configured (the others are never read). */
export function configuredCustomFields(custom: Partial<OdooCustomFields>): Set<string> {
  return new Set(
    (Object.keys(CANONICAL_CUSTOM_FIELDS) as Array<keyof OdooCustomFields>).filter((k) => custom[k] !== undefined).map((k) => CANONICAL_CUSTOM_FIELDS[k]),
  );
}

export function createFieldAdapter(version: OdooVersion, custom: Partial<OdooCustomFields>): FieldAdapter {
  const major = Number(version.split('.')[0]);
  const toTenant = new Map<string, string>();
  for (const key of Object.keys(CANONICAL_CUSTOM_FIELDS) as Array<keyof OdooCustomFields>) {
    const own = custom[key];
    if (own !== undefined && CANONICAL_CUSTOM_FIELDS[key] !== own) toTenant.set(CANONICAL_CUSTOM_FIELDS[key], own);
  }
  const toCanonical = new Map([...toTenant].map(([c, t]) => [t, c]));
  const rename = (name: string): string => toTenant.get(name) ?? name;
  const renamePath = (path: string): string => {
    const [head = '', ...rest] = path.split('.');
    return [rename(head), ...rest].join('.');
  };
  return {
    fields: (model, canonical) => canonical.filter((f) => (FIELD_SINCE[model]?.[f] ?? 0) <= major).map(rename),
    domain: (domain) =>
      toTenant.size === 0 ? domain : domain.map((term) => (typeof term === 'string' ? term : ([renamePath(term[0]), term[1], term[2]] as const))),
    fieldMap: (fields) => (toCanonical.size === 0 ? fields : Object.fromEntries(Object.entries(fields).map(([k, v]) => [toCanonical.get(k) ?? k, v]))),
    records: (rows) =>
      toCanonical.size === 0
        ? rows
        : rows.map((row) => {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(row)) out[toCanonical.get(k) ?? k] = v;
            return out as OdooRecord;
          }),
  };
}
