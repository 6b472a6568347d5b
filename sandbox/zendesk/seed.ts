/**
 * Seeds one Zendesk account from the tenant's world (sandbox/world.ts): agents of the tenant's own
 * staff, end-users for the customers Zendesk knows (linked by `external_id` = Odoo partner id, or by
 * email only), organizations for company customers, requesters Odoo has never heard of, and about
 * 300 tickets with comments. Deterministic: same tenant, same account.
 *
 * Anchors (world.anchors.tickets) are tickets 1-5 and always hold:
 * 1 small customer's contact, 2 big customer's contact, 3 unknown requester, 4 email-only customer,
 * 5 customer without a Salesforce account. The service customer (world.anchors.serviceCustomer)
 * comes last, on its own random stream, so adding it moved no other record: its organization, its
 * users and one ticket after all the others (anchors.tickets.service, open and high priority).
 */
import { createRng, type Rng } from '../kit/random';
import { buildWorld, customerOf, type World, type WorldCustomer, type WorldProduct } from '../world';
import {
  htmlBodyOf,
  isoSeconds,
  newTicketConstants,
  viaOf,
  type CommentRecord,
  type OrganizationRecord,
  type TicketPriority,
  type TicketRecord,
  type TicketStatus,
  type TicketType,
  type UserRecord,
  type UserRole,
  type Via,
} from './records';
import { ZendeskAccount } from './store';

/** Tickets drawn from the tenant's stream, anchors 1-5 included (ids 1-300). */
const GENERATED_TICKET_COUNT = 300;
/** Tickets per account, anchors included: the generated ones plus the service customer's (the last id). */
export const SEED_TICKET_COUNT = GENERATED_TICKET_COUNT + 1;

const FIRST_ORG_ID = 1001;
const FIRST_AGENT_ID = 5001;
const FIRST_END_USER_ID = 10001;
const FIRST_COMMENT_ID = 100001;
const FIRST_AUDIT_ID = 500001;
const FIRST_EVENT_ID = 900001;
const GROUP_IDS = [2001, 2002, 2003] as const;
/** The account's one brand and one ticket form (tickets created through the API get them too). */
export const BRAND_ID = 3001;
export const TICKET_FORM_ID = 4001;
/** Custom field ids: the Odoo customer reference and the product SKU the ticket is about. */
export const CUSTOM_FIELD_CUSTOMER_REF = 7001;
export const CUSTOM_FIELD_PRODUCT_SKU = 7002;

/** Every seeded record is dated after this instant (2025-01-06T08:00:00Z). */
const EPOCH = Date.UTC(2025, 0, 6, 8, 0, 0);
const HOUR = 3_600_000;

const AGENT_FIRST = ['Alex', 'Sam', 'Robin', 'Kim', 'Jordan', 'Taylor', 'Morgan'];
const AGENT_LAST = ['Berg', 'Novak', 'Lindqvist', 'Moreau', 'Okafor', 'Sato', 'Weber'];
const UNKNOWN_FIRST = ['Pat', 'Chris', 'Dana', 'Lee', 'Noor', 'Ola', 'Remy', 'Sasha', 'Toni', 'Vic'];
const UNKNOWN_DOMAINS = ['freemail.example', 'inbox.example', 'postbox.example'];
const TAGS = ['billing', 'shipping', 'returns', 'warranty', 'vip', 'order', 'invoice', 'defect', 'onboarding', 'feedback'];

