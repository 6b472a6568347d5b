/**
 * The Odoo loaders of one request. Built per request (never shared: DataLoader memoises per
 * instance, and the tenant's records must never leak into another identity's answer).
 *
 * Upstream economy: every tick's reads of one model are one Odoo call.
 * - By id: one `search_read` with `[('id', 'in', ids)]`, through the entity cache when one is given
 *   (one MGET; only the misses reach Odoo, in that one call).
 * - A page of a customer's list (orders, invoices, deliveries), keyed by customer, filter and
 *   window: for one customer in the tick, one `search_read` of the window's whole records
 *   (`offset`, `limit` + 1 to tell whether more follow), priming the by-id loader, plus a
 *   `search_count` in the same wave only when the query asks `totalCount`; the page is one wave,
 *   not ids then records. For several customers in one tick, one `search_read` of ids over all of
 *   them and their contacts, the records then through the by-id loader (one call for every page).
 *   Either way a page costs the same calls for a customer with 3 orders as for one with 150. The
 *   pages are cached (types `CustomerOrders`, `CustomerInvoices`, `CustomerDeliveries`, keyed by
 *   {@link pageKey}), so a warm repeat of a query costs no call at all.
 * - The support-plan lines of a customer (entitlements): one `search_read` over all the tick's
 *   customers, reading the lines whole.
 * - Lookups by a natural key (email, order name, SKU): one `search_read` per tick; the key → id
 *   answer is cached like an entity (without a cache, the records found prime the by-id loader).
 *
 * Every read asks only for the fields the tenant's Odoo has and lets this user read (capabilities.ts);
 * when Odoo still answers "Invalid field" or AccessError (the server changed since discovery), the
 * capabilities are discovered again and the call is retried once with the new field list.
 *
 * `economy: 'naive'` turns batching and caching off (one upstream call per load): the benchmark's
 * baseline, never a production setting.
 */
import type DataLoader from 'dataloader';
import type { EntityCache, StaleServe } from '../../cache';
import { ODOO_ENTITIES } from './entities';
import type { TenantConfig } from '../../tenancy/registry';
import { invalidationEpoch, keyedLoader, type KeyedLoader } from '../kit/loaders';
import { capabilityMissing, type CapabilityHolder, type OdooCapabilities } from './capabilities';
import { OdooRejection, type OdooClient, type OdooDomain, type OdooRecord } from './client';
import { CUSTOMER_MOVE_TYPES, idList, m2oId } from './mappers';
import { planLineDomain } from './plan-lines';
import type { PageRead, PageWindow } from '../kit/pagination';

/**
 * Fields read per model, when the server has them: fixed lists, so a cached record serves every
 * query shape. Optional ones (a module's, a custom field, a group-restricted one) are left out of
 * the call where the tenant's Odoo lacks them; the schema fields they feed then say why.
 */
export const FIELDS = {
  'res.partner': ['name', 'email', 'ref', 'is_company', 'phone', 'country_code', 'parent_id', 'child_ids', 'commercial_partner_id', 'active'],
  'sale.order': [
    'name',
    'state',
    'partner_id',
    'date_order',
    'order_line',
    'invoice_ids',
    'picking_ids',
    'amount_untaxed',
    'amount_total',
    'margin',
    'margin_percent',
    'currency_id',
    'invoice_status',
    'client_order_ref',
    'locked',
    'company_id',
  ],
  'sale.order.line': [
    'order_id',
    'name',
    'product_id',
    'product_uom_qty',
    'qty_delivered',
    'qty_invoiced',
    'price_unit',
    'discount',
    'price_subtotal',
    'margin',
    'currency_id',
    'display_type',
    'state',
    'x_entitlement_start',
    'x_entitlement_end',
  ],
  'account.move': [
    'name',
    'move_type',
    'state',
    'payment_state',
    'amount_total',
    'amount_residual',
    'currency_id',
    'partner_id',
    'invoice_date',
    'invoice_date_due',
    'invoice_origin',
    'company_id',
  ],
  'stock.picking': [
    'name',
    'state',
    'picking_type_code',
    'origin',
    'partner_id',
    'scheduled_date',
    'date_done',
    'carrier_tracking_ref',
    'sale_id',
    'return_id',
    'company_id',
    'create_date',
    'backorder_id',
    'backorder_ids',
    'return_ids',
    'move_ids',
  ],
  'stock.move': ['name', 'product_id', 'product_uom_qty', 'quantity', 'state', 'picking_id', 'sale_line_id'],
  'product.product': [
    'name',
    'default_code',
    'type',
    'is_storable',
    'qty_available',
    'virtual_available',
    'lst_price',
    'standard_price',
    'currency_id',
    'categ_id',
    'x_support_tier',
    'x_warranty_months',
  ],
} as const satisfies Record<string, readonly string[]>;

