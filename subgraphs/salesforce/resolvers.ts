/**
 * Resolvers of the Salesforce subgraph. They know nothing of HTTP: every read goes through the
 * request's loaders (context.loaders), and every id from a client is validated here.
 */
import type { BaseContext } from '../kit/context';
import type { Resolvers } from './generated/resolvers-types';
import { badUserInput } from '../kit/errors';
import type { SalesforceLoaders } from './loaders';
import { isSalesforceId, type OpportunityModel, type SalesforceAccountModel } from './mappers';

export interface SalesforceContext extends BaseContext {
  readonly loaders: SalesforceLoaders;
  /** ISO 4217 code of the tenant's org currency (amounts are in it). */
  readonly currencyCode: string;
}

/** A Customer as the gateway hands it over: its ERP id, and its ERP name (`@requires`). */
export interface CustomerRepresentation {
  id: string;
  name: string | null;
}

/** ERP ids are short strings without control characters; anything else matches nothing. */
const isErpId = (value: string): boolean => value.length > 0 && value.length <= 64 && !/[\u0000-\u001f]/.test(value);

/**
 * The account of a customer under the tenant's matching rules: by external id, else by exact name
 * (only an account that is not linked to another customer, and only when exactly one matches).
 */
async function accountOfCustomer(c: CustomerRepresentation, ctx: SalesforceContext): Promise<SalesforceAccountModel | null> {
  for (const rule of ctx.tenant.matching.salesforce) {
    if (rule === 'external_id' && isErpId(c.id)) {
      const account = await ctx.loaders.accountByExternalId.load(c.id);
      if (account) return account;
    }
    if (rule === 'name' && c.name) {
      const named = (await ctx.loaders.accountsByName.load(c.name)) ?? [];
      const candidates = named.filter((a) => a.name === c.name && (a.externalId === null || a.externalId === c.id));
      if (candidates.length === 1) return candidates[0] ?? null;
    }
  }
  return null;
}

export const salesforceResolvers = {
  Query: {
    async salesforceAccount(_root: unknown, args: { id: string }, ctx: SalesforceContext) {
      if (!isSalesforceId(args.id)) throw badUserInput('id must be a Salesforce record id (15 or 18 letters and digits)', 'id');
      return ctx.loaders.accountById.load(args.id);
    },
  },

  Customer: {
    __resolveReference(ref: { id?: unknown; matchName?: unknown }): CustomerRepresentation | null {
      const id = typeof ref.id === 'string' || typeof ref.id === 'number' ? String(ref.id) : null;
      if (id === null) return null;
      return { id, name: typeof ref.matchName === 'string' ? ref.matchName : null };
    },
    salesforceAccount: (c: CustomerRepresentation, _a: unknown, ctx: SalesforceContext) => accountOfCustomer(c, ctx),
  },

  SalesforceAccount: {
    async __resolveReference(ref: { id?: unknown }, ctx: SalesforceContext) {
      return typeof ref.id === 'string' && isSalesforceId(ref.id) ? ctx.loaders.accountById.load(ref.id) : null;
    },
    opportunities(a: SalesforceAccountModel, args: { open?: boolean | null }) {
      if (args.open === undefined || args.open === null) return a.opportunities;
      return a.opportunities.filter((o) => o.isClosed !== args.open);
    },
  },

  Opportunity: {
    amount: (o: OpportunityModel, _a: unknown, ctx: SalesforceContext) => (o.amount === null ? null : { amount: o.amount, currencyCode: ctx.currencyCode }),
  },
} satisfies Resolvers;
