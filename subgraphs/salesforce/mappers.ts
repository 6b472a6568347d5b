/**
 * Salesforce query records → the subgraph's models (GraphQL-shaped, JSON-safe so they can be
 * cached), and the SOQL that reads them. An account is read with its owner, its contacts and its
 * opportunities in one query (child subqueries), so one call answers everything the schema
 * exposes about a batch of accounts.
 */
import { z } from 'zod';
import type { SoqlRecord } from './client';

/** A Salesforce record id: 15 or 18 letters and digits. */
export const isSalesforceId = (value: string): boolean => /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(value);

export interface SalesforceUserModel {
  id: string;
  name: string;
  email: string | null;
}

export interface SalesforceContactModel {
  id: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  title: string | null;
}

export interface OpportunityModel {
  id: string;
  name: string;
  stageName: string;
  /** In the org's currency. */
  amount: number | null;
  /** ISO-8601 date. */
  closeDate: string | null;
  probability: number | null;
  isClosed: boolean;
  isWon: boolean;
  owner: SalesforceUserModel | null;
}

export interface SalesforceAccountModel {
  id: string;
  name: string;
  type: string | null;
  industry: string | null;
  website: string | null;
  phone: string | null;
  /** Value of the tenant's external-id field (the ERP customer id), when linked. */
  externalId: string | null;
  owner: SalesforceUserModel | null;
  contacts: SalesforceContactModel[];
  opportunities: OpportunityModel[];
}

const str = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null);
const num = z
  .number()
  .nullable()
  .optional()
  .transform((v) => v ?? null);

const User = z
  .object({ Id: z.string(), Name: z.string(), Email: str })
  .nullable()
  .optional()
  .transform((u): SalesforceUserModel | null => (u ? { id: u.Id, name: u.Name, email: u.Email } : null));

const Contact = z
  .object({ Id: z.string(), Name: z.string(), FirstName: str, LastName: str, Email: str, Title: str })
  .transform((c): SalesforceContactModel => ({ id: c.Id, name: c.Name, firstName: c.FirstName, lastName: c.LastName, email: c.Email, title: c.Title }));

const Opportunity = z
  .object({
    Id: z.string(),
    Name: z.string(),
    StageName: z.string(),
    Amount: num,
    CloseDate: str,
    Probability: num,
    IsClosed: z
      .boolean()
      .optional()
      .transform((v) => v ?? false),
    IsWon: z
      .boolean()
      .optional()
      .transform((v) => v ?? false),
    Owner: User,
  })
  .transform((o): OpportunityModel => ({
    id: o.Id,
    name: o.Name,
    stageName: o.StageName,
    amount: o.Amount,
    closeDate: o.CloseDate,
    probability: o.Probability,
    isClosed: o.IsClosed,
    isWon: o.IsWon,
    owner: o.Owner,
  }));

/** A child subquery result: `{totalSize, done, records, nextRecordsUrl?}` or null when empty. */
const Children = <T extends z.ZodTypeAny>(item: T) =>
  z
    .object({ done: z.boolean().optional(), nextRecordsUrl: z.string().optional(), records: z.array(item) })
    .nullable()
    .optional();

const Account = z.object({
  Id: z.string(),
  Name: z.string(),
  Type: str,
  Industry: str,
  Website: str,
  Phone: str,
  Owner: User,
  Contacts: Children(Contact),
  Opportunities: Children(Opportunity),
});

/** A subquery that was cut (`done: false`): where its remaining records are. */
export interface PendingChildren {
  accountId: string;
  relationship: 'Contacts' | 'Opportunities';
  nextRecordsUrl: string;
}

/** Fields read for every account; `externalIdField` is the tenant's (validated) external-id field. */
export function accountSelect(externalIdField: string): string {
  return [
    'SELECT Id, Name, Type, Industry, Website, Phone, ' + externalIdField + ', Owner.Id, Owner.Name, Owner.Email,',
    '(SELECT Id, Name, FirstName, LastName, Email, Title FROM Contacts ORDER BY Name),',
    '(SELECT Id, Name, StageName, Amount, CloseDate, Probability, IsClosed, IsWon, Owner.Id, Owner.Name, Owner.Email FROM Opportunities ORDER BY CloseDate DESC)',
    'FROM Account',
  ].join(' ');
}

/** An account record of `accountSelect` → model, plus the subqueries Salesforce cut short. */
export function toAccount(raw: SoqlRecord, externalIdField: string): { account: SalesforceAccountModel; pending: PendingChildren[] } {
  const a = Account.parse(raw);
  const ext = raw[externalIdField];
  const pending: PendingChildren[] = [];
  if (a.Contacts && a.Contacts.done === false && a.Contacts.nextRecordsUrl)
    pending.push({ accountId: a.Id, relationship: 'Contacts', nextRecordsUrl: a.Contacts.nextRecordsUrl });
  if (a.Opportunities && a.Opportunities.done === false && a.Opportunities.nextRecordsUrl) {
    pending.push({ accountId: a.Id, relationship: 'Opportunities', nextRecordsUrl: a.Opportunities.nextRecordsUrl });
  }
  return {
    account: {
      id: a.Id,
      name: a.Name,
      type: a.Type,
      industry: a.Industry,
      website: a.Website,
      phone: a.Phone,
      externalId: typeof ext === 'string' ? ext : typeof ext === 'number' ? String(ext) : null,
      owner: a.Owner,
      contacts: a.Contacts?.records ?? [],
      opportunities: a.Opportunities?.records ?? [],
    },
    pending,
  };
}

export const toContacts = (records: readonly SoqlRecord[]): SalesforceContactModel[] => records.map((r) => Contact.parse(r));
export const toOpportunities = (records: readonly SoqlRecord[]): OpportunityModel[] => records.map((r) => Opportunity.parse(r));