export type OdooModel = keyof typeof FIELDS;

export { ODOO_DEPENDENTS } from './entities';

/** The GraphQL entity type cached for each model (cache key segment and TTL policy). */
const ENTITY_TYPE: Record<OdooModel, string> = {
  'res.partner': 'Customer',
  'sale.order': 'Order',
  'sale.order.line': 'OrderLine',
  'account.move': 'Invoice',
  'stock.picking': 'Delivery',
  'stock.move': 'DeliveryMove',
  'product.product': 'Product',
};

/** List orders (Odoo `order`), newest first, id as the tie-breaker so pages are stable. */
export const LIST_ORDER = {
  orders: 'date_order desc, id desc',
  invoices: 'invoice_date desc, id desc',
  deliveries: 'scheduled_date desc, id desc',
  entitlements: 'id desc',
} as const;

export type { Economy } from '../kit/server';
import type { Economy } from '../kit/server';

/** Odoo `search_read` batches are bounded so one domain never grows without limit. */
export const MAX_BATCH = 200;

export interface OdooLoaderOptions {
  client: OdooClient;
  /** The tenant's discovered capabilities (shared by every request of the tenant). */
  capabilities: CapabilityHolder;
  tenant: TenantConfig;
  /** The request's signal: upstream calls are abandoned when it aborts. */
  signal?: AbortSignal | undefined;
  cache?: EntityCache | undefined;
  /** @default 'batched' */
  economy?: Economy;
  /** Receives each stale cache entry served (the request context's `stale` list). */
  onStale?: (serve: StaleServe) => void;
}

export interface OdooLoaders {
  readonly customer: DataLoader<number, OdooRecord | null>;
  readonly order: DataLoader<number, OdooRecord | null>;
  readonly orderLine: DataLoader<number, OdooRecord | null>;
  readonly invoice: DataLoader<number, OdooRecord | null>;
  readonly delivery: DataLoader<number, OdooRecord | null>;
  readonly deliveryMove: DataLoader<number, OdooRecord | null>;
  readonly product: DataLoader<number, OdooRecord | null>;
  /** Normalised (trimmed, lower-case) email → the commercial partner of the chosen contact (see `pickByEmail`). */
  readonly customerIdByEmail: DataLoader<string, number | null>;
  readonly orderIdByName: DataLoader<string, number | null>;
  readonly productIdBySku: DataLoader<string, number | null>;
  /** A page of a customer's orders, newest first (variant: an Odoo `sale.order.state` or none); key from {@link pageKey}. */
  readonly orderPages: DataLoader<string, ListPage | null>;
  /** A page of the customer invoices and credit notes whose commercial partner is the customer, newest first. */
  readonly invoicePages: DataLoader<string, ListPage | null>;
  /** A page of the pickings of a customer and its contacts, newest first. */
  readonly deliveryPages: DataLoader<string, ListPage | null>;
  /** Support-plan order line ids (plan products of the registry, or lines with a custom period) on confirmed orders of a customer. */
  readonly entitlementLinesOf: DataLoader<number, number[] | null>;
  /**
   * Amount still due on posted invoices minus credit notes, per company (id → amount in that
   * company's currency: `amount_residual_signed`).
   */
  readonly openBalanceOf: DataLoader<number, Record<string, number> | null>;
  /** The credit limit of a customer in one company (company-dependent field); key from {@link creditLimitKey}. */
  readonly creditLimitOf: DataLoader<string, number | null>;
  /** An order's `date_order` (its confirmation, for a confirmed order), `company_id`, `state` and `invoice_ids`. */
  readonly orderConfirmation: DataLoader<number, OdooRecord | null>;
  /** The customer invoices of an order (a support plan's payment standing). */
  readonly planInvoicesOf: DataLoader<number, OdooRecord[] | null>;
  /** The tenant's capabilities for this request (discovered once per tenant, not per request). */
  capabilities(): Promise<OdooCapabilities>;
}