const TIME_ZONES: Record<string, [string, string, string]> = {
  DE: ['Berlin', 'Europe/Berlin', 'de'],
  GB: ['London', 'Europe/London', 'en-GB'],
  US: ['Eastern Time (US & Canada)', 'America/New_York', 'en-US'],
  FR: ['Paris', 'Europe/Paris', 'fr'],
  SE: ['Stockholm', 'Europe/Stockholm', 'sv'],
  DK: ['Copenhagen', 'Europe/Copenhagen', 'da'],
  NL: ['Amsterdam', 'Europe/Amsterdam', 'nl'],
  IT: ['Rome', 'Europe/Rome', 'it'],
  FI: ['Helsinki', 'Europe/Helsinki', 'fi'],
  ES: ['Madrid', 'Europe/Madrid', 'es'],
  JP: ['Tokyo', 'Asia/Tokyo', 'ja'],
};
const LOCALE_IDS: Record<string, number> = { 'en-US': 1, de: 8, 'en-GB': 1176, fr: 16, sv: 34, da: 9, nl: 10, it: 22, fi: 15, es: 2, ja: 67 };

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '')
    .toLowerCase();

interface SubjectTemplate {
  subject: (p: string, c: string) => string;
  body: (p: string, c: string) => string;
  type: TicketType | null;
  tags: string[];
}
const TEMPLATES: SubjectTemplate[] = [
  {
    subject: (p) => `Damaged ${p} in last delivery`,
    body: (p) => `Hello,\n\nthe ${p} we received yesterday arrived damaged. Can you send a replacement?`,
    type: 'problem',
    tags: ['defect', 'shipping'],
  },
  {
    subject: (p) => `Question about ${p}`,
    body: (p) => `Hi,\n\ndoes the ${p} come with a mounting kit, and what is the warranty period?`,
    type: 'question',
    tags: ['warranty'],
  },
  {
    subject: () => `Invoice does not match order`,
    body: (_p, c) => `Dear support,\n\nthe invoice for ${c} lists more items than we ordered. Please correct it.`,
    type: 'incident',
    tags: ['billing', 'invoice'],
  },
  {
    subject: () => `Where is my order?`,
    body: () => `Hello,\n\nour order was due last week and has not arrived. Could you check the status?`,
    type: 'question',
    tags: ['order', 'shipping'],
  },
  {
    subject: (p) => `Return request for ${p}`,
    body: (p) => `Hi,\n\nwe would like to return two units of ${p}; they are not what we need.`,
    type: 'task',
    tags: ['returns'],
  },
  {
    subject: () => `Cannot log in to the portal`,
    body: () => `Hello,\n\nsince this morning I cannot log in to the customer portal. The password reset mail never arrives.`,
    type: 'incident',
    tags: ['onboarding'],
  },
  {
    subject: (p) => `${p} stopped working`,
    body: (p) => `Hi team,\n\nour ${p} stopped working after two weeks. What can we do?`,
    type: 'problem',
    tags: ['defect', 'warranty'],
  },
  {
    subject: () => `Feedback on your service`,
    body: () => `Hello,\n\njust wanted to say the last delivery was fast and well packed. Thanks!`,
    type: null,
    tags: ['feedback'],
  },
];

const AGENT_REPLIES = [
  'Thanks for reaching out. We are looking into it and will get back to you shortly.',
  'We have shipped a replacement; you should receive it within three business days.',
  'Could you send us the order number and a photo of the item?',
  'The corrected invoice is attached to your account. Sorry for the trouble.',
];
const PRIVATE_NOTES = ['Checked the order in Odoo, the quantity was wrong.', 'Escalated to the warehouse team.', 'Customer is on the premium support plan.'];
const REQUESTER_REPLIES = ['Thank you, that helps.', 'Here is the order number you asked for.', 'Any update on this?'];

/** What a seed needs to know about a requester to write a ticket. */
interface Requester {
  user: UserRecord;
  customer?: WorldCustomer;
}

