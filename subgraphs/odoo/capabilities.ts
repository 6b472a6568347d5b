/**
 * What one tenant's Odoo offers, discovered from the server itself as the integration user:
 * its version (`common.version`), the installed state of the optional modules the schema can use
 * (`ir.module.module`), the fields of every model the subgraph reads (`fields_get`, which silently
 * leaves out the fields this user's groups may not read: fixtures odoo-capabilities FACTS 10), the
 * companies (with their currencies and time zones) and the support-plan products of the registry.
 *
 * Every read asks only for fields that exist and are readable; a schema field whose source is
 * missing resolves to null with UPSTREAM_CAPABILITY_MISSING and a reason saying why (module not
 * installed, custom field absent, field restricted to groups the user lacks), never a failed query.
 *
 * Discovery runs at start-up, again when it is older than `capabilityRefreshSeconds` (in the
 * background, the previous answer serving meanwhile), and at once after Odoo answers "Invalid
 * field" or AccessError (the server changed under us: a module uninstalled, a group removed).
 */
import type { Logger } from 'pino';
import type { OdooUpstreamConfig } from '../../tenancy/registry';
import { ErrorCode, UpstreamError } from '../kit/errors';
import { OdooMisconfigured, OdooRejection, type OdooClient, type OdooRecord, type OdooServerVersion } from './client';
import { configuredCustomFields } from './field-adapter';
import { m2oId, m2oName } from './mappers';

/** The models the subgraph reads. */
export const READ_MODELS = [
  'res.partner',
  'res.company',
  'sale.order',
  'sale.order.line',
  'account.move',
  'stock.picking',
  'stock.move',
  'product.product',
] as const;
export type ReadModel = (typeof READ_MODELS)[number];

/** Optional modules whose presence changes what the schema can answer (and what the doctor reports). */
export const OPTIONAL_MODULES = [
  'sale_management',
  'sale_stock',
  'sale_margin',
  'stock',
  'account',
  'delivery',
  'stock_delivery',
  'sale_subscription',
  'helpdesk',
  'account_accountant',
] as const;

/** The module a model belongs to (a missing model means that module is not installed). */
const MODEL_MODULE: Readonly<Record<ReadModel, string>> = {
  'res.partner': 'base',
  'res.company': 'base',
  'sale.order': 'sale',
  'sale.order.line': 'sale',
  'account.move': 'account',
  'stock.picking': 'stock',
  'stock.move': 'stock',
  'product.product': 'product',
};

/**
 * Fields a module adds to another module's model (Odoo source: stock_delivery/models/stock_picking.py,
 * sale_stock/models/sale_order.py, sale_margin/models/*.py, stock/models/product.py).
 */
const FIELD_MODULE: Readonly<Record<string, string>> = {
  'stock.picking.carrier_tracking_ref': 'stock_delivery',
  'stock.picking.sale_id': 'sale_stock',
  'stock.move.sale_line_id': 'sale_stock',
  'sale.order.picking_ids': 'sale_stock',
  'sale.order.margin': 'sale_margin',
  'sale.order.margin_percent': 'sale_margin',
  'sale.order.line.margin': 'sale_margin',
  'product.product.qty_available': 'stock',
  'product.product.virtual_available': 'stock',
};

/** Fields that appeared in a later Odoo. */
const FIELD_SINCE: Readonly<Record<string, number>> = { 'product.product.is_storable': 18 };

/** The groups Odoo names when a field is refused (fixture access.gw-sales.res.partner.search_read.credit_limit). */
const FIELD_GROUPS: Readonly<Record<string, string>> = {
  'res.partner.credit_limit': "'Technical / Show Accounting Features - Readonly' or 'Invoicing / Invoicing'",
  'res.partner.credit': "'Technical / Show Accounting Features - Readonly' or 'Invoicing / Invoicing'",
};

/**
 * Which schema fields read which Odoo field, for the doctor's "fields that will be null and why".
 * `quietWithout`: without that module the field is simply null (no error), e.g. no tracking
 * reference where no delivery-carrier module exists.
 */
