import { describe, expect, it } from '@jest/globals';
import { CANONICAL_CUSTOM_FIELDS, createFieldAdapter } from '../../subgraphs/odoo/field-adapter';
import type { OdooRecord } from '../../subgraphs/odoo/client';
import { loadRegistry, parseRegistry } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';

describe('Odoo field adapter', () => {
  const studio = { entitlementStart: 'x_studio_plan_start', entitlementEnd: 'x_studio_plan_end', supportTier: 'x_studio_tier' };

  it("should ask for the tenant's custom field names and answer with the canonical ones", () => {
    const adapter = createFieldAdapter('18.0', studio);
    expect(adapter.fields('sale.order.line', ['order_id', 'x_entitlement_start', 'x_entitlement_end'])).toEqual([
      'order_id',
      'x_studio_plan_start',
      'x_studio_plan_end',
    ]);
    expect(adapter.domain(['&', ['x_entitlement_start', '!=', false], ['order_id.partner_id', 'in', [1]]])).toEqual([
      '&',
      ['x_studio_plan_start', '!=', false],
      ['order_id.partner_id', 'in', [1]],
    ]);
    const rows = adapter.records([{ id: 7, x_studio_plan_start: '2026-01-01', name: 'Plan' } as OdooRecord]);
    expect(rows).toEqual([{ id: 7, x_entitlement_start: '2026-01-01', name: 'Plan' }]);
  });

  it('should leave everything as is for a tenant with the canonical names', () => {
    const adapter = createFieldAdapter('18.0', CANONICAL_CUSTOM_FIELDS);
    const rows = [{ id: 1, x_support_tier: 'premium' } as OdooRecord];
    expect(adapter.records(rows)).toBe(rows);
    expect(adapter.fields('product.product', ['name', 'is_storable', 'x_support_tier'])).toEqual(['name', 'is_storable', 'x_support_tier']);
  });

  it('should not ask an Odoo 17 for fields that appeared in 18', () => {
    expect(createFieldAdapter('17.0', CANONICAL_CUSTOM_FIELDS).fields('product.product', ['name', 'type', 'is_storable'])).toEqual(['name', 'type']);
    expect(createFieldAdapter('19.0', CANONICAL_CUSTOM_FIELDS).fields('product.product', ['name', 'type', 'is_storable'])).toEqual([
      'name',
      'type',
      'is_storable',
    ]);
  });

  it('should refuse a registry that asks for JSON-2 of an Odoo before 19, or a custom field name Odoo cannot have', () => {
    const raw = structuredClone(loadRegistry(SANDBOX_REGISTRY_PATH));
    raw.tenants[1]!.upstreams.odoo.version = '18.0';
    expect(() => parseRegistry(raw)).toThrow(/JSON-2 API needs Odoo 19/);
    const bad = structuredClone(loadRegistry(SANDBOX_REGISTRY_PATH));
    bad.tenants[0]!.upstreams.odoo.customFields.supportTier = 'x tier; drop';
    expect(() => parseRegistry(bad)).toThrow(/customFields\.supportTier/);
  });
});
