/**
 * The sObjects the sandbox org knows: their fields, parent lookups and child relationships, as the
 * describe call reports them. Field and object names are case-insensitive on the wire; every lookup
 * here goes through the lower-cased name and answers with the canonical one.
 */

export type FieldType =
  'id' | 'reference' | 'string' | 'picklist' | 'email' | 'url' | 'phone' | 'textarea' | 'double' | 'currency' | 'percent' | 'boolean' | 'date' | 'datetime';

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly nillable: boolean;
  readonly externalId?: boolean;
  /** For `reference` fields: the parent object and the relationship name used in field paths. */
  readonly referenceTo?: string;
  readonly relationshipName?: string;
  readonly picklistValues?: readonly string[];
}

export interface ChildRelationship {
  /** Name used in a subquery's FROM, e.g. `Contacts`. */
  readonly relationshipName: string;
  readonly childSObject: string;
  /** The child's lookup field pointing at the parent, e.g. `AccountId`. */
  readonly field: string;
}

export interface SObjectDef {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly fields: readonly FieldDef[];
  readonly childRelationships: readonly ChildRelationship[];
}

/** Standard opportunity stages with their default probability, closed and won flags. */
export const OPPORTUNITY_STAGES: ReadonlyArray<{ name: string; probability: number; closed: boolean; won: boolean }> = [
  { name: 'Prospecting', probability: 10, closed: false, won: false },
  { name: 'Qualification', probability: 10, closed: false, won: false },
  { name: 'Needs Analysis', probability: 20, closed: false, won: false },
  { name: 'Value Proposition', probability: 50, closed: false, won: false },
  { name: 'Id. Decision Makers', probability: 60, closed: false, won: false },
  { name: 'Perception Analysis', probability: 70, closed: false, won: false },
  { name: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
  { name: 'Negotiation/Review', probability: 90, closed: false, won: false },
  { name: 'Closed Won', probability: 100, closed: true, won: true },
  { name: 'Closed Lost', probability: 0, closed: true, won: false },
];

export const ACCOUNT_TYPES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other',
] as const;
export const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Electronics',
  'Energy',
  'Engineering',
  'Food & Beverage',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Shipping',
  'Technology',
  'Transportation',
] as const;

const f = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label:
    extra.label ??
    name
      .replace(/__c$/, '')
      .replace(/_/g, ' ')
      .replace(/([a-z])([A-Z])/g, '$1 $2'),
  type,
  nillable: extra.nillable ?? !['id', 'boolean'].includes(type),
  ...extra,
});

const AUDIT_FIELDS: readonly FieldDef[] = [
  f('CreatedDate', 'datetime', { nillable: false }),
  f('LastModifiedDate', 'datetime', { nillable: false }),
  f('SystemModstamp', 'datetime', { nillable: false, label: 'System Modstamp' }),
];

const owner = f('OwnerId', 'reference', { referenceTo: 'User', relationshipName: 'Owner', nillable: false, label: 'Owner ID' });