function userRecord(
  id: number,
  fields: { name: string; email: string | null; role: UserRole; externalId: string | null; organizationId: number | null; country: string; createdMs: number },
): UserRecord {
  const [tz, iana, locale] = TIME_ZONES[fields.country] ?? TIME_ZONES.US!;
  const agent = fields.role !== 'end-user';
  return {
    id,
    name: fields.name,
    email: fields.email,
    created_at: isoSeconds(fields.createdMs),
    updated_at: isoSeconds(fields.createdMs + 24 * HOUR),
    time_zone: tz,
    iana_time_zone: iana,
    phone: null,
    shared_phone_number: null,
    photo: null,
    locale_id: LOCALE_IDS[locale] ?? 1,
    locale,
    organization_id: fields.organizationId,
    role: fields.role,
    verified: true,
    external_id: fields.externalId,
    tags: [],
    alias: '',
    active: true,
    shared: false,
    shared_agent: false,
    last_login_at: agent ? isoSeconds(fields.createdMs + 48 * HOUR) : null,
    two_factor_auth_enabled: null,
    signature: agent ? `${fields.name}\nCustomer Support` : '',
    details: '',
    notes: '',
    role_type: agent && fields.role === 'agent' ? 0 : null,
    custom_role_id: null,
    moderator: agent,
    ticket_restriction: agent ? null : 'requested',
    only_private_comments: false,
    restricted_agent: false,
    suspended: false,
    default_group_id: agent ? GROUP_IDS[0] : null,
    report_csv: fields.role === 'admin',
    user_fields: {},
  };
}

function seedAgents(account: ZendeskAccount, world: World, rng: Rng): UserRecord[] {
  const agents: UserRecord[] = [];
  let id = FIRST_AGENT_ID;
  const add = (name: string, email: string, role: UserRole): void => {
    const u = userRecord(id++, { name, email, role, externalId: null, organizationId: null, country: 'US', createdMs: EPOCH - 400 * 24 * HOUR });
    account.addUser(u);
    agents.push(u);
  };
  add(`${world.companyName} Integration`, `integration@${world.staffDomain}`, 'admin');
  add(`${world.companyName} Admin`, `admin@${world.staffDomain}`, 'admin');
  const used = new Set<string>();
  while (agents.length < 8) {
    const first = rng.pick(AGENT_FIRST);
    const last = rng.pick(AGENT_LAST);
    const email = `${slug(first)}.${slug(last)}@${world.staffDomain}`;
    if (used.has(email)) continue;
    used.add(email);
    add(`${first} ${last}`, email, 'agent');
  }
  return agents;
}

/** Where the next organization and end-user ids are, and the emails Zendesk already holds. */
interface CustomerCursor {
  orgId: number;
  userId: number;
  readonly emails: Set<string>;
}

/**
 * Organizations and end-users for the customers Zendesk knows, but the service customer (see
 * {@link seedServiceCustomer}). Customers whose link is `none` have no Zendesk presence at all.
 */
function seedCustomers(account: ZendeskAccount, world: World, rng: Rng, cursor: CustomerCursor): Map<number, Requester[]> {
  const byCustomer = new Map<number, Requester[]>();
  for (const c of world.customers) {
    if (c.odooId === world.anchors.serviceCustomer) continue;
    const requesters = seedCustomer(account, world, rng, cursor, c);
    if (requesters) byCustomer.set(c.odooId, requesters);
  }
  return byCustomer;
}