/** Key of {@link OdooLoaders.creditLimitOf}. */
export const creditLimitKey = (customerId: number, companyId: number): string => `${customerId}.${companyId}`;

/** A page of a customer's list: its ids in list order, whether more follow, and the list's size when it was asked. */
export interface ListPage extends PageRead {
  ids: number[];
}

interface PageKey {
  customerId: number;
  /** A filter of the list (an order state), or null for the whole list. */
  variant: string | null;
  window: PageWindow;
  counted: boolean;
}

/**
 * Key of a page loader: `<customer>.<variant|all>.<offset>.<limit>.<c|n>` (`c`: with the count).
 * It starts with the customer's id, so invalidating the customer drops its pages (a `variants` dependent).
 */
export const pageKey = (customerId: number, variant: string | null, window: PageWindow, counted: boolean): string =>
  `${customerId}.${variant ?? 'all'}.${window.offset}.${window.limit}.${counted ? 'c' : 'n'}`;

function parsePageKey(key: string): PageKey {
  const [customerId = '', variant = 'all', offset = '', limit = '', counted = ''] = key.split('.');
  return {
    customerId: Number(customerId),
    variant: variant === 'all' ? null : variant,
    window: { offset: Number(offset), limit: Number(limit) },
    counted: counted === 'c',
  };
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** A value for Odoo's `=like`/`=ilike` that matches itself only (PostgreSQL LIKE escapes). */
export const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A prefix-notation OR of the leaves (`['|', a, '|', b, c]`); one leaf stands alone. */
function anyOf(leaves: ReadonlyArray<readonly [string, string, unknown]>): OdooDomain {
  const out: Array<OdooDomain[number]> = [];
  leaves.forEach((leaf, i) => {
    if (i < leaves.length - 1) out.push('|');
    out.push(leaf);
  });
  return out;
}

/**
 * Of several partners sharing an email, the one `Customer @key(fields: "email")` resolves to:
 * a company first, then a top-level partner (no parent), then the lowest id. Deterministic.
 */
export function pickByEmail(candidates: readonly OdooRecord[]): OdooRecord | undefined {
  const rank = (r: OdooRecord): [number, number, number, number] => [
    r['active'] === false ? 1 : 0,
    r['is_company'] === true ? 0 : 1,
    m2oId(r['parent_id']) === null ? 0 : 1,
    r.id,
  ];
  return [...candidates].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || ra[3] - rb[3];
  })[0];
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

