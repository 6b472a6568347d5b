/**
 * What kind of Odoo each sandbox tenant runs: version, optional modules, Studio fields, companies
 * and who the integration logs in as. Real customers differ in exactly these ways, and the
 * subgraph must cope with each (shared/fixtures/odoo-capabilities recorded a plain and a
 * customized database side by side). Unknown tenants get the plain 18 profile.
 */

export type OdooVersion = '17.0' | '18.0' | '19.0';

/** Optional modules whose presence changes the models (the rest of the plain set is always installed). */
export type OptionalModule = 'delivery' | 'stock_delivery';

/** Studio-style custom fields a database may have. */
export type CustomField = 'sale.order.line.x_entitlement_start' | 'sale.order.line.x_entitlement_end' | 'product.product.x_support_tier';

export interface OdooCompanyProfile {
  /** Company name; company 1 defaults to the world's company name. */
  name?: string;
  /** @default the world's currency (USD for an empty database) */
  currency?: 'USD' | 'EUR' | 'DKK';
  /** `tz` of the company's partner. */
  tz: string;
}

export interface OdooProfile {
  version: OdooVersion;
  /** Optional modules installed on top of contacts, sale_management, sale_margin, stock, account, sale_stock. */
  modules: readonly OptionalModule[];
  customFields: readonly CustomField[];
  /** Company 1 first; the admin and the integration user belong to all of them. */
  companies: readonly OdooCompanyProfile[];
  /**
   * 'admin': the tenant's login is uid 2 with every group. 'least-privilege': the login is uid 6
   * with Sales / User: Own Documents Only + Inventory / User (fixtures setup/08-09); uid 2 is
   * 'admin' with a password nobody knows.
   */
  integrationUser: 'admin' | 'least-privilege';
}

export const ALL_CUSTOM_FIELDS: readonly CustomField[] = [
  'sale.order.line.x_entitlement_start',
  'sale.order.line.x_entitlement_end',
  'product.product.x_support_tier',
];

const PLAIN_18: OdooProfile = { version: '18.0', modules: [], customFields: [], companies: [{ tz: 'Europe/Berlin' }], integrationUser: 'admin' };

const PROFILES: Record<string, OdooProfile> = {
  acme: PLAIN_18,
  globex: {
    version: '19.0',
    modules: ['delivery', 'stock_delivery'],
    customFields: ALL_CUSTOM_FIELDS,
    companies: [{ tz: 'America/New_York' }, { name: 'Globex Nordic ApS', currency: 'DKK', tz: 'Europe/Copenhagen' }],
    integrationUser: 'admin',
  },
  initech: { version: '17.0', modules: [], customFields: [], companies: [{ tz: 'America/Chicago' }], integrationUser: 'least-privilege' },
};

/** The profile of a sandbox tenant (plain 18 for a name the sandbox does not know). */
export function profileFor(tenant: string): OdooProfile {
  return PROFILES[tenant] ?? PLAIN_18;
}

/** `profileFor(tenant)` with the given overrides. */
export function resolveProfile(tenant: string, override: Partial<OdooProfile> = {}, version?: OdooVersion): OdooProfile {
  const base = { ...profileFor(tenant), ...override };
  return version ? { ...base, version } : base;
}

/** uid the integration logs in as. */
export const integrationUid = (p: OdooProfile): number => (p.integrationUser === 'admin' ? 2 : 6);