/** The organization (for a company) and end-users of one customer; undefined when Zendesk does not know it. */
function seedCustomer(account: ZendeskAccount, world: World, rng: Rng, cursor: CustomerCursor, c: WorldCustomer): Requester[] | undefined {
  const { emails } = cursor;
  if (c.zendesk === 'none') return undefined;
  const linked = c.zendesk === 'external_id';
  const createdMs = EPOCH - rng.int(30, 300) * 24 * HOUR;
  let organizationId: number | null = null;
  if (c.isCompany) {
    const org: OrganizationRecord = {
      id: cursor.orgId++,
      name: c.name,
      shared_tickets: false,
      shared_comments: false,
      external_id: linked ? String(c.odooId) : null,
      created_at: isoSeconds(createdMs),
      updated_at: isoSeconds(createdMs + 24 * HOUR),
      domain_names: typeof c.email === 'string' ? [c.email.split('@')[1]!] : [],
      details: `Odoo reference ${c.ref}`,
      notes: '',
      group_id: null,
      tags: c.odooId === world.anchors.bigCustomer ? ['key_account'] : [],
      organization_fields: {},
    };
    account.addOrganization(org);
    organizationId = org.id;
  }
  const people = c.isCompany ? c.contacts : [{ odooId: c.odooId, name: c.name, email: c.email }];
  const requesters: Requester[] = [];
  for (const p of people) {
    const email = typeof p.email === 'string' ? p.email : null;
    // Zendesk refuses a second user with an email it already has.
    if (email !== null && emails.has(email.toLowerCase())) continue;
    if (email !== null) emails.add(email.toLowerCase());
    const user = userRecord(cursor.userId++, {
      name: p.name,
      email,
      role: 'end-user',
      externalId: linked ? String(p.odooId) : null,
      organizationId,
      country: c.country,
      createdMs: createdMs + HOUR,
    });
    account.addUser(user);
    requesters.push({ user, customer: c });
  }
  return requesters;
}

/** Requesters Odoo has never heard of: emails on domains no world customer uses. */
function seedUnknownRequesters(account: ZendeskAccount, world: World, rng: Rng): Requester[] {
  const worldEmails = new Set<string>();
  for (const c of world.customers) {
    if (typeof c.email === 'string') worldEmails.add(c.email.toLowerCase());
    for (const p of c.contacts) if (typeof p.email === 'string') worldEmails.add(p.email.toLowerCase());
  }
  const out: Requester[] = [];
  let id = FIRST_END_USER_ID + 5000;
  for (let i = 0; i < 15; i++) {
    const first = rng.pick(UNKNOWN_FIRST);
    const email = `${slug(first)}.${i + 1}@${rng.pick(UNKNOWN_DOMAINS)}`;
    if (worldEmails.has(email)) throw new Error(`zendesk seed: unknown requester ${email} is in the world`);
    const user = userRecord(id++, {
      name: `${first} Visitor ${i + 1}`,
      email,
      role: 'end-user',
      externalId: null,
      organizationId: null,
      country: 'US',
      createdMs: EPOCH,
    });
    account.addUser(user);
    out.push({ user });
  }
  return out;
}

function firstRequesterOf(byCustomer: Map<number, Requester[]>, world: World, odooId: number): Requester {
  const found = byCustomer.get(odooId)?.[0];
  if (!found) throw new Error(`zendesk seed: world ${world.tenant} customer ${odooId} (${customerOf(world, odooId).name}) has no Zendesk user`);
  return found;
}

const STATUS_WEIGHTS: TicketStatus[] = ['new', 'open', 'open', 'open', 'pending', 'pending', 'hold', 'solved', 'solved', 'solved', 'closed', 'closed'];
const PRIORITY_WEIGHTS: Array<TicketPriority | null> = ['urgent', 'high', 'high', 'normal', 'normal', 'normal', 'low', null];

interface TicketPlan {
  id: number;
  requester: Requester;
  status: TicketStatus;
  priority: TicketPriority | null;
  subjectPrefix?: string;
  /** Written content instead of a drawn template (the draws still happen, on the plan's stream). */
  story?: TicketStory;
}

/** A ticket whose content tells a known story: one email from the requester, no reply yet. */
interface TicketStory {
  subject: string;
  description: string;
  type: TicketType;
  tags: string[];
  product: WorldProduct;
}