export function createOdooLoaders(options: OdooLoaderOptions): OdooLoaders {
  const { client, capabilities: holder, tenant, signal, cache, economy = 'batched', onStale } = options;
  const call = signal ? { signal } : {};
  const capabilities = (): Promise<OdooCapabilities> => holder.get();

  /**
   * Runs a read with the current capabilities; when Odoo refuses a field anyway (the server changed
   * since discovery), discovers again and retries once.
   */
  async function withCapabilities<T>(read: (caps: OdooCapabilities) => Promise<T>): Promise<T> {
    const caps = await capabilities();
    try {
      return await read(caps);
    } catch (err) {
      if (!(err instanceof OdooRejection) || !err.isCapabilityError) throw err;
      const next = await holder.afterRefusal();
      // Nothing new was discovered (a rediscovery ran moments ago): the same call would fail the same way.
      if (next === caps) throw err;
      return read(next);
    }
  }

  /** The fields of `model` to ask for: the wanted ones this server has and lets us read. */
  function fieldsOf(caps: OdooCapabilities, model: OdooModel, wanted: readonly string[] = FIELDS[model]): string[] {
    // A model the server lacks (its module is not installed) is never asked: `fields: []` would read every field.
    const reason = caps.missing(model, 'id');
    if (reason !== null) throw capabilityMissing(reason);
    return caps.readable(model, wanted);
  }

  /** A loader of `cacheType` entries with the lifetimes ODOO_ENTITIES gives that type (kit `keyedLoader`). */
  const keyed = <K extends string | number, V>(cacheType: string, fetchMany: (keys: readonly K[]) => Promise<Map<K, V>>): KeyedLoader<K, V> =>
    keyedLoader<K, V>({ tenant, economy, cache, cacheType, entities: ODOO_ENTITIES, fetchMany, maxBatchSize: MAX_BATCH, onStale, name: `odoo.${cacheType}` });

  function byId(model: OdooModel): KeyedLoader<number, OdooRecord> {
    const type = ENTITY_TYPE[model];
    return keyed<number, OdooRecord>(type, async (ids) => {
      // By id, archived records count too (a product archived after it was sold is still on the order).
      const rows = await withCapabilities((caps) =>
        client.searchRead(model, [['id', 'in', unique(ids)]], { fields: fieldsOf(caps, model), context: { active_test: false } }, call),
      );
      return new Map(rows.map((r) => [r.id, r]));
    });
  }

  const customer = byId('res.partner');
  const order = byId('sale.order');
  const orderLine = byId('sale.order.line');
  const invoice = byId('account.move');
  const delivery = byId('stock.picking');
  const deliveryMove = byId('stock.move');
  const product = byId('product.product');

  /**
   * A lookup by a natural key: one search_read per tick; the key → id answer is cached (type
   * `cacheType`, derived from its entity in ODOO_ENTITIES).
   */
  function lookup(
    model: OdooModel,
    target: KeyedLoader<number, OdooRecord>,
    cacheType: string,
    domainFor: (keys: readonly string[]) => OdooDomain,
    keyOf: (rec: OdooRecord) => string | null,
    choose: (candidates: readonly OdooRecord[]) => OdooRecord | undefined = (c) => c[0],
    /** The id the key resolves to, from the chosen record. @default its own id */
    idOf: (chosen: OdooRecord) => number = (r) => r.id,
  ): DataLoader<string, number | null> {
    return keyed<string, number>(cacheType, async (keys) => {
      // Archived records are found by every lookup, as by id (the chooser prefers active ones).
      const epoch = invalidationEpoch(cache);
      const rows = await withCapabilities((caps) =>
        client.searchRead(model, domainFor(unique(keys)), { fields: fieldsOf(caps, model), order: 'id asc', context: { active_test: false } }, call),
      );
      const byKey = new Map<string, OdooRecord[]>();
      for (const row of rows) {
        const k = keyOf(row);
        if (k !== null) byKey.set(k, [...(byKey.get(k) ?? []), row]);
      }
      const out = new Map<string, number>();
      for (const key of keys) {
        const chosen = choose(byKey.get(key) ?? []);
        if (!chosen) continue;
        out.set(key, idOf(chosen));
      }
      // The records found are this request's by-id answers too (the chosen one, and what the domain
      // brought along, such as a contact's company): no second read of them.
      for (const row of rows) target.primeThrough(row.id, row, epoch);
      return out;
    });
  }

  const customerIdByEmail = lookup(
    'res.partner',
    customer,
    'CustomerEmail',
    // Keys are lower-cased and Odoo stores emails as typed: match case-insensitively, with `%`,
    // `_` and `\` escaped so an address is never a pattern. The companies of contacts with the
    // address come in the same call (`child_ids.email`): a contact person's customer is its company,
    // read here rather than one call later.
    (emails) => anyOf(emails.flatMap((e) => [['email', '=ilike', escapeLike(e)] as const, ['child_ids.email', '=ilike', escapeLike(e)] as const])),
    (r) => (typeof r['email'] === 'string' ? normaliseEmail(r['email']) : null),
    pickByEmail,
    // A customer is the commercial partner: a contact person's email finds their company.
    (r) => m2oId(r['commercial_partner_id']) ?? r.id,
  );
  const orderIdByName = lookup(
    'sale.order',
    order,
    'OrderName',
    (names) => [['name', 'in', names]],
    (r) => (typeof r['name'] === 'string' ? r['name'] : null),
  );
  const productIdBySku = lookup(
    'product.product',
    product,
    'ProductSku',
    (skus) => [['default_code', 'in', skus]],
    (r) => (typeof r['default_code'] === 'string' ? r['default_code'] : null),
  );

  /**
   * Who "belongs" to each customer of the tick: the customer itself and its contacts (`child_ids`),
   * since an order, a delivery or a support plan of a company is often placed by one of its people.
   * The customers' records come from the by-id loader, which already holds them (their resolver's
   * parent was loaded through it), so this costs no Odoo call.
   */
  async function owners(parents: readonly number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    const add = (partner: number, owner: number) => {
      const list = out.get(partner);
      if (!list) out.set(partner, [owner]);
      else if (!list.includes(owner)) list.push(owner);
    };
    const records = await customer.loadMany(parents);
    parents.forEach((p, i) => {
      add(p, p);
      const rec = records[i];
      if (rec instanceof Error) throw rec;
      for (const child of idList(rec?.['child_ids'])) add(child, p);
    });
    return out;
  }

  /**
   * Child ids per parent: ONE search_read over all parents of the tick (and their contacts when
   * `withContacts`), fetching only the id, the parent field and the ordering fields; grouped by
   * parent in Odoo's order. Every parent gets a list (empty when it has none), so "none" is cached too.
   */
  async function childIds(
    model: OdooModel,
    parentField: string,
    parents: readonly number[],
    extra: OdooDomain,
    order: string,
    withContacts: boolean,
    /** Reads whole records and primes this by-id loader with them (saves the later by-id call). */
    fill?: KeyedLoader<number, OdooRecord>,
  ): Promise<Map<number, number[]>> {
    const ownersOf = withContacts ? await owners(parents) : new Map(parents.map((p) => [p, [p]]));
    const orderFields = order
      .split(',')
      .map((t) => t.trim().split(/\s+/)[0] ?? 'id')
      .filter((f) => f !== 'id');
    const epoch = invalidationEpoch(cache);
    const rows = await withCapabilities((caps) => {
      const fields = fieldsOf(caps, model, unique([parentField, ...orderFields, ...(fill ? fieldsOf(caps, model) : [])]));
      return client.searchRead(model, [[parentField, 'in', [...ownersOf.keys()]], ...extra], { fields, order }, call);
    });
    if (fill) for (const row of rows) fill.primeThrough(row.id, row, epoch);
    const out = new Map<number, number[]>(parents.map((p) => [p, []]));
    for (const row of rows) {
      const partner = m2oId(row[parentField]);
      for (const owner of partner === null ? [] : (ownersOf.get(partner) ?? [])) out.get(owner)?.push(row.id);
    }
    return out;
  }

  /**
   * Pages of a customer's list (see the module comment). One customer in the tick: its window's
   * records in one `search_read` (primed into `fill`), with a `search_count` beside it when the
   * count is asked. Several: one `search_read` of ids for all of them per filter (childIds).
   */
  function pages(
    cacheType: string,
    model: OdooModel,
    parentField: string,
    filter: (variant: string | null) => OdooDomain,
    order: string,
    withContacts: boolean,
    fill: KeyedLoader<number, OdooRecord>,
  ): DataLoader<string, ListPage | null> {
    async function onePage(key: PageKey): Promise<ListPage> {
      const ownersOf = withContacts ? await owners([key.customerId]) : new Map([[key.customerId, [key.customerId]]]);
      const domain: OdooDomain = [[parentField, 'in', [...ownersOf.keys()]], ...filter(key.variant)];
      const epoch = invalidationEpoch(cache);
      const [rows, total] = await Promise.all([
        withCapabilities((caps) =>
          client.searchRead(model, domain, { fields: fieldsOf(caps, model), order, offset: key.window.offset, limit: key.window.limit + 1 }, call),
        ),
        key.counted
          ? withCapabilities((caps) => {
              fieldsOf(caps, model); // a model the server lacks is never asked
              return client.searchCount(model, domain, call);
            })
          : null,
      ]);
      const inPage = rows.slice(0, key.window.limit);
      for (const row of inPage) fill.primeThrough(row.id, row, epoch);
      return { ids: inPage.map((r) => r.id), hasMore: rows.length > key.window.limit, total };
    }

    return keyed<string, ListPage>(cacheType, async (keys) => {
      const parsed = keys.map((key) => [key, parsePageKey(key)] as const);
      const out = new Map<string, ListPage>();
      if (parsed.length === 1) {
        const [key, one] = parsed[0]!;
        out.set(key, await onePage(one));
        return out;
      }
      // Several customers (or windows) in one tick: one id read per filter for all of them.
      const byVariant = new Map<string | null, Array<readonly [string, PageKey]>>();
      for (const entry of parsed) byVariant.set(entry[1].variant, [...(byVariant.get(entry[1].variant) ?? []), entry]);
      await Promise.all(
        [...byVariant].map(async ([variant, entries]) => {
          const found = await childIds(model, parentField, unique(entries.map(([, k]) => k.customerId)), filter(variant), order, withContacts);
          for (const [key, { customerId, window }] of entries) {
            const all = found.get(customerId) ?? [];
            out.set(key, {
              ids: all.slice(window.offset, window.offset + window.limit),
              hasMore: all.length > window.offset + window.limit,
              total: all.length,
            });
          }
        }),
      );
      return out;
    });
  }

  const openBalanceOf = keyed<number, Record<string, number>>('CustomerOpenBalance', async (parents) => {
    const domain: OdooDomain = [
      ['commercial_partner_id', 'in', unique(parents)],
      ['state', '=', 'posted'],
      ['move_type', 'in', CUSTOMER_MOVE_TYPES],
      ['payment_state', 'in', ['not_paid', 'partial', 'in_payment']],
    ];
    let caps = await capabilities();
    const rows = await withCapabilities((current) => {
      caps = current;
      current.require('account.move', 'amount_residual_signed', 'company_id');
      current.requireAllInvoices();
      return client.searchRead('account.move', domain, { fields: ['commercial_partner_id', 'amount_residual_signed', 'company_id'] }, call);
    });
    // Every allowed company gets an entry (0 when nothing is due there).
    const out = new Map<number, Record<string, number>>(parents.map((p) => [p, Object.fromEntries(caps.companies.map((c) => [String(c.id), 0]))]));
    for (const row of rows) {
      const p = m2oId(row['commercial_partner_id']);
      const company = m2oId(row['company_id']);
      const amount = row['amount_residual_signed'];
      const sums = p === null ? undefined : out.get(p);
      if (!sums || company === null || typeof amount !== 'number') continue;
      sums[String(company)] = Math.round(((sums[String(company)] ?? 0) + amount) * 100) / 100;
    }
    return out;
  });

  /**
   * `credit_limit` is company-dependent: its value depends on the current company, the first id of
   * `allowed_company_ids` (FACTS 15). One `read` per company in the tick.
   */
  const creditLimitOf = keyed<string, number>('CustomerCreditLimit', async (keys) => {
    const byCompany = new Map<number, number[]>();
    for (const key of keys) {
      const [customer = 0, company = 0] = key.split('.').map(Number);
      byCompany.set(company, [...(byCompany.get(company) ?? []), customer]);
    }
    const out = new Map<string, number>();
    await Promise.all(
      [...byCompany].map(async ([company, customers]) => {
        // search_read, not read: a partner a company's record rules hide is left out (no limit
        // there) instead of failing the whole batch with an AccessError.
        const rows = await withCapabilities((caps) => {
          caps.require('res.partner', 'credit_limit');
          return client.searchRead(
            'res.partner',
            [['id', 'in', unique(customers)]],
            { fields: ['credit_limit'], context: { allowed_company_ids: [company], active_test: false } },
            call,
          );
        });
        for (const row of rows) out.set(creditLimitKey(row.id, company), typeof row['credit_limit'] === 'number' ? row['credit_limit'] : 0);
      }),
    );
    return out;
  });

  /**
   * When and in which company an order was confirmed (a plan's period starts then). Its own loader,
   * not the order loader: whether the order page already holds an order must not change how many
   * calls a query costs.
   */
  const orderConfirmation = keyed<number, OdooRecord>('OrderConfirmation', async (ids) => {
    const rows = await withCapabilities((caps) =>
      client.searchRead(
        'sale.order',
        [['id', 'in', unique(ids)]],
        { fields: fieldsOf(caps, 'sale.order', ['date_order', 'company_id', 'state', 'invoice_ids']) },
        call,
      ),
    );
    return new Map(rows.map((r) => [r.id, r]));
  });

  /**
   * The customer invoices of plan orders (payment standing), by order: one call for the tick's orders,
   * made even when they have none yet, so the count depends on the query, not on the data.
   */
  const planInvoicesOf = keyed<number, OdooRecord[]>('PlanInvoices', async (orderIds) => {
    const orders = (await orderConfirmation.loadMany(orderIds)).filter((o): o is OdooRecord => o !== null && !(o instanceof Error));
    const invoiceIds = unique(orders.flatMap((o) => idList(o['invoice_ids'])));
    const rows = await withCapabilities((caps) =>
      client.searchRead(
        'account.move',
        [
          ['id', 'in', invoiceIds],
          ['move_type', 'in', CUSTOMER_MOVE_TYPES],
        ],
        { fields: fieldsOf(caps, 'account.move') },
        call,
      ),
    );
    return new Map(orders.map((o) => [o.id, rows.filter((r) => idList(o['invoice_ids']).includes(r.id))]));
  });

  /** Products that are support plans: the registry's plans, resolved at discovery. */
  async function entitlementDomain(caps: OdooCapabilities): Promise<OdooDomain> {
    const domain = planLineDomain(caps);
    if (domain) return domain;
    throw capabilityMissing(
      tenant.upstreams.odoo.entitlements.plans.length === 0
        ? 'no support-plan products are configured (tenant registry upstreams.odoo.entitlements.plans)'
        : 'none of the support-plan products configured for this tenant exists in its Odoo database',
    );
  }

  return {
    customer,
    order,
    orderLine,
    invoice,
    delivery,
    deliveryMove,
    product,
    customerIdByEmail,
    orderIdByName,
    productIdBySku,
    orderPages: pages('CustomerOrders', 'sale.order', 'partner_id', (state) => (state === null ? [] : [['state', '=', state]]), LIST_ORDER.orders, true, order),
    invoicePages: pages(
      'CustomerInvoices',
      'account.move',
      'commercial_partner_id',
      () => [['move_type', 'in', CUSTOMER_MOVE_TYPES]],
      LIST_ORDER.invoices,
      false,
      invoice,
    ),
    deliveryPages: pages('CustomerDeliveries', 'stock.picking', 'partner_id', () => [], LIST_ORDER.deliveries, true, delivery),
    // The plan lines come whole (a plan's period needs its order next: one call fewer on the way).
    entitlementLinesOf: keyed<number, number[]>('CustomerEntitlements', async (parents) =>
      childIds('sale.order.line', 'order_partner_id', parents, await entitlementDomain(await capabilities()), LIST_ORDER.entitlements, true, orderLine),
    ),
    orderConfirmation,
    planInvoicesOf,
    openBalanceOf,
    creditLimitOf,
    capabilities,
  };
}
