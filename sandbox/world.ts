/**
 * The seeded world each sandbox tenant lives in: who the customers are and how each one is known in
 * each system. The three emulators derive their records from it, so that a Zendesk requester, a
 * Salesforce account and an Odoo partner describe the same customer where the seed says they do,
 * and deliberately do not where it says otherwise (unknown requesters, unlinked accounts, shared
 * emails, customers without email).
 *
 * Deterministic: the same tenant name always gives the same world. Both tenants use the same ids
 * (each Odoo tenant is its own database, each Zendesk tenant its own account), so a test that asks
 * for id 12 under the wrong tenant's credentials would get a record back and must see the other
 * tenant's names: isolation is visible, not hidden by disjoint ids.
 */
import { createRng } from './kit/random';

/** How a customer's Zendesk requester is linked to the Odoo partner. */
export type ZendeskLink = 'external_id' | 'email' | 'none';
/** How a customer's Salesforce account is linked to the Odoo partner. */
export type SalesforceLink = 'external_id' | 'name_only' | 'none';

export interface WorldCustomer {
  /** Odoo `res.partner` id (a company, or a person without a company). */
  odooId: number;
  name: string;
  /** `false` where the partner has no email, as Odoo says it. */
  email: string | false;
  /** Odoo `ref` (internal reference), e.g. `C00012`. */
  ref: string;
  isCompany: boolean;
  /** Country code for addresses. */
  country: string;
  /** How many sale orders the Odoo emulator seeds for this customer. */
  orderCount: number;
  zendesk: ZendeskLink;
  salesforce: SalesforceLink;
  /** Contact people (Odoo child partners of a company; Salesforce contacts; Zendesk users). */
  contacts: Array<{ odooId: number; name: string; email: string | false }>;
}

export interface WorldProduct {
  /** Odoo `product.product` id. */
  odooId: number;
  sku: string;
  name: string;
  /** `consu` + storable for goods, `service` for support plans. */
  kind: 'storable' | 'service';
  listPrice: number;
  standardPrice: number;
  /** On-hand quantity seeded in stock (0 for out of stock). */
  onHand: number;
  /** Support tier for service products that are support plans. */
  tier?: 'basic' | 'standard' | 'premium';
}

/** Records every test can name. */
export interface WorldAnchors {
  /** A company with exactly 3 orders, linked everywhere by external id. */
  smallCustomer: number;
  /** A company with 150 orders, linked everywhere by external id. */
  bigCustomer: number;
  /** A customer that Zendesk knows by email only (no external id on the requester). */
  emailOnlyCustomer: number;
  /** A customer with no Salesforce account at all. */
  noSalesforceCustomer: number;
  /** A customer whose Salesforce account lacks the Odoo link (name only). */
  unlinkedSalesforceCustomer: number;
  /** A person partner without an email address. */
  noEmailCustomer: number;
  /** Two partners sharing one email address. */
  sharedEmail: { email: string; odooIds: [number, number] };
  /** A customer with a non-ASCII name. */
  nonAsciiCustomer: number;
  /** A product that is out of stock. */
  outOfStockProduct: number;
  /**
   * A company linked everywhere by external id whose Odoo history tells the after-sales stories
   * (see SERVICE_CASES): a support plan expiring in 10 days, an expired plan renewed with an
   * overdue invoice, a late delivery, a backorder, a return and an item delivered over two years ago.
   * It comes after the other customers and the Odoo seed replays it after everyone else's history,
   * so adding it moved no other customer's records.
   */
  serviceCustomer: number;
  /** Zendesk ticket ids with a known story. */
  tickets: {
    /** Requester is a contact of `smallCustomer` (external id). */
    small: number;
    /** Requester is a contact of `bigCustomer` (external id). */
    big: number;
    /** Requester is unknown to Odoo. */
    unknownRequester: number;
    /** Requester matched by email only. */
    emailOnly: number;
    /** Customer without a Salesforce account. */
    noSalesforce: number;
    /**
     * The service customer's contact asks whether the goods that stopped working are still under
     * warranty: open, high priority, unanswered; the last ticket id (after the generated ones).
     */
    service: number;
  };
}