export const SCHEMA_SOURCES: ReadonlyArray<{ field: string; model: ReadModel; source: string; quietWithout?: string }> = [
  { field: 'Customer.creditLimit', model: 'res.partner', source: 'credit_limit' },
  { field: 'CompanyBalance.creditLimit', model: 'res.partner', source: 'credit_limit' },
  { field: 'Customer.openBalance', model: 'account.move', source: 'amount_residual_signed' },
  { field: 'Customer.invoices', model: 'account.move', source: 'commercial_partner_id' },
  { field: 'Customer.deliveries', model: 'stock.picking', source: 'partner_id' },
  { field: 'Order.margin', model: 'sale.order', source: 'margin' },
  { field: 'Order.marginPercent', model: 'sale.order', source: 'margin_percent' },
  { field: 'Order.deliveries', model: 'sale.order', source: 'picking_ids' },
  { field: 'OrderLine.margin', model: 'sale.order.line', source: 'margin' },
  { field: 'Delivery.trackingRef', model: 'stock.picking', source: 'carrier_tracking_ref', quietWithout: 'stock_delivery' },
  { field: 'Delivery.order', model: 'stock.picking', source: 'sale_id' },
  { field: 'Delivery.moves', model: 'stock.move', source: 'product_uom_qty' },
  { field: 'Delivery.exceptions', model: 'stock.picking', source: 'backorder_ids' },
  { field: 'OrderLine.warrantyEndsOn', model: 'stock.move', source: 'sale_line_id', quietWithout: 'sale_stock' },
  { field: 'Product.qtyAvailable', model: 'product.product', source: 'qty_available' },
  { field: 'Product.qtyForecast', model: 'product.product', source: 'virtual_available' },
  { field: 'Product.inStock', model: 'product.product', source: 'qty_available' },
  { field: 'Product.cost', model: 'product.product', source: 'standard_price' },
];

export interface OdooCompany {
  id: number;
  name: string;
  /** ISO 4217 code of the company currency. */
  currencyCode: string;
  /** IANA zone of the company (its partner's `tz`), or null when none is set (then UTC). */
  timeZone: string | null;
}

/** A support-plan product of the registry, resolved to its Odoo product id. */
export interface SupportPlan {
  productId: number;
  tier: 'basic' | 'standard' | 'premium';
  termMonths: number;
}

/** Who the integration user is, as far as it may read itself. */
export interface IntegrationUser {
  /** Its default company (Odoo's current company when no `allowed_company_ids` is sent), or null when unknown. */
  companyId: number | null;
  /** Its groups by xml id (→ full name), or null when it may not read them. */
  groups: ReadonlyMap<string, string> | null;
}

/** Sales / User: Own Documents Only without a group that sees every document. */
export const OWN_DOCUMENTS_GROUP = 'sales_team.group_sale_salesman';
export const ALL_DOCUMENTS_GROUPS = ['sales_team.group_sale_salesman_all_leads', 'sales_team.group_sale_manager'] as const;

export interface FieldInfo {
  type: string;
  relation?: string;
}

/** What one tenant's Odoo offers, as discovered. Immutable: a refresh builds a new one. */
export class OdooCapabilities {
  constructor(
    readonly server: OdooServerVersion,
    /** Module name → state (`installed`, `uninstalled`, `uninstallable`, ...); absent: no such module row. */
    readonly modules: ReadonlyMap<string, string>,
    /** Model → its readable fields; null when the model does not exist on the server. */
    readonly models: ReadonlyMap<string, ReadonlyMap<string, FieldInfo> | null>,
    readonly companies: readonly OdooCompany[],
    readonly plans: ReadonlyMap<number, SupportPlan>,
    readonly user: IntegrationUser,
    /** Canonical names of the custom fields the registry configures. */
    private readonly customConfigured: ReadonlySet<string>,
    readonly discoveredAt: number,
  ) {}

