/**
 * The pure parts of Odoo change capture: what a tenant's capabilities let it read of each model
 * (change-models.ts), and how fingerprints and cursors tell a change from a record read again
 * (change-state.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { OdooCapabilities, type FieldInfo } from '../../subgraphs/odoo/capabilities';
import { CHANGE_MODELS, readPlan } from '../../subgraphs/odoo/change-models';
import {
  changedPublicFields,
  cursorAt,
  decodeCursor,
  decodeSeen,
  encodeCursor,
  encodeSeen,
  fingerprintOf,
  isoFromOdoo,
} from '../../subgraphs/odoo/change-state';

const spec = (model: string) => CHANGE_MODELS.find((s) => s.model === model)!;
const fields = (...names: string[]): Map<string, FieldInfo> => new Map(names.map((n) => [n, { type: 'char' }]));
const STAMPS = ['id', 'write_date', 'create_date'];

function caps(models: Record<string, string[] | null>, plans: number[] = []): OdooCapabilities {
  return new OdooCapabilities(
    { serverVersion: '18.0', serie: '18.0', major: 18 },
    new Map(),
    new Map(Object.entries(models).map(([m, f]) => [m, f === null ? null : fields(...STAMPS, ...f)])),
    [],
    new Map(plans.map((id) => [id, { productId: id, tier: 'basic' as const, termMonths: 12 }])),
    { companyId: 1, groups: null },
    new Set(),
    0,
  );
}

describe('readPlan', () => {
  it('should track only what the server has: no trackingRef without carrier_tracking_ref', () => {
    const plan = readPlan(spec('stock.picking'), caps({ 'stock.picking': ['name', 'state', 'picking_type_code', 'origin', 'partner_id'] }));
    if ('skip' in plan) throw new Error(plan.skip);
    expect(Object.keys(plan.tracked).sort()).toEqual(['exceptions', 'kind', 'late', 'milestones', 'name', 'origin', 'state']);
    expect(plan.fields).not.toContain('carrier_tracking_ref');
    expect(plan.domain).toEqual([['picking_type_code', 'in', ['outgoing', 'incoming', 'internal']]]);
  });

  it('should skip a model the server lacks, and plan lines when the tenant has neither plans nor custom period fields', () => {
    expect(readPlan(spec('account.move'), caps({ 'account.move': null }))).toEqual({ skip: expect.stringContaining('account is not installed') });
    expect(readPlan(spec('sale.order.line'), caps({ 'sale.order.line': ['product_id', 'state', 'order_id'] }))).toEqual({ skip: expect.any(String) });
    const plan = readPlan(spec('sale.order.line'), caps({ 'sale.order.line': ['product_id', 'state', 'order_id', 'order_partner_id'] }, [41]));
    expect(plan).toMatchObject({
      domain: [
        ['product_id', 'in', [41]],
        ['state', 'in', ['sale', 'cancel']],
      ],
      tracked: { lines: ['product_id', 'state'] },
    });
  });

  it('should skip a model whose domain field the user cannot read', () => {
    expect(readPlan(spec('account.move'), caps({ 'account.move': ['name', 'state'] }))).toEqual({ skip: expect.stringContaining('move_type') });
  });
});

describe('fingerprints and cursors', () => {
  const row = { id: 7, name: 'S00007', partner_id: [10, 'Acme, Ann'], order_line: [3, 1], client_order_ref: false, amount_total: 10, currency_id: [1, 'USD'] };
  const tracked = {
    name: ['name'],
    customer: ['partner_id'],
    lines: ['order_line'],
    clientOrderRef: ['client_order_ref'],
    amountTotal: ['amount_total', 'currency_id'],
  };
  const sources = Object.values(tracked).flat();

  it('should name the public fields whose sources changed, ignoring display names and list order', () => {
    const before = fingerprintOf(row, sources);
    expect(changedPublicFields(before, fingerprintOf({ ...row, partner_id: [10, 'Renamed'], order_line: [1, 3] }, sources), tracked)).toEqual([]);
    expect(changedPublicFields(before, fingerprintOf({ ...row, client_order_ref: 'PO', currency_id: [2, 'EUR'] }, sources), tracked)).toEqual([
      'clientOrderRef',
      'amountTotal',
    ]);
    // A source the old fingerprint lacks (the server gained the field) is unknown, not changed.
    const { client_order_ref: _gone, ...older } = before;
    expect(changedPublicFields(older, fingerprintOf({ ...row, client_order_ref: 'PO' }, sources), tracked)).toEqual([]);
  });

  it('should round-trip what it stores, and refuse what it cannot read', () => {
    const seen = { fingerprint: fingerprintOf(row, sources), storedAt: 1_700_000_000_000 };
    expect(decodeSeen(encodeSeen(seen.fingerprint, seen.storedAt))).toEqual(seen);
    expect(decodeSeen('{"name":"S00007"}')).toBeUndefined();
    const cursor = cursorAt({ id: 7, write_date: '2026-11-30 01:33:13' });
    expect(cursor).toEqual({ writeDate: '2026-11-30 01:33:13', id: 7 });
    expect(decodeCursor(encodeCursor(cursor!))).toEqual(cursor);
    expect(decodeCursor('not json')).toBeUndefined();
    expect(isoFromOdoo('2026-11-30 01:33:13')).toBe('2026-11-30T01:33:13Z');
  });
});
