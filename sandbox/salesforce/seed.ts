/**
 * Builds one org from the tenant's seeded world: the world's customers become Accounts (with the
 * Odoo partner id in `Odoo_Partner_Id__c` where the world links them by external id, without it
 * where it links them by name only, and not at all where it says none), their contact people
 * become Contacts, and each account gets open and closed Opportunities owned by the org's sales
 * users. A few accounts exist in Salesforce only. The service customer (world.anchors.serviceCustomer)
 * comes last, on its own random stream, so adding it moved no other record's id or content. Same
 * tenant, same org.
 */
import { createRng, seedOf, type Rng } from '../kit/random';
import { buildWorld, type World, type WorldCustomer, type WorldProduct } from '../world';
import { orgIdOf, recordId } from './ids';
import { ACCOUNT_TYPES, INDUSTRIES, OPPORTUNITY_STAGES, sobjectNamed } from './schema';
import { OrgStore, type FieldValue, type SfRecord } from './store';

/** The org's "today": seed dates are fixed around it so that every run sees the same records. */
export const SEED_TODAY = Date.UTC(2026, 0, 15);
const DAY = 86_400_000;

const REP_FIRST = ['Alex', 'Brooke', 'Carmen', 'Devon', 'Elif', 'Farah', 'Gustav', 'Hana', 'Ivo', 'Jonas', 'Keira', 'Liam'];
const REP_LAST = ['Albers', 'Byrne', 'Costa', 'Dahl', 'Engel', 'Ferreira', 'Grant', 'Holm', 'Ito', 'Jovanović', 'Keller', 'Lund'];
const LAST_PRIVATE = ['Moreau', 'Novak', 'Olsen', 'Park', 'Quinn', 'Reyes'];
const TITLES = ['Purchasing Manager', 'Head of Operations', 'CFO', 'IT Director', 'Office Manager', 'Logistics Lead', null];
const SF_ONLY_A = ['Bright', 'Cedar', 'Falcon', 'Granite', 'Lumen', 'Meridian', 'Nimbus', 'Pioneer', 'Redwood', 'Stellar'];
const SF_ONLY_B = ['Ventures', 'Holdings', 'Partners', 'Group', 'Industries', 'Networks'];
const COUNTRY_NAMES: Record<string, string> = {
  DE: 'Germany',
  GB: 'United Kingdom',
  US: 'United States',
  FR: 'France',
  SE: 'Sweden',
  DK: 'Denmark',
  NL: 'Netherlands',
  IT: 'Italy',
  FI: 'Finland',
  ES: 'Spain',
  JP: 'Japan',
};
const DIAL: Record<string, string> = { DE: '49', GB: '44', US: '1', FR: '33', SE: '46', DK: '45', NL: '31', IT: '39', FI: '358', ES: '34', JP: '81' };

/**
 * Salesforce's datetime wire format: `2026-01-15T09:30:00.000+0000`. Salesforce stores dateTime
 * values to the second (the milliseconds always read `.000`), so the milliseconds are dropped.
 */
export const sfDateTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+0000');
const sfDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '')
    .toLowerCase();

function splitName(name: string): { first: string | null; last: string } {
  const space = name.indexOf(' ');
  return space < 0 ? { first: null, last: name } : { first: name.slice(0, space), last: name.slice(space + 1) };
}