export interface World {
  tenant: string;
  /** Company currency (Odoo `res.currency` name). */
  currency: 'EUR' | 'USD';
  /** Odoo id of the tenant's own company partner. */
  companyPartnerId: number;
  companyName: string;
  /** Email domain of the tenant's own staff (Zendesk agents, Salesforce users). */
  staffDomain: string;
  customers: WorldCustomer[];
  products: WorldProduct[];
  anchors: WorldAnchors;
}

/** The sandbox's seeded tenants. */
export const SANDBOX_TENANTS = ['acme', 'globex'] as const;
export type SandboxTenant = (typeof SANDBOX_TENANTS)[number];

const FIRST = [
  'Anna',
  'Björn',
  'Chloé',
  'Dmitri',
  'Emeka',
  'Fatima',
  'Giulia',
  'Hiroshi',
  'Ingrid',
  'José',
  'Kaito',
  'Léa',
  'Mateo',
  'Nadia',
  'Oskar',
  'Priya',
  'Quinn',
  'Rania',
  'Søren',
  'Tomás',
  'Uma',
  'Vikram',
  'Wei',
  'Ximena',
  'Yusuf',
  'Zoë',
];
const LAST = [
  'Andersen',
  'Brown',
  'Çelik',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hansen',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'López',
  'Müller',
  'Nakamura',
  'O’Brien',
  'Petrov',
  'Quispe',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Uysal',
  'Virtanen',
  'Wójcik',
  'Xu',
  'Yamada',
  'Zimmermann',
];
const COMPANY_A = [
  'Nordic',
  'Blue',
  'Golden',
  'Prime',
  'Atlas',
  'Polar',
  'Summit',
  'Harbor',
  'Vertex',
  'Coral',
  'Iron',
  'Maple',
  'Orbit',
  'Quartz',
  'Silver',
  'Terra',
];
const COMPANY_B = ['Logistics', 'Foods', 'Retail', 'Dynamics', 'Works', 'Systems', 'Trading', 'Labs', 'Outfitters', 'Supply', 'Motors', 'Textiles'];
const SUFFIX = ['GmbH', 'Ltd', 'Inc.', 'SA', 'AB', 'ApS', 'BV', 'S.r.l.', 'Oy', 'LLC'];
const COUNTRIES = ['DE', 'GB', 'US', 'FR', 'SE', 'DK', 'NL', 'IT', 'FI', 'ES', 'JP'];

const GOODS = [
  'Widget',
  'Gadget',
  'Sprocket',
  'Bracket',
  'Valve',
  'Sensor',
  'Pump',
  'Cable',
  'Adapter',
  'Filter',
  'Gasket',
  'Bearing',
  'Hinge',
  'Panel',
  'Switch',
  'Relay',
  'Nozzle',
  'Clamp',
  'Spring',
  'Lever',
];

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '')
    .toLowerCase();

const CUSTOMER_COUNT = 60;
/** First customer partner id: 1-6 are Odoo's own records (company, admin, ...), as in a fresh database. */
const FIRST_CUSTOMER_ID = 10;
/** Contacts get ids after all customers. */
const FIRST_CONTACT_ID = 200;
/**
 * The service anchor and its contact: ids in the gap between the generated customers (10-69) and
 * the contacts (200 on), so no generated id moved when it was added.
 */
const SERVICE_CUSTOMER_ID = FIRST_CUSTOMER_ID + CUSTOMER_COUNT;
const SERVICE_CONTACT_ID = SERVICE_CUSTOMER_ID + 1;

/**
 * Days before today (the emulator's today) of the service anchor's stories, as the Odoo seed
 * replays them. Plans run from the order's confirmation day for the plan's term (12 months, the
 * last day included: see subgraphs/odoo/mappers.ts termEnd).
 */