  /** Whether `model.field` exists and this user may read it (custom fields only when configured). */
  has(model: string, field: string): boolean {
    if (field.startsWith('x_') && !this.customConfigured.has(field)) return false;
    return this.models.get(model)?.has(field) === true;
  }

  /** The fields of `wanted` that can be read ('id' is always there). */
  readable(model: string, wanted: readonly string[]): string[] {
    return wanted.filter((f) => this.has(model, f));
  }

  /**
   * Whether record rules restrict the user to its own documents (Sales / User: Own Documents Only):
   * other salespeople's orders, their lines and customer invoices are then invisible to it.
   */
  get ownDocumentsOnly(): boolean {
    const groups = this.user.groups;
    return groups !== null && groups.has(OWN_DOCUMENTS_GROUP) && !ALL_DOCUMENTS_GROUPS.some((g) => groups.has(g));
  }

  /** Throws UPSTREAM_CAPABILITY_MISSING where a customer-wide figure would be summed over part of the invoices. */
  requireAllInvoices(): void {
    if (this.ownDocumentsOnly) {
      throw capabilityMissing(
        "the integration user sees only its own customer invoices (Sales / User: Own Documents Only, Odoo's rule 'Personal Invoices'): a balance would be partial; give it 'Sales / User: All Documents'",
      );
    }
  }

  moduleInstalled(name: string): boolean {
    return this.modules.get(name) === 'installed';
  }

  /** The first allowed company: its currency labels single-company figures. */
  get mainCompany(): OdooCompany | undefined {
    return this.companies[0];
  }

  company(id: number | null): OdooCompany | undefined {
    return id === null ? undefined : this.companies.find((c) => c.id === id);
  }

  /** Why `model.field` cannot be read, or null when it can. */
  missing(model: string, field: string): string | null {
    if (this.has(model, field)) return null;
    const key = `${model}.${field}`;
    const fields = this.models.get(model);
    if (fields === null || fields === undefined) {
      const module = MODEL_MODULE[model as ReadModel] ?? 'unknown';
      return `Odoo module ${module} is not installed (the server has no model ${model})`;
    }
    if (field.startsWith('x_')) {
      return this.customConfigured.has(field)
        ? `the custom field ${key} configured for this tenant does not exist in its Odoo database`
        : `no custom field is configured for ${key} (tenant registry upstreams.odoo.customFields)`;
    }
    const module = FIELD_MODULE[key];
    if (module !== undefined && !this.moduleInstalled(module)) return `Odoo module ${module} is not installed`;
    const since = FIELD_SINCE[key];
    if (since !== undefined && this.server.major < since) return `${key} exists only from Odoo ${since}.0 (the server runs ${this.server.serverVersion})`;
    const groups = FIELD_GROUPS[key];
    return `the integration user cannot read ${key}${groups ? ` (allowed for groups ${groups})` : ''}`;
  }

  /** Throws UPSTREAM_CAPABILITY_MISSING (with the reason) unless every source field can be read. */
  require(model: string, ...fields: string[]): void {
    for (const field of fields) {
      const reason = this.missing(model, field);
      if (reason !== null) throw capabilityMissing(reason);
    }
  }
}

export const capabilityMissing = (reason: string): UpstreamError => {
  const err = new UpstreamError(ErrorCode.UPSTREAM_CAPABILITY_MISSING, 'odoo', `Not available from this tenant's Odoo: ${reason}`);
  err.extensions['reason'] = reason;
  return err;
};

const FIELD_ATTRIBUTES = ['type', 'relation'] as const;

