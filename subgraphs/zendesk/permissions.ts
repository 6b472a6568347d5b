/**
 * Who may see what in the Zendesk subgraph (graphql-shield, default deny). Tickets, support users,
 * organizations and a customer's tickets are the support desk's daily work: every role sees them
 * (`agent` sees tickets). A tenant's policy overlay (tenancy/) can still hide any field
 * per role, e.g. `{"agent": ["SupportUser.email"]}`.
 */
import type { IMiddlewareGenerator } from 'graphql-middleware';
import { buildPermissions, type TypePolicy } from '../kit/authorization';
import type { ZendeskContext } from './resolvers';

export const ZENDESK_POLICY: Record<string, TypePolicy> = {
  Query: { default: 'any' },
  // The pipeline authorizes each action by the tenant's policy (and audits a refusal).
  Mutation: { default: 'any' },
  Action: { default: 'any' },
  ActionPayload: { default: 'any' },
  UserError: { default: 'any' },
  Ticket: { default: 'any' },
  SupportUser: { default: 'any' },
  Organization: { default: 'any' },
  TicketComment: { default: 'any' },
  Customer: { default: 'any' },
  CustomerMatch: { default: 'any' },
  // Zendesk's own SLA figures for a ticket: the desk's daily work, like the ticket itself.
  ZendeskSla: { default: 'any' },
  ZendeskSlaMetric: { default: 'any' },
  TicketConnection: { default: 'any' },
  // Live changes: served by the gateway, which reads each payload's ticket with the subscriber's identity.
  Subscription: { default: 'any' },
  TicketChange: { default: 'any' },
  TicketEdge: { default: 'any' },
  TicketCommentConnection: { default: 'any' },
  TicketCommentEdge: { default: 'any' },
  PageInfo: { default: 'any' },
};

export const zendeskPermissions = (): IMiddlewareGenerator<unknown, ZendeskContext, unknown> => buildPermissions<ZendeskContext>(ZENDESK_POLICY);
