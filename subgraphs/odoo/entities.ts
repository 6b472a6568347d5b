/**
 * The Odoo subgraph's entities: cache lifetimes, derived cache types and dependents (see kit/entities.ts).
 * Fast-moving operational records (orders, deliveries) are short; master data (customers, products) longer.
 */
import { cacheFor, dependentsOf, type EntityDescriptions } from '../kit/entities';

export const ODOO_ENTITIES: EntityDescriptions = {
  Customer: {
    cache: cacheFor(300, 3_600, 60),
    derived: ['CustomerEmail', 'CustomerCreditLimit'],
    dependents: [
      // Pages keyed `<customer id>.<filter>.<offset>.<limit>.<counted>` (pageKey).
      { type: 'CustomerOrders', variants: true },
      { type: 'CustomerInvoices', variants: true },
      { type: 'CustomerDeliveries', variants: true },
      { type: 'CustomerEntitlements' },
      { type: 'CustomerOpenBalance' },
      // Keyed `<customer id>.<company id>` (creditLimitKey).
      { type: 'CustomerCreditLimit', variants: true },
    ],
  },
  Order: { cache: cacheFor(60, 900, 30), derived: ['OrderName', 'CustomerOrders', 'OrderConfirmation'] },
  OrderLine: { cache: cacheFor(60, 900, 30) },
  Invoice: { cache: cacheFor(120, 1_800, 30), derived: ['CustomerInvoices', 'CustomerOpenBalance', 'PlanInvoices'] },
  Delivery: { cache: cacheFor(60, 900, 30), derived: ['CustomerDeliveries'] },
  DeliveryMove: { cache: cacheFor(60, 900, 30) },
  Product: { cache: cacheFor(600, 3_600, 60), derived: ['ProductSku'] },
  Entitlement: { cache: cacheFor(300, 3_600, 60), derived: ['CustomerEntitlements'] },
};

/** The cached entries derived from each entity's records, for invalidation after a write (cache/invalidation.ts). */
export const ODOO_DEPENDENTS = dependentsOf(ODOO_ENTITIES);