export const SOBJECTS: readonly SObjectDef[] = [
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    fields: [
      f('Id', 'id', { label: 'Account ID' }),
      f('Name', 'string', { nillable: false, label: 'Account Name' }),
      f('Type', 'picklist', { label: 'Account Type', picklistValues: ACCOUNT_TYPES }),
      f('Industry', 'picklist', { picklistValues: INDUSTRIES }),
      owner,
      f('Website', 'url'),
      f('Phone', 'phone', { label: 'Account Phone' }),
      f('BillingCountry', 'string', { label: 'Billing Country' }),
      f('Odoo_Partner_Id__c', 'string', { externalId: true, label: 'Odoo Partner Id' }),
      ...AUDIT_FIELDS,
    ],
    childRelationships: [
      { relationshipName: 'Contacts', childSObject: 'Contact', field: 'AccountId' },
      { relationshipName: 'Opportunities', childSObject: 'Opportunity', field: 'AccountId' },
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    fields: [
      f('Id', 'id', { label: 'Contact ID' }),
      f('AccountId', 'reference', { referenceTo: 'Account', relationshipName: 'Account', label: 'Account ID' }),
      f('FirstName', 'string', { label: 'First Name' }),
      f('LastName', 'string', { nillable: false, label: 'Last Name' }),
      f('Name', 'string', { nillable: false, label: 'Full Name' }),
      f('Email', 'email'),
      f('Title', 'string'),
      owner,
      ...AUDIT_FIELDS,
    ],
    childRelationships: [],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    fields: [
      f('Id', 'id', { label: 'Opportunity ID' }),
      f('AccountId', 'reference', { referenceTo: 'Account', relationshipName: 'Account', label: 'Account ID' }),
      f('Name', 'string', { nillable: false, label: 'Name' }),
      f('StageName', 'picklist', { nillable: false, label: 'Stage', picklistValues: OPPORTUNITY_STAGES.map((s) => s.name) }),
      f('Amount', 'currency'),
      f('CloseDate', 'date', { nillable: false, label: 'Close Date' }),
      f('Probability', 'percent', { label: 'Probability (%)' }),
      f('IsClosed', 'boolean', { label: 'Closed' }),
      f('IsWon', 'boolean', { label: 'Won' }),
      owner,
      ...AUDIT_FIELDS,
    ],
    childRelationships: [],
  },
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    fields: [
      f('Id', 'id', { label: 'User ID' }),
      f('Username', 'string', { nillable: false }),
      f('FirstName', 'string', { label: 'First Name' }),
      f('LastName', 'string', { nillable: false, label: 'Last Name' }),
      f('Name', 'string', { nillable: false, label: 'Full Name' }),
      f('Email', 'email', { nillable: false }),
      f('IsActive', 'boolean', { label: 'Active' }),
      ...AUDIT_FIELDS,
    ],
    childRelationships: [],
  },
];

const BY_NAME = new Map(SOBJECTS.map((o) => [o.name.toLowerCase(), o]));
const BY_PREFIX = new Map(SOBJECTS.map((o) => [o.keyPrefix, o]));

/** The object of that name (any case), if the org has it. */
export const sobjectNamed = (name: string): SObjectDef | undefined => BY_NAME.get(name.toLowerCase());
export const sobjectWithPrefix = (prefix: string): SObjectDef | undefined => BY_PREFIX.get(prefix);

/** A field by name (any case). */
export const fieldOf = (obj: SObjectDef, name: string): FieldDef | undefined => obj.fields.find((fd) => fd.name.toLowerCase() === name.toLowerCase());

/** The lookup field behind a parent relationship name (any case), e.g. `owner` → `OwnerId`. */
export const parentRelationshipOf = (obj: SObjectDef, relationshipName: string): FieldDef | undefined =>
  obj.fields.find((fd) => fd.relationshipName?.toLowerCase() === relationshipName.toLowerCase());

export const childRelationshipOf = (obj: SObjectDef, relationshipName: string): ChildRelationship | undefined =>
  obj.childRelationships.find((c) => c.relationshipName.toLowerCase() === relationshipName.toLowerCase());

/** The minimal describe answer (`GET sobjects/{Type}/describe`). */
export function describeOf(obj: SObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${obj.name}`;
  return {
    name: obj.name,
    label: obj.label,
    labelPlural: obj.labelPlural,
    keyPrefix: obj.keyPrefix,
    custom: false,
    queryable: true,
    retrieveable: true,
    searchable: true,
    createable: true,
    updateable: true,
    deletable: false,
    fields: obj.fields.map((fd) => ({
      name: fd.name,
      label: fd.label,
      type: fd.type,
      nillable: fd.nillable,
      custom: fd.name.endsWith('__c'),
      externalId: fd.externalId ?? false,
      idLookup: fd.type === 'id' || (fd.externalId ?? false),
      filterable: true,
      sortable: fd.type !== 'textarea',
      referenceTo: fd.referenceTo ? [fd.referenceTo] : [],
      relationshipName: fd.relationshipName ?? null,
      picklistValues: (fd.picklistValues ?? []).map((value) => ({ active: true, defaultValue: false, label: value, value, validFor: null })),
    })),
    childRelationships: obj.childRelationships.map((c) => ({
      childSObject: c.childSObject,
      field: c.field,
      relationshipName: c.relationshipName,
      cascadeDelete: false,
    })),
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}
