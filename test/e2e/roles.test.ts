/**
 * The role matrix at the gateway (issue 5): each role against each sensitive field gets exactly what
 * the default policy says, and a tenant overlay narrows one tenant only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { buildWorld } from '../../sandbox/world';
import type { Role } from '../../tenancy/identity';
import { query } from '../support/stack';

const acme = buildWorld('acme');
let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack({
    cache: false,
    editRegistry: (registry) => ({
      tenants: registry.tenants.map((t) => (t.id === 'acme' ? { ...t, policy: { hiddenFields: { agent: ['Customer.email'] } } } : t)),
    }),
  });
});
afterAll(async () => {
  await stack?.stop();
});

const SENSITIVE = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
      name
      email
      creditLimit {
        amount
      }
      openBalance {
        amount
      }
      orders(first: 1) {
        edges {
          node {
            id
            margin {
              amount
            }
            lines {
              product {
                sku
                cost {
                  amount
                }
              }
            }
          }
        }
      }
      salesforceAccount {
        name
        opportunities {
          name
          amount {
            amount
          }
          probability
        }
      }
    }
  }
`;

type Field = 'creditLimit' | 'openBalance' | 'margin' | 'cost' | 'amount' | 'probability';
const POLICY: Record<Role, Field[]> = {
  agent: [],
  supervisor: ['amount', 'probability'],
  finance: ['creditLimit', 'openBalance', 'margin', 'cost'],
  admin: ['creditLimit', 'openBalance', 'margin', 'cost', 'amount', 'probability'],
};
const ALL: Field[] = ['creditLimit', 'openBalance', 'margin', 'cost', 'amount', 'probability'];

describe('field-level authorization', () => {
  it.each(Object.keys(POLICY) as Role[])('should give %s exactly the sensitive fields its policy allows', async (role) => {
    const res = await query(stack, 'acme', role, SENSITIVE, { id: String(acme.anchors.smallCustomer) });
    const customer = (res.data as { customer: Record<string, unknown> }).customer;
    expect(customer['name']).toBeTruthy();
    const forbiddenPaths = new Set((res.errors ?? []).filter((e) => e.extensions?.['code'] === 'FORBIDDEN').map((e) => String(e.path?.[e.path.length - 1])));
    const otherErrors = (res.errors ?? []).filter((e) => e.extensions?.['code'] !== 'FORBIDDEN');
    expect(otherErrors).toEqual([]);
    for (const field of ALL) expect([field, forbiddenPaths.has(field)]).toEqual([field, !POLICY[role].includes(field)]);
    const order = (customer['orders'] as { edges: Array<{ node: { margin: unknown } }> }).edges[0]!.node;
    expect(order.margin === null).toBe(!POLICY[role].includes('margin'));
    expect(customer['creditLimit'] === null).toBe(!POLICY[role].includes('creditLimit'));
  });

  it('should hide a field the acme overlay hides for agent, in acme only', async () => {
    const q = 'query($id: ID!) { customer(id: $id) { name email } }';
    const acmeAgent = await query<{ customer: { name: string; email: string | null } }>(stack, 'acme', 'agent', q, { id: String(acme.anchors.smallCustomer) });
    expect(acmeAgent.data?.customer.name).toBeTruthy();
    expect(acmeAgent.data?.customer.email).toBeNull();
    expect(acmeAgent.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const acmeFinance = await query<{ customer: { email: string | null } }>(stack, 'acme', 'finance', q, { id: String(acme.anchors.smallCustomer) });
    expect(acmeFinance.data?.customer.email).toMatch(/@/);
    const globexAgent = await query<{ customer: { email: string | null } }>(stack, 'globex', 'agent', q, {
      id: String(buildWorld('globex').anchors.smallCustomer),
    });
    expect(globexAgent.errors).toBeUndefined();
    expect(globexAgent.data?.customer.email).toMatch(/@/);
  });
});
