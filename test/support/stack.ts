/** Test helpers around the embedded stack: per-system call counts and a ticket-context request. */
import { TICKET_CONTEXT_QUERY } from '../../sandbox/queries';
import type { RunningStack } from '../../sandbox/stack';
import type { Role } from '../../tenancy/identity';
import { bearer, emulatorStats, postGraphQL, resetEmulator, totalFor, type GraphQLResponse, type StatsCounts } from './http';

export type System = 'odoo' | 'salesforce' | 'zendesk';
export const SYSTEMS: readonly System[] = ['odoo', 'salesforce', 'zendesk'];

export async function resetStats(stack: RunningStack, opts: { faults?: boolean } = {}): Promise<void> {
  await Promise.all(SYSTEMS.map((s) => resetEmulator(stack.emulators[s].url, opts)));
}

export async function allStats(stack: RunningStack): Promise<Record<System, StatsCounts>> {
  const [odoo, salesforce, zendesk] = await Promise.all(SYSTEMS.map((s) => emulatorStats(stack.emulators[s].url)));
  return { odoo: odoo!, salesforce: salesforce!, zendesk: zendesk! };
}

/** Calls per system for one tenant. */
export async function callsFor(stack: RunningStack, tenant: string): Promise<Record<System, number>> {
  const stats = await allStats(stack);
  return { odoo: totalFor(stats.odoo, tenant), salesforce: totalFor(stats.salesforce, tenant), zendesk: totalFor(stats.zendesk, tenant) };
}

export async function query<T = Record<string, unknown>>(
  stack: RunningStack,
  tenant: string,
  role: Role,
  q: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(stack.gateway.url, q, variables, bearer(await stack.token(tenant, role)));
}

export interface TicketContext {
  ticket: null | {
    id: string;
    subject: string;
    status: string;
    requester: { id: string; name: string; email: string | null } | null;
    customer: null | {
      id: string;
      name: string;
      email: string | null;
      orders: {
        edges: Array<{
          node: {
            id: string;
            name: string;
            state: string;
            invoiceStatus: string;
            lines: unknown[];
            invoices: unknown[];
            deliveries: unknown[];
          };
        }>;
      };
      entitlements: Array<{ tier: string | null; active: boolean }>;
      salesforceAccount: null | { id: string; name: string; owner: { name: string } | null; opportunities: Array<{ name: string; stageName: string }> };
    };
  };
}

export const ticketContext = (stack: RunningStack, tenant: string, id: string | number, role: Role = 'agent') =>
  query<TicketContext>(stack, tenant, role, TICKET_CONTEXT_QUERY, { id: String(id) });