export const SERVICE_CASES = {
  /** SUP-STANDARD, invoiced and paid; confirmed so that the plan's last day is today + 10. */
  expiringPlan: { sku: 'SUP-STANDARD', endsInDays: 10 },
  /** SUP-BASIC confirmed 400 days ago (its last day ~36 days ago), invoiced and paid. */
  expiredPlan: { sku: 'SUP-BASIC', confirmedDaysAgo: 400 },
  /** The renewal: SUP-PREMIUM confirmed 30 days ago, invoice posted, unpaid, due 12 days ago. */
  renewalPlan: { sku: 'SUP-PREMIUM', confirmedDaysAgo: 30, invoiceDueDaysAgo: 12 },
  /** Goods confirmed 8 days ago, delivery scheduled 5 days ago and not done; nothing invoiced. */
  lateDelivery: { confirmedDaysAgo: 8, scheduledDaysAgo: 5 },
  /** Goods confirmed 20 days ago, half delivered 17 days ago (done), the backorder still open. */
  backorder: { confirmedDaysAgo: 20, deliveredDaysAgo: 17 },
  /** Goods confirmed 745 days ago and delivered 742 days ago: out of any 12- or 24-month warranty. */
  outOfWarranty: { confirmedDaysAgo: 745, deliveredDaysAgo: 742 },
  /** Goods confirmed 60 days ago, delivered 57 days ago, one unit returned 50 days ago. */
  returned: { confirmedDaysAgo: 60, deliveredDaysAgo: 57, returnedDaysAgo: 50 },
} as const;

