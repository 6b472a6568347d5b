/**
 * Which sale.order lines are support-plan entitlements: lines of the registry's plan products, and,
 * where the tenant's Odoo has the custom field, lines carrying an entitlement start. Confirmed and
 * cancelled ones only (a cancelled plan's standing says CANCELLED). The entitlement loaders and
 * change capture read the same lines.
 */
import type { OdooCapabilities } from './capabilities';
import type { OdooDomain } from './client';

/** The domain of the tenant's plan lines, or null when it has neither plan products nor the custom field. */
export function planLineDomain(caps: OdooCapabilities): OdooDomain | null {
  const planProducts = [...caps.plans.keys()];
  const custom = caps.has('sale.order.line', 'x_entitlement_start');
  if (planProducts.length === 0 && !custom) return null;
  const confirmed = ['state', 'in', ['sale', 'cancel']] as const;
  if (!custom) return [['product_id', 'in', planProducts], confirmed];
  if (planProducts.length === 0) return [['x_entitlement_start', '!=', false], confirmed];
  return ['|', ['product_id', 'in', planProducts], ['x_entitlement_start', '!=', false], confirmed];
}
