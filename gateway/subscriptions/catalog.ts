/**
 * What each subscription root field listens to, and how a change payload's entity fields are read:
 * the public schema's own conventions, checked against the supergraph at start-up so a renamed
 * field stops the gateway instead of silently never pushing.
 *
 * - `orderChanged(id)` & co. listen to the events of one entity (`type` + `id`);
 *   `customerActivity(customerId)` to every event that names the customer.
 * - A change type's field whose type is an entity (`order: Order`) is read through the Query field
 *   that finds that entity by id (`order(id:)`), with the subscriber's identity.
 */
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';

export type SubscriptionSpec =
  { readonly kind: 'entity'; readonly type: string; readonly arg: 'id' } | { readonly kind: 'customer'; readonly arg: 'customerId' };

/** Subscription root field → what it listens to. */
export const SUBSCRIPTION_FIELDS: Readonly<Record<string, SubscriptionSpec>> = {
  orderChanged: { kind: 'entity', type: 'Order', arg: 'id' },
  invoiceChanged: { kind: 'entity', type: 'Invoice', arg: 'id' },
  deliveryChanged: { kind: 'entity', type: 'Delivery', arg: 'id' },
  actionChanged: { kind: 'entity', type: 'Action', arg: 'id' },
  ticketChanged: { kind: 'entity', type: 'Ticket', arg: 'id' },
  customerActivity: { kind: 'customer', arg: 'customerId' },
};

/** Entity type → the Query field that reads one by `id`. */
export const ENTITY_ROOTS: Readonly<Record<string, string>> = {
  Order: 'order',
  Invoice: 'invoice',
  Delivery: 'delivery',
  Action: 'action',
  Ticket: 'ticket',
  Customer: 'customer',
};

/** Event type → `ActivityEntity` value of `CustomerActivity.entity`. */
export const ACTIVITY_ENTITY: Readonly<Record<string, string>> = {
  Order: 'ORDER',
  Invoice: 'INVOICE',
  Delivery: 'DELIVERY',
  Ticket: 'TICKET',
  Action: 'ACTION',
  SalesforceAccount: 'SALESFORCE_ACCOUNT',
};

/** Types whose visibility depends on who asks (an action is its requester's): subscribers of them never share a resolution across subjects. */
export const SUBJECT_SCOPED_TYPES: ReadonlySet<string> = new Set(['Action', 'ActionConnection']);

/** The catalog's mismatches with the schema: empty when every field and root it names exists with an `id: ID!` argument. */
export function catalogMismatches(schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  const subscription = schema.getSubscriptionType();
  const query = schema.getQueryType();
  for (const [name, spec] of Object.entries(SUBSCRIPTION_FIELDS)) {
    const field = subscription?.getFields()[name];
    if (!field) problems.push(`Subscription.${name} is missing`);
    else if (!field.args.some((a) => a.name === spec.arg)) problems.push(`Subscription.${name} has no argument ${spec.arg}`);
    else if (!isObjectType(getNamedType(field.type))) problems.push(`Subscription.${name} does not return an object type`);
  }
  for (const [type, root] of Object.entries(ENTITY_ROOTS)) {
    const field = query?.getFields()[root];
    if (!field) problems.push(`Query.${root} (reads ${type}) is missing`);
    else if (getNamedType(field.type).name !== type || !field.args.some((a) => a.name === 'id')) problems.push(`Query.${root} does not read a ${type} by id`);
  }
  return problems;
}
