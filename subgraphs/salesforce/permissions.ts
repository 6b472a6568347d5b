/**
 * Who may see what in the Salesforce subgraph (graphql-shield, default deny). Accounts, contacts
 * and opportunities are visible to every role; an opportunity's amount and probability (the sales
 * pipeline) only to supervisors and admins (finance sees margins and costs, not the pipeline). A tenant's policy overlay
 * (tenancy/) can hide more per role.
 */
import type { IMiddlewareGenerator } from 'graphql-middleware';
import { buildPermissions, type TypePolicy } from '../kit/authorization';
import type { SalesforceContext } from './resolvers';

export const PIPELINE_AUDIENCE = ['supervisor'] as const;

export const SALESFORCE_POLICY: Record<string, TypePolicy> = {
  Query: { default: 'any' },
  Customer: { default: 'any' },
  SalesforceAccount: { default: 'any' },
  SalesforceContact: { default: 'any' },
  SalesforceUser: { default: 'any' },
  Opportunity: { default: 'any', fields: { amount: PIPELINE_AUDIENCE, probability: PIPELINE_AUDIENCE } },
  Money: { default: 'any' },
};

export const salesforcePermissions = (): IMiddlewareGenerator<unknown, SalesforceContext, unknown> => buildPermissions<SalesforceContext>(SALESFORCE_POLICY);