async function readModelFields(client: OdooClient, model: string): Promise<ReadonlyMap<string, FieldInfo> | null> {
  try {
    const answer = await client.fieldsGet(model, FIELD_ATTRIBUTES);
    return new Map(
      Object.entries(answer).map(([name, attrs]) => [
        name,
        { type: String(attrs['type'] ?? ''), ...(typeof attrs['relation'] === 'string' ? { relation: attrs['relation'] } : {}) },
      ]),
    );
  } catch (err) {
    // An unknown model is a UserError "Object x doesn't exist" (fixture error.unknown_model); a
    // model the user may not read at all is an AccessError: it exists, nothing of it is readable.
    // Anything else (an outage, an injected fault) is no answer about the model: the discovery fails.
    if (err instanceof OdooRejection && /doesn't exist|does not exist/.test(err.odooMessage) && err.odooName === 'odoo.exceptions.UserError') return null;
    if (err instanceof OdooRejection && err.odooName === 'odoo.exceptions.AccessError') return new Map();
    throw err;
  }
}

async function readModules(client: OdooClient, log: Logger | undefined): Promise<Map<string, string>> {
  try {
    const rows = await client.searchRead('ir.module.module', [['name', 'in', [...OPTIONAL_MODULES]]], { fields: ['name', 'state'] });
    return new Map(rows.filter((r) => typeof r['name'] === 'string').map((r) => [String(r['name']), String(r['state'])]));
  } catch (err) {
    // A user without read access on modules: fields_get still tells what exists.
    if (err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_REJECTED) {
      log?.warn('odoo: the integration user cannot read ir.module.module; module states unknown');
      return new Map();
    }
    throw err;
  }
}

/**
 * The integration user's default company and groups (xml id → full name), read as that user: its
 * own `res.users` row (`groups_id`, `group_ids` from Odoo 19), then `ir.model.data` for the xml ids.
 * A user that may not read these gets `groups: null` (unknown), never a failed discovery.
 */
async function readUser(client: OdooClient, config: OdooUpstreamConfig, major: number): Promise<IntegrationUser> {
  // Odoo 19 renamed `groups_id` to `group_ids`: ask for this version's name, then the other one.
  const names = major >= 19 ? ['group_ids', 'groups_id'] : ['groups_id', 'group_ids'];
  let user: OdooRecord | undefined;
  let groupsField = names[0]!;
  for (const [i, name] of names.entries()) {
    try {
      groupsField = name;
      [user] = await client.searchRead('res.users', [['login', '=', config.login]], { fields: ['company_id', name], limit: 1 });
      break;
    } catch (err) {
      const invalidField = err instanceof OdooRejection && err.odooName === 'builtins.ValueError' && /^Invalid field /.test(err.odooMessage);
      if (invalidField && i === 0) continue;
      if (err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_REJECTED) return { companyId: null, groups: null };
      throw err;
    }
  }
  if (!user) return { companyId: null, groups: null };
  const companyId = m2oId(user['company_id']);
  const ids = Array.isArray(user[groupsField]) ? (user[groupsField] as unknown[]).filter((v): v is number => typeof v === 'number') : [];
  if (ids.length === 0) return { companyId, groups: new Map() };
  try {
    const [xmlids, groups] = await Promise.all([
      client.searchRead(
        'ir.model.data',
        [
          ['model', '=', 'res.groups'],
          ['res_id', 'in', ids],
        ],
        { fields: ['module', 'name', 'res_id'] },
      ),
      client.read('res.groups', ids, ['full_name']),
    ]);
    const names = new Map(groups.map((g) => [g.id, typeof g['full_name'] === 'string' ? g['full_name'] : '']));
    return { companyId, groups: new Map(xmlids.map((x) => [`${String(x['module'])}.${String(x['name'])}`, names.get(Number(x['res_id'])) ?? ''])) };
  } catch (err) {
    if (err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_REJECTED) return { companyId, groups: null };
    throw err;
  }
}

/**
 * The tenant's companies, main one first: the registry's order when it names them, else the user's
 * default company (Odoo's current company without `allowed_company_ids`), then the others by id.
 */
async function readCompanies(client: OdooClient, allowed: readonly number[] | undefined, userCompany: number | null): Promise<OdooCompany[]> {
  const rows = await client.searchRead('res.company', [], { fields: ['name', 'currency_id', 'partner_id'], order: 'id asc' });
  const chosen: OdooRecord[] = allowed
    ? allowed.map((id) => rows.find((r) => r.id === id)).filter((r): r is OdooRecord => r !== undefined)
    : [...rows].sort((a, b) => Number(b.id === userCompany) - Number(a.id === userCompany) || a.id - b.id);
  const partnerIds = chosen.map((r) => m2oId(r['partner_id'])).filter((id): id is number => id !== null);
  const partners = partnerIds.length ? await client.read('res.partner', partnerIds, ['tz']) : [];
  return chosen.map((r) => {
    const partner = partners.find((p) => p.id === m2oId(r['partner_id']));
    const tz = partner?.['tz'];
    return { id: r.id, name: String(r['name'] ?? ''), currencyCode: m2oName(r['currency_id']) ?? 'XXX', timeZone: typeof tz === 'string' && tz ? tz : null };
  });
}

async function readPlans(
  client: OdooClient,
  config: OdooUpstreamConfig,
  productFields: ReadonlyMap<string, FieldInfo> | null | undefined,
): Promise<Map<number, SupportPlan>> {
  const out = new Map<number, SupportPlan>();
  const plans = config.entitlements.plans;
  if (plans.length === 0 || !productFields) return out;
  const bySku = plans.filter((p) => p.sku !== undefined);
  const byCategory = plans.filter((p) => p.category !== undefined);
  const archivedToo = { active_test: false };
  if (bySku.length) {
    const rows = await client.searchRead('product.product', [['default_code', 'in', bySku.map((p) => p.sku)]], {
      fields: ['default_code'],
      context: archivedToo,
    });
    for (const row of rows) {
      const plan = bySku.find((p) => p.sku === row['default_code']);
      if (plan) out.set(row.id, { productId: row.id, tier: plan.tier, termMonths: plan.termMonths });
    }
  }
  if (byCategory.length) {
    const categories = await client.searchRead('product.category', [['complete_name', 'in', byCategory.map((p) => p.category)]], { fields: ['complete_name'] });
    if (categories.length) {
      const rows = await client.searchRead('product.product', [['categ_id', 'in', categories.map((c) => c.id)]], {
        fields: ['categ_id'],
        context: archivedToo,
      });
      for (const row of rows) {
        const category = categories.find((c) => c.id === m2oId(row['categ_id']));
        const plan = byCategory.find((p) => p.category === category?.['complete_name']);
        if (plan && !out.has(row.id)) out.set(row.id, { productId: row.id, tier: plan.tier, termMonths: plan.termMonths });
      }
    }
  }
  return out;
}

/** JSON-2 asked of a server that has none: stands until the registry changes (a refresh does not fix it). */
export class ProtocolMismatchError extends OdooMisconfigured {
  constructor(detail: string) {
    super(detail);
    this.name = 'ProtocolMismatchError';
  }
}

/** One discovery: about a dozen calls, in three waves. */
export async function discoverCapabilities(
  client: OdooClient,
  config: OdooUpstreamConfig,
  log?: Logger,
  now: () => number = Date.now,
): Promise<OdooCapabilities> {
  const server = await client.version();
  if (config.protocol === 'json2' && server.major < 19) {
    throw new ProtocolMismatchError(
      `the Odoo at ${client.url} runs ${server.serverVersion}, which has no JSON-2 API (Odoo 19 and later): set protocol "jsonrpc" in the tenant registry`,
    );
  }
  if (Number(config.version.split('.')[0]) !== server.major) {
    log?.warn({ declared: config.version, found: server.serverVersion }, 'odoo: the tenant registry declares another version than the server runs');
  }
  const [modules, fieldLists, user] = await Promise.all([
    readModules(client, log),
    Promise.all(READ_MODELS.map(async (m) => [m, await readModelFields(client, m)] as const)),
    readUser(client, config, server.major),
  ]);
  const models = new Map<string, ReadonlyMap<string, FieldInfo> | null>(fieldLists);
  const [companies, plans] = await Promise.all([
    readCompanies(client, config.companies, user.companyId),
    readPlans(client, config, models.get('product.product')),
  ]);
  return new OdooCapabilities(server, modules, models, companies, plans, user, configuredCustomFields(config.customFields), now());
}

/**
 * A tenant's capabilities over time: discovered once and shared by every request, rediscovered
 * when stale (in the background, the last answer serving meanwhile) or when Odoo says the server
 * changed. A failed discovery is retried no more than every {@link CapabilityHolder.RETRY_AFTER_FAILURE_MS}
 * (an outage must not cost a dozen calls per request), and never replaces a good answer: only a
 * protocol mismatch (JSON-2 on an Odoo below 19) is kept as the answer until the next refresh time.
 */
export class CapabilityHolder {
  /** A refusal rediscovers at most this often (a persistent refusal must not cost a discovery per request). */
  static readonly REFUSAL_REDISCOVERY_MS = 10_000;
  /** After a failed discovery, the next one waits this long. */
  static readonly RETRY_AFTER_FAILURE_MS = 5_000;
  #current: OdooCapabilities | undefined;
  #lastRefusalDiscovery = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<OdooCapabilities> | undefined;
  #lastFailure: { error: unknown; at: number } | undefined;
  #protocolError: { error: ProtocolMismatchError; at: number } | undefined;

  constructor(
    private readonly client: OdooClient,
    private readonly config: OdooUpstreamConfig,
    private readonly log?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The capabilities to read with: the current ones (refreshed in the background when stale), else a discovery. */
  async get(): Promise<OdooCapabilities> {
    const maxAge = this.config.capabilityRefreshSeconds * 1000;
    if (this.#protocolError && this.now() - this.#protocolError.at < maxAge) throw this.#protocolError.error;
    const current = this.#current;
    const recentFailure = this.#lastFailure !== undefined && this.now() - this.#lastFailure.at < CapabilityHolder.RETRY_AFTER_FAILURE_MS;
    if (current) {
      if (this.now() - current.discoveredAt >= maxAge && !recentFailure) this.refresh().catch(() => undefined);
      return current;
    }
    if (recentFailure && !this.#inFlight) throw this.#lastFailure?.error;
    return this.refresh();
  }

  /** Discovers again (one discovery at a time); the answer replaces the current one. */
  refresh(): Promise<OdooCapabilities> {
    this.#inFlight ??= discoverCapabilities(this.client, this.config, this.log, this.now)
      .then((caps) => {
        this.#current = caps;
        this.#lastFailure = undefined;
        this.#protocolError = undefined;
        return caps;
      })
      .catch((err: unknown) => {
        this.#lastFailure = { error: err, at: this.now() };
        if (err instanceof ProtocolMismatchError) {
          this.#protocolError = { error: err, at: this.now() };
          this.log?.error({ problem: err.detail }, 'odoo: tenant misconfigured');
        } else {
          this.log?.warn(
            { err: err instanceof Error ? err.message : String(err), ...(err instanceof OdooMisconfigured ? { problem: err.detail } : {}) },
            'odoo: capability discovery failed',
          );
        }
        throw err;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /**
   * After Odoo refused a field it was offered ("Invalid field", AccessError): discovers again, at
   * most once per {@link CapabilityHolder.REFUSAL_REDISCOVERY_MS}; otherwise the current answer.
   */
  afterRefusal(): Promise<OdooCapabilities> {
    const current = this.#current;
    if (current && this.now() - this.#lastRefusalDiscovery < CapabilityHolder.REFUSAL_REDISCOVERY_MS) return Promise.resolve(current);
    this.#lastRefusalDiscovery = this.now();
    return this.refresh();
  }

  /** The last discovered capabilities, if any (no I/O). */
  get current(): OdooCapabilities | undefined {
    return this.#current;
  }
}
