/**
 * The Salesforce loaders of one request. Accounts are read by id, by the tenant's external-id field
 * (the ERP customer id) and by exact name; all the keys a tick asks for become one SOQL query with
 * `IN (...)`, which also brings each account's owner, contacts and opportunities (child
 * subqueries), read through the entity cache when one is configured.
 *
 * `economy: 'naive'` turns batching, memo and cache off: one query per resolver (benchmark baseline).
 */
import type DataLoader from 'dataloader';
import type { EntityCache } from '../../cache';
import type { TenantConfig } from '../../tenancy/registry';
import type { StaleServe } from '../kit/context';
import { ErrorCode, UpstreamError } from '../kit/errors';
import { keyedLoader } from '../kit/loaders';
import { SALESFORCE_ENTITIES } from './entities';
import { soqlLiteral, type SalesforceClient, type SoqlRecord } from './client';
import { accountSelect, toAccount, toContacts, toOpportunities, type SalesforceAccountModel } from './mappers';

export type { Economy } from '../kit/server';
import type { Economy } from '../kit/server';

/** Literals per `IN (...)`: keeps the SOQL well under Salesforce's 100,000-character limit. */
const IN_MAX = 200;

/** Cache entity types (the names of cache/policy.ts where it has one). */
export const SALESFORCE_CACHE_TYPES = {
  accountById: 'Account',
  accountByExternalId: 'AccountByExternalId',
  accountsByName: 'AccountsByName',
} as const;

export interface SalesforceLoaders {
  accountById: DataLoader<string, SalesforceAccountModel | null>;
  /** By the value of the tenant's external-id field (the ERP customer id). */
  accountByExternalId: DataLoader<string, SalesforceAccountModel | null>;
  /** Every account with exactly this name (Salesforce compares names case-insensitively; this is exact). */
  accountsByName: DataLoader<string, SalesforceAccountModel[] | null>;
}

export interface SalesforceLoaderOptions {
  client: SalesforceClient;
  tenant: TenantConfig;
  signal?: AbortSignal | undefined;
  economy: Economy;
  cache?: EntityCache | undefined;
  onStale: (serve: StaleServe) => void;
}

export function createSalesforceLoaders(opts: SalesforceLoaderOptions): SalesforceLoaders {
  const { client, tenant, signal, economy, cache, onStale } = opts;
  const field = tenant.upstreams.salesforce.accountExternalIdField;
  const select = accountSelect(field);

  /** Runs one account query; completes subqueries Salesforce cut short. */
  async function accounts(where: string): Promise<SalesforceAccountModel[]> {
    const records = await client.query(`${select} WHERE ${where}`, signal);
    let parsed: ReturnType<typeof toAccount>[];
    try {
      parsed = records.map((r) => toAccount(r, field));
    } catch (cause) {
      throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'salesforce', 'Salesforce answered a query with unexpected records', { cause });
    }
    for (const { account, pending } of parsed) {
      for (const p of pending) {
        const rest: SoqlRecord[] = await client.queryMore(p.nextRecordsUrl, signal);
        if (p.relationship === 'Contacts') account.contacts.push(...toContacts(rest));
        else account.opportunities.push(...toOpportunities(rest));
      }
    }
    return parsed.map((p) => p.account);
  }

  const loader = <V>(type: string, fetchMany: (keys: readonly string[]) => Promise<Map<string, V>>): DataLoader<string, V | null> =>
    keyedLoader<string, V>({
      tenant,
      economy,
      cache,
      cacheType: type,
      entities: SALESFORCE_ENTITIES,
      fetchMany,
      maxBatchSize: IN_MAX,
      onStale,
      name: `salesforce.${type}`,
    });

  const inList = (keys: readonly string[]): string => keys.map(soqlLiteral).join(', ');

  return {
    accountById: loader(SALESFORCE_CACHE_TYPES.accountById, async (ids) => {
      const rows = await accounts(`Id IN (${inList(ids)})`);
      const out = new Map<string, SalesforceAccountModel>();
      // A key may be the 15- or the 18-character form; the 15-character prefix is the id.
      for (const id of ids) {
        const hit = rows.find((a) => a.id === id || a.id.slice(0, 15) === id.slice(0, 15));
        if (hit) out.set(id, hit);
      }
      return out;
    }),
    accountByExternalId: loader(SALESFORCE_CACHE_TYPES.accountByExternalId, async (externalIds) => {
      const rows = await accounts(`${field} IN (${inList(externalIds)})`);
      const out = new Map<string, SalesforceAccountModel>();
      for (const a of rows) if (a.externalId !== null && !out.has(a.externalId)) out.set(a.externalId, a);
      return out;
    }),
    accountsByName: loader(SALESFORCE_CACHE_TYPES.accountsByName, async (names) => {
      const rows = await accounts(`Name IN (${inList(names)})`);
      const out = new Map<string, SalesforceAccountModel[]>();
      for (const a of rows) out.set(a.name, [...(out.get(a.name) ?? []), a]);
      return out;
    }),
  };
}