function buildTicket(account: ZendeskAccount, world: World, rng: Rng, agents: UserRecord[], plan: TicketPlan): void {
  const { story } = plan;
  const template = rng.pick(TEMPLATES);
  const drawnProduct = rng.pick(world.products.filter((p) => p.kind === 'storable'));
  const product = story?.product ?? drawnProduct;
  const customerName = plan.requester.customer?.name ?? 'our company';
  const subject = story?.subject ?? `${plan.subjectPrefix ?? ''}${template.subject(product.name, customerName)}`;
  const description = story?.description ?? template.body(product.name, customerName);
  const staff = agents.slice(2);
  const assignee = plan.status === 'new' ? null : rng.pick(staff);
  const drawnChannel: Via['channel'] = rng.pick(['email', 'email', 'web', 'phone', 'api'] as const);
  const channel: Via['channel'] = story ? 'email' : drawnChannel;
  const requester = plan.requester.user;
  const submitter = channel === 'phone' || channel === 'api' ? (assignee ?? rng.pick(staff)) : requester;
  const createdMs = EPOCH + plan.id * 4 * HOUR + rng.int(0, 180) * 60_000;
  const extraTags = rng.chance(0.3) ? [rng.pick(TAGS)] : [];
  const tags = [...new Set(story ? story.tags : [...template.tags, ...extraTags])].sort();

  const comments: CommentRecord[] = [];
  let at = createdMs;
  const comment = (authorId: number, body: string, isPublic: boolean, via: Via): void => {
    comments.push({
      id: account.nextCommentId(),
      type: 'Comment',
      author_id: authorId,
      body,
      html_body: htmlBodyOf(body),
      plain_body: body,
      public: isPublic,
      attachments: [],
      audit_id: account.nextAuditId(),
      via,
      created_at: isoSeconds(at),
      metadata: { system: {}, custom: {} },
    });
  };
  comment(submitter.id, description, true, viaOf(channel));
  const drawnFollowUps = plan.status === 'new' ? 0 : plan.status === 'solved' || plan.status === 'closed' ? rng.int(1, 3) : rng.int(0, 3);
  const followUps = story ? 0 : drawnFollowUps;
  for (let i = 0; i < followUps && assignee; i++) {
    at += rng.int(20, 600) * 60_000;
    const kind = rng.int(0, 2);
    if (kind === 0) comment(assignee.id, rng.pick(AGENT_REPLIES), true, viaOf('web'));
    else if (kind === 1) comment(assignee.id, rng.pick(PRIVATE_NOTES), false, viaOf('web'));
    else comment(requester.id, rng.pick(REQUESTER_REPLIES), true, viaOf('email'));
  }
  const updatedMs = at + rng.int(1, 120) * 60_000;

  const ticket: TicketRecord = {
    id: plan.id,
    external_id: null,
    type: story?.type ?? template.type,
    subject,
    raw_subject: subject,
    description,
    priority: plan.priority,
    status: plan.status,
    recipient: `support@${world.staffDomain}`,
    requester_id: requester.id,
    submitter_id: submitter.id,
    assignee_id: assignee?.id ?? null,
    organization_id: requester.organization_id,
    group_id: assignee ? rng.pick(GROUP_IDS) : null,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    forum_topic_id: null,
    problem_id: null,
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags,
    custom_fields: [
      { id: CUSTOM_FIELD_CUSTOMER_REF, value: plan.requester.customer?.ref ?? null },
      { id: CUSTOM_FIELD_PRODUCT_SKU, value: product.sku },
    ],
    ...newTicketConstants(BRAND_ID, TICKET_FORM_ID),
    via: viaOf(channel),
    created_at: isoSeconds(createdMs),
    updated_at: isoSeconds(updatedMs),
  };
  account.addTicket(ticket, comments);
}