/** Ids are numbered per object so both tenants share them (isolation stays visible in the names). */
class Minter {
  readonly #next = new Map<string, number>();
  id(type: string): string {
    const n = (this.#next.get(type) ?? 0) + 1;
    this.#next.set(type, n);
    return recordId(sobjectNamed(type)!.keyPrefix, n);
  }
}

function audit(rng: Rng, createdBefore: number): Record<string, FieldValue> {
  const created = createdBefore - rng.int(30, 900) * DAY + rng.int(0, DAY / 1000 - 1) * 1000;
  const modified = Math.min(SEED_TODAY - 1000, created + rng.int(0, 400) * DAY + rng.int(0, 3600) * 1000);
  return { CreatedDate: sfDateTime(created), LastModifiedDate: sfDateTime(modified), SystemModstamp: sfDateTime(modified) };
}

const rec = (type: string, fields: Record<string, FieldValue>): SfRecord => {
  const def = sobjectNamed(type)!;
  const full: Record<string, FieldValue> = {};
  for (const fd of def.fields) full[fd.name] = fields[fd.name] ?? null;
  return { type: def.name, fields: full };
};

function accountFields(
  rng: Rng,
  customer: Pick<WorldCustomer, 'name' | 'email' | 'country'>,
  ownerId: string,
  partnerId: string | null,
  type: string,
): Record<string, FieldValue> {
  const domain = typeof customer.email === 'string' ? customer.email.split('@')[1] : undefined;
  return {
    Name: customer.name,
    Type: type,
    Industry: rng.chance(0.85) ? rng.pick(INDUSTRIES) : null,
    OwnerId: ownerId,
    Website: domain ? `https://www.${domain}` : null,
    Phone: rng.chance(0.9) ? `+${DIAL[customer.country] ?? '1'} ${rng.int(10, 99)} ${rng.int(1000, 9999)} ${rng.int(100, 999)}` : null,
    BillingCountry: COUNTRY_NAMES[customer.country] ?? customer.country,
    Odoo_Partner_Id__c: partnerId,
  };
}

interface SeededAccount {
  id: string;
  name: string;
  ownerId: string;
  customer?: WorldCustomer;
}

function opportunityRecord(
  id: string,
  account: SeededAccount,
  stage: (typeof OPPORTUNITY_STAGES)[number],
  product: WorldProduct,
  quantity: number,
  closeDate: number,
  audited: Record<string, FieldValue>,
): SfRecord {
  return rec('Opportunity', {
    Id: id,
    AccountId: account.id,
    Name: `${account.name} - ${product.name}${quantity > 1 ? ` x${quantity}` : ''}`,
    StageName: stage.name,
    Amount: Math.round(product.listPrice * quantity * 100) / 100,
    CloseDate: sfDate(closeDate),
    Probability: stage.probability,
    IsClosed: stage.closed,
    IsWon: stage.won,
    OwnerId: account.ownerId,
    ...audited,
  });
}

function contactRecord(rng: Rng, id: string, account: SeededAccount, person: { name: string; email: string | false }): SfRecord {
  const { first, last } = splitName(person.name);
  return rec('Contact', {
    Id: id,
    AccountId: account.id,
    FirstName: first,
    LastName: last,
    Name: person.name,
    Email: typeof person.email === 'string' ? person.email : null,
    Title: rng.pick(TITLES),
    OwnerId: account.ownerId,
    ...audit(rng, SEED_TODAY),
  });
}

/**
 * The service customer's Account (linked by `Odoo_Partner_Id__c` where the world says so), its
 * contacts and two opportunities: the support plan renewal it won and a pending upgrade. Minted after
 * every other record, from its own random stream, so no other record moved when it was added.
 */
function serviceCustomerRecords(world: World, mint: Minter, owners: readonly string[]): SfRecord[] {
  const customer = world.customers.find((c) => c.odooId === world.anchors.serviceCustomer);
  if (!customer || customer.salesforce === 'none') return [];
  const rng = createRng(`salesforce:${world.tenant}:service`);
  const ownerId = rng.pick(owners);
  const account: SeededAccount = { id: mint.id('Account'), name: customer.name, ownerId, customer };
  const partnerId = customer.salesforce === 'external_id' ? String(customer.odooId) : null;
  const out: SfRecord[] = [
    rec('Account', { Id: account.id, ...accountFields(rng, customer, ownerId, partnerId, 'Customer - Direct'), ...audit(rng, SEED_TODAY) }),
  ];
  const people = customer.isCompany ? customer.contacts : [{ name: customer.name, email: customer.email }];
  for (const person of people) out.push(contactRecord(rng, mint.id('Contact'), account, person));
  const stage = (name: string): (typeof OPPORTUNITY_STAGES)[number] => OPPORTUNITY_STAGES.find((s) => s.name === name)!;
  const plan = (sku: string): WorldProduct | undefined => world.products.find((p) => p.sku === sku);
  const stories: Array<[string, string, number]> = [
    ['SUP-PREMIUM', 'Closed Won', SEED_TODAY - 30 * DAY],
    ['SUP-STANDARD', 'Proposal/Price Quote', SEED_TODAY + 10 * DAY],
  ];
  for (const [sku, stageName, closeDate] of stories) {
    const product = plan(sku);
    if (!product) continue;
    out.push(opportunityRecord(mint.id('Opportunity'), account, stage(stageName), product, 1, closeDate, audit(rng, Math.min(closeDate, SEED_TODAY))));
  }
  return out;
}

/** The org of one tenant, derived from its world. Pure: same world, same org. */
export function seedOrg(world: World = buildWorld('acme')): OrgStore {
  const rng = createRng(`salesforce:${world.tenant}`);
  const mint = new Minter();
  const records: SfRecord[] = [];

  const integrationUserId = mint.id('User');
  records.push(
    rec('User', {
      Id: integrationUserId,
      Username: `integration@${world.staffDomain}`,
      FirstName: 'Integration',
      LastName: 'User',
      Name: 'Integration User',
      Email: `integration@${world.staffDomain}`,
      IsActive: true,
      ...audit(rng, SEED_TODAY),
    }),
  );
  const owners: string[] = [];
  const usedRepNames = new Set<string>();
  while (owners.length < 6) {
    const first = rng.pick(REP_FIRST);
    const last = rng.pick(REP_LAST);
    if (usedRepNames.has(`${first} ${last}`)) continue;
    usedRepNames.add(`${first} ${last}`);
    const id = mint.id('User');
    const email = `${slug(first)}.${slug(last)}@${world.staffDomain}`;
    records.push(
      rec('User', {
        Id: id,
        Username: email,
        FirstName: first,
        LastName: last,
        Name: `${first} ${last}`,
        Email: email,
        IsActive: true,
        ...audit(rng, SEED_TODAY),
      }),
    );
    owners.push(id);
  }

  const accounts: SeededAccount[] = [];
  for (const customer of world.customers) {
    if (customer.salesforce === 'none' || customer.odooId === world.anchors.serviceCustomer) continue;
    const id = mint.id('Account');
    const ownerId = rng.pick(owners);
    const partnerId = customer.salesforce === 'external_id' ? String(customer.odooId) : null;
    const type = rng.pick(['Customer - Direct', 'Customer - Direct', 'Customer - Channel'] as const);
    records.push(rec('Account', { Id: id, ...accountFields(rng, customer, ownerId, partnerId, type), ...audit(rng, SEED_TODAY) }));
    accounts.push({ id, name: customer.name, ownerId, customer });
  }
  const worldNames = new Set(world.customers.map((c) => c.name));
  const sfOnly = new Set<string>();
  while (sfOnly.size < 8) {
    const name = `${rng.pick(SF_ONLY_A)} ${rng.pick(SF_ONLY_B)}`;
    if (worldNames.has(name) || sfOnly.has(name)) continue;
    sfOnly.add(name);
    const id = mint.id('Account');
    const ownerId = rng.pick(owners);
    const country = rng.pick(Object.keys(COUNTRY_NAMES));
    const type = rng.pick(ACCOUNT_TYPES.filter((t) => !t.startsWith('Customer')));
    records.push(
      rec('Account', { Id: id, ...accountFields(rng, { name, email: `info@${slug(name)}.example`, country }, ownerId, null, type), ...audit(rng, SEED_TODAY) }),
    );
    accounts.push({ id, name, ownerId });
  }

  for (const account of accounts) {
    const people = account.customer
      ? account.customer.isCompany
        ? account.customer.contacts
        : [{ name: account.customer.name, email: account.customer.email }]
      : [{ name: `${rng.pick(REP_FIRST)} ${rng.pick(REP_LAST)}`, email: `contact@${slug(account.name)}.example` }];
    for (const person of people) records.push(contactRecord(rng, mint.id('Contact'), account, person));
  }

  // Private contacts: no account, so their `Account` lookup reads as null.
  for (let i = 0; i < 3; i++) {
    const first = rng.pick(REP_FIRST);
    const last = rng.pick(LAST_PRIVATE);
    records.push(
      rec('Contact', {
        Id: mint.id('Contact'),
        AccountId: null,
        FirstName: first,
        LastName: last,
        Name: `${first} ${last}`,
        Email: `${slug(first)}.${slug(last)}@freemail.example`,
        Title: null,
        OwnerId: rng.pick(owners),
        ...audit(rng, SEED_TODAY),
      }),
    );
  }

  const openStages = OPPORTUNITY_STAGES.filter((s) => !s.closed);
  const closedStages = OPPORTUNITY_STAGES.filter((s) => s.closed);
  for (const account of accounts) {
    const big = account.customer?.odooId === world.anchors.bigCustomer;
    const count = big ? 20 : rng.int(2, 5);
    for (let i = 0; i < count; i++) {
      // The first is closed and the second open, so every account has both kinds.
      const closed = i === 0 ? true : i === 1 ? false : rng.chance(0.5);
      const stage = closed ? rng.pick(closedStages) : rng.pick(openStages);
      const product = rng.pick(world.products);
      const quantity = product.kind === 'service' ? 1 : rng.int(5, 200);
      const closeDate = closed ? SEED_TODAY - rng.int(5, 600) * DAY : SEED_TODAY + rng.int(5, 240) * DAY;
      const fields = audit(rng, Math.min(closeDate, SEED_TODAY));
      records.push(opportunityRecord(mint.id('Opportunity'), account, stage, product, quantity, closeDate, fields));
    }
  }

  records.push(...serviceCustomerRecords(world, mint, owners));
  return new OrgStore(world.tenant, orgIdOf(seedOf(`org:${world.tenant}`)), integrationUserId, records);
}