/** Builds the world of one tenant. Pure: same name, same world. */
export function buildWorld(tenant: string): World {
  const rng = createRng(`world:${tenant}`);
  const isAcme = tenant === 'acme';
  const companyName = isAcme ? 'Acme Corporation' : tenant === 'globex' ? 'Globex Inc.' : `${tenant} Ltd`;
  const staffDomain = `${slug(tenant) || 'tenant'}.example`;

  const ids = Array.from({ length: CUSTOMER_COUNT }, (_, i) => FIRST_CUSTOMER_ID + i);
  const anchors: Omit<WorldAnchors, 'tickets' | 'outOfStockProduct' | 'serviceCustomer'> = {
    smallCustomer: ids[0]!,
    bigCustomer: ids[1]!,
    emailOnlyCustomer: ids[2]!,
    noSalesforceCustomer: ids[3]!,
    unlinkedSalesforceCustomer: ids[4]!,
    noEmailCustomer: ids[5]!,
    sharedEmail: { email: `shared@${isAcme ? 'northwind' : 'initech'}.example`, odooIds: [ids[6]!, ids[7]!] },
    nonAsciiCustomer: ids[8]!,
  };

  let nextContactId = FIRST_CONTACT_ID;
  const usedNames = new Set<string>();
  const customers: WorldCustomer[] = ids.map((odooId, index) => {
    const personNoEmail = odooId === anchors.noEmailCustomer;
    const isCompany = !personNoEmail && (index < 9 || rng.chance(0.75));
    let name: string;
    do {
      name = isCompany ? `${rng.pick(COMPANY_A)} ${rng.pick(COMPANY_B)} ${rng.pick(SUFFIX)}` : `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    } while (usedNames.has(name));
    if (odooId === anchors.nonAsciiCustomer) name = isAcme ? 'Ærøskøbing Trading ApS' : 'Müller & Söhne 山田商事 KG';
    if (odooId === anchors.smallCustomer) name = isAcme ? 'Northwind Traders Ltd' : 'Initech LLC';
    if (odooId === anchors.bigCustomer) name = isAcme ? 'Contoso Wholesale GmbH' : 'Umbrella Supply Co.';
    usedNames.add(name);

    let email: string | false = `${isCompany ? 'orders' : slug(name.split(' ')[0] ?? 'x')}@${slug(name.split(' ').slice(0, 2).join('')) || 'customer'}.example`;
    if (personNoEmail) email = false;
    if (anchors.sharedEmail.odooIds.includes(odooId)) email = anchors.sharedEmail.email;

    const orderCount = odooId === anchors.smallCustomer ? 3 : odooId === anchors.bigCustomer ? 150 : odooId === anchors.noEmailCustomer ? 2 : rng.int(1, 6);
    const zendesk: ZendeskLink =
      odooId === anchors.emailOnlyCustomer
        ? 'email'
        : odooId === anchors.noEmailCustomer
          ? 'none'
          : index < 9
            ? 'external_id'
            : rng.pick(['external_id', 'external_id', 'email', 'none'] as const);
    const salesforce: SalesforceLink =
      odooId === anchors.noSalesforceCustomer || odooId === anchors.noEmailCustomer
        ? 'none'
        : odooId === anchors.unlinkedSalesforceCustomer
          ? 'name_only'
          : index < 9
            ? 'external_id'
            : rng.pick(['external_id', 'external_id', 'external_id', 'name_only', 'none'] as const);

    const contacts: WorldCustomer['contacts'] = [];
    if (isCompany) {
      const n = rng.int(1, 3);
      const domain = typeof email === 'string' ? email.split('@')[1]! : 'customer.example';
      for (let c = 0; c < n; c++) {
        const first = rng.pick(FIRST);
        const last = rng.pick(LAST);
        contacts.push({ odooId: nextContactId++, name: `${first} ${last}`, email: `${slug(first)}.${slug(last)}@${domain}` });
      }
    }
    return {
      odooId,
      name,
      email,
      ref: `C${String(odooId).padStart(5, '0')}`,
      isCompany,
      country: rng.pick(COUNTRIES),
      orderCount,
      zendesk,
      salesforce,
      contacts,
    };
  });

  const products: WorldProduct[] = [];
  let productId = 1;
  for (const [i, base] of GOODS.entries()) {
    const listPrice = Math.round(rng.int(500, 90_000)) / 100;
    products.push({
      odooId: productId++,
      sku: `${base.slice(0, 3).toUpperCase()}-${String(100 + i).padStart(3, '0')}`,
      name: i === 0 && isAcme ? 'Widget Ω' : `${base} ${rng.pick(['Mk I', 'Mk II', 'Pro', 'Lite', 'XL', 'Mini'])}`,
      kind: 'storable',
      listPrice,
      standardPrice: Math.round(listPrice * (0.45 + rng.next() * 0.3) * 100) / 100,
      onHand: i % 7 === 3 ? 0 : rng.int(5, 400),
    });
  }
  const plans: Array<[string, WorldProduct['tier'], number]> = [
    ['Support Plan Basic (12 months)', 'basic', 490],
    ['Support Plan Standard (12 months)', 'standard', 1490],
    ['Support Plan Premium (12 months)', 'premium', 4900],
  ];
  for (const [name, tier, price] of plans) {
    products.push({
      odooId: productId++,
      sku: `SUP-${tier!.toUpperCase()}`,
      name,
      kind: 'service',
      listPrice: price,
      standardPrice: Math.round(price * 0.3),
      onHand: 0,
      tier,
    });
  }
  const outOfStockProduct = products.find((p) => p.kind === 'storable' && p.onHand === 0)!.odooId;

  // the service anchor is fixed (no draw from rng), so every record above is as it was before it existed
  const serviceName = isAcme ? 'Tailspin Toys GmbH' : 'Wide World Importers Inc.';
  const serviceDomain = `${slug(serviceName.split(' ').slice(0, 2).join(''))}.example`;
  const serviceContact = isAcme ? ['Margit', 'Lindqvist'] : ['Darnell', 'Okoye'];
  customers.push({
    odooId: SERVICE_CUSTOMER_ID,
    name: serviceName,
    email: `support@${serviceDomain}`,
    ref: `C${String(SERVICE_CUSTOMER_ID).padStart(5, '0')}`,
    isCompany: true,
    country: isAcme ? 'DE' : 'US',
    orderCount: 7,
    zendesk: 'external_id',
    salesforce: 'external_id',
    contacts: [
      {
        odooId: SERVICE_CONTACT_ID,
        name: serviceContact.join(' '),
        email: `${serviceContact.map(slug).join('.')}@${serviceDomain}`,
      },
    ],
  });

  return {
    tenant,
    currency: isAcme ? 'EUR' : 'USD',
    companyPartnerId: 1,
    companyName,
    staffDomain,
    customers,
    products,
    anchors: {
      ...anchors,
      outOfStockProduct,
      serviceCustomer: SERVICE_CUSTOMER_ID,
      // service: the id after the Zendesk seed's 300 generated tickets (the seed checks it)
      tickets: { small: 1, big: 2, unknownRequester: 3, emailOnly: 4, noSalesforce: 5, service: 301 },
    },
  };
}

/** Looks a customer up by Odoo id; throws if the world has none (a seed bug, not bad input). */
export function customerOf(world: World, odooId: number): WorldCustomer {
  const found = world.customers.find((c) => c.odooId === odooId);
  if (!found) throw new RangeError(`world ${world.tenant} has no customer ${odooId}`);
  return found;
}