/** Builds the account of one tenant from its world. Pure: same tenant, same account. */
export function seedAccount(tenant: string, world: World = buildWorld(tenant)): ZendeskAccount {
  const rng = createRng(`zendesk:${tenant}`);
  const account = new ZendeskAccount(tenant, `support@${world.staffDomain}`, { comment: FIRST_COMMENT_ID, audit: FIRST_AUDIT_ID, event: FIRST_EVENT_ID });
  const agents = seedAgents(account, world, rng);
  const cursor: CustomerCursor = { orgId: FIRST_ORG_ID, userId: FIRST_END_USER_ID, emails: new Set() };
  const byCustomer = seedCustomers(account, world, rng, cursor);
  const unknown = seedUnknownRequesters(account, world, rng);

  const a = world.anchors;
  const anchorPlans: TicketPlan[] = [
    { id: a.tickets.small, requester: firstRequesterOf(byCustomer, world, a.smallCustomer), status: 'open', priority: 'high' },
    { id: a.tickets.big, requester: firstRequesterOf(byCustomer, world, a.bigCustomer), status: 'pending', priority: 'urgent' },
    { id: a.tickets.unknownRequester, requester: unknown[0]!, status: 'new', priority: 'normal' },
    { id: a.tickets.emailOnly, requester: firstRequesterOf(byCustomer, world, a.emailOnlyCustomer), status: 'solved', priority: 'low' },
    { id: a.tickets.noSalesforce, requester: firstRequesterOf(byCustomer, world, a.noSalesforceCustomer), status: 'hold', priority: 'normal' },
  ];
  for (const plan of anchorPlans) {
    // Anchors carry the customer's name so that the two tenants' ticket 1 can never look alike.
    const name = plan.requester.customer?.name;
    buildTicket(account, world, rng, agents, { ...plan, subjectPrefix: name ? `${name}: ` : '' });
  }

  const known = [...byCustomer.values()].flat();
  const big = byCustomer.get(a.bigCustomer) ?? [];
  const firstFree = Math.max(...anchorPlans.map((p) => p.id)) + 1;
  for (let id = firstFree, n = 0; id <= GENERATED_TICKET_COUNT; id++, n++) {
    const roll = rng.next();
    const requester = roll < 0.15 ? rng.pick(unknown) : roll < 0.25 && big.length > 0 ? rng.pick(big) : rng.pick(known);
    // The first tickets after the anchors walk through every status once, so each one exists.
    const status = n < 6 ? (['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const)[n]! : rng.pick(STATUS_WEIGHTS);
    buildTicket(account, world, rng, agents, { id, requester, status, priority: rng.pick(PRIORITY_WEIGHTS) });
  }

  seedServiceCustomer(account, world, agents, cursor);
  return account;
}

/**
 * The service customer, after everything else and on its own random stream: its organization and
 * users (linked by external id) and one ticket, the last id, about the goods it bought over two years
 * ago (the Odoo seed's out-of-warranty delivery: the second storable product in stock). The ticket is
 * open, high priority and unanswered, so an SLA account's policies apply to it; it is created four
 * hours after the id before it, as every ticket is, i.e. on the seed clock's last day.
 */
function seedServiceCustomer(account: ZendeskAccount, world: World, agents: UserRecord[], cursor: CustomerCursor): void {
  const a = world.anchors;
  if (a.tickets.service !== GENERATED_TICKET_COUNT + 1) {
    throw new Error(
      `zendesk seed: the service ticket must be ${GENERATED_TICKET_COUNT + 1}, the id after the generated ones (world says ${a.tickets.service})`,
    );
  }
  const rng = createRng(`zendesk:${world.tenant}:service`);
  const customer = customerOf(world, a.serviceCustomer);
  const requester = seedCustomer(account, world, rng, cursor, customer)?.[0];
  if (!requester) throw new Error(`zendesk seed: world ${world.tenant} service customer ${customer.odooId} (${customer.name}) has no Zendesk user`);
  const product = world.products.filter((p) => p.kind === 'storable' && p.onHand > 0)[1];
  if (!product) throw new Error(`zendesk seed: world ${world.tenant} has no product for the service ticket`);
  const story: TicketStory = {
    subject: `${product.name} stopped working — is it still under warranty?`,
    description: `Hello,\n\nthe ${product.name} we bought from you a while ago stopped working this morning and our line is down. Is it still under warranty, and does our support plan cover a replacement?`,
    type: 'problem',
    tags: ['defect', 'warranty'],
    product,
  };
  buildTicket(account, world, rng, agents, { id: a.tickets.service, requester, status: 'open', priority: 'high', story });
}
