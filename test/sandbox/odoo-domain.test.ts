/** Domain parsing and evaluation of the Odoo emulator, as pure functions over a fresh database. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { matches, parseDomain, searchRows } from '../../sandbox/odoo/domain';
import { OdooError, pyRepr } from '../../sandbox/odoo/errors';
import { buildRegistry } from '../../sandbox/odoo/models';
import { seedDatabase } from '../../sandbox/odoo/seed';
import { OdooDb } from '../../sandbox/odoo/store';

let db: OdooDb;
const names = (domain: unknown): string[] =>
  searchRows(db, 'res.partner', domain)
    .map((r) => String(r.name))
    .sort();

beforeAll(() => {
  db = seedDatabase(new OdooDb('unit', buildRegistry(), () => new Date('2026-01-15T10:00:00Z')), 'empty', 'unit');
  db.insert('res.partner', { name: 'Ærøskøbing Trading ApS', is_company: true, email: 'info@aero.example', credit_limit: 5000 }, 7);
  db.insert('res.partner', { name: 'Zoë Müller', parent_id: 7, email: 'zoe@aero.example', type: 'contact' }, 8);
  db.insert('res.partner', { name: 'Łukasz Żółć', parent_id: 7, email: false, type: 'delivery' }, 9);
  db.insert('res.partner', { name: 'Grandchild', parent_id: 8, type: 'contact' }, 12);
  db.insert('res.partner', { name: 'Archived Co', is_company: true, active: false }, 13);
});

function raised(domain: unknown): { name: string; message: string } {
  try {
    parseDomain(db, 'res.partner', domain);
  } catch (err) {
    if (err instanceof OdooError) return { name: err.odooName, message: err.message };
    throw err;
  }
  throw new Error('no error raised');
}

describe('domain errors (odoo/osv/expression.py)', () => {
  it('should reject a non-list domain with the AssertionError of normalize_domain', () => {
    expect(raised('name = x')).toEqual({
      name: 'builtins.AssertionError',
      message: "Domains to normalize must have a 'domain' form: a list or tuple of domain components",
    });
  });
  it('should reject short leaves, unknown fields and unknown operators with ValueError', () => {
    expect(raised([['name', 'ilike']])).toEqual({ name: 'builtins.ValueError', message: 'not enough values to unpack (expected 3, got 2)' });
    expect(raised([['no_such_field', '=', 1]])).toEqual({
      name: 'builtins.ValueError',
      message: "Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)",
    });
    expect(raised([['name', 'bogus', 'x']])).toEqual({ name: 'builtins.ValueError', message: "Invalid leaf ('name', 'bogus', 'x')" });
    expect(raised(['&', ['name', '=', 'x']]).message).toBe("Domain ['&', ['name', '=', 'x']] is syntactically not correct.");
  });
  it('should print values as Python repr does', () => {
    expect(pyRepr(['a', 1, true, null, false, "it's"], true)).toBe(`('a', 1, True, None, False, "it's")`);
  });
});

describe('domain evaluation', () => {
  it('should treat TRUE and FALSE leaves and an empty domain as Odoo does', () => {
    expect(names([[1, '=', 1]])).toEqual(names([]));
    expect(names([[0, '=', 1]])).toEqual([]);
  });
  it('should leave archived records out unless asked', () => {
    expect(names([['is_company', '=', true]])).not.toContain('Archived Co');
    expect(
      names([
        ['active', '=', false],
        ['is_company', '=', true],
      ]),
    ).toEqual(['Archived Co']);
    expect(searchRows(db, 'res.partner', [['name', '=', 'Archived Co']], { active_test: false })).toHaveLength(1);
  });
  it('should combine |, & and ! in prefix notation', () => {
    expect(names(['|', ['email', '=', 'zoe@aero.example'], ['name', '=like', 'Łukasz%']])).toEqual(['Zoë Müller', 'Łukasz Żółć']);
    expect(names(['!', ['parent_id', '=', false]])).toEqual(['Grandchild', 'Zoë Müller', 'Łukasz Żółć']);
    expect(names(['&', ['parent_id', '=', 7], '!', ['email', '=', false]])).toEqual(['Zoë Müller']);
  });
  it('should follow dotted paths and many2one names', () => {
    expect(names([['parent_id.name', 'ilike', 'ÆRØSKØBING']])).toEqual(['Zoë Müller', 'Łukasz Żółć']);
    // a many2one compared with text matches the display name ("Ærøskøbing Trading ApS, Zoë Müller" for 12's parent)
    expect(names([['parent_id', 'ilike', 'trading']])).toEqual(['Grandchild', 'Zoë Müller', 'Łukasz Żółć']);
    expect(names([['parent_id.parent_id.email', '=like', 'info@%']])).toEqual(['Grandchild']);
    expect(names([['child_ids.email', '=', 'zoe@aero.example']])).toEqual(['Ærøskøbing Trading ApS']);
  });
  it('should apply comparison, membership and hierarchy operators', () => {
    expect(names([['credit_limit', '>=', 5000]])).toEqual(['Ærøskøbing Trading ApS']);
    expect(names([['id', 'in', [8, 9]]])).toEqual(['Zoë Müller', 'Łukasz Żółć']);
    expect(names([['id', 'not in', [1, 3, 7, 8, 9]]])).toEqual(['Grandchild']);
    expect(names([['id', 'child_of', 8]])).toEqual(['Grandchild', 'Zoë Müller']);
    expect(names([['id', 'parent_of', 12]])).toEqual(['Grandchild', 'Zoë Müller', 'Ærøskøbing Trading ApS']);
    expect(
      names([
        ['email', 'not ilike', 'aero'],
        ['parent_id', '!=', false],
      ]),
    ).toEqual(['Grandchild', 'Łukasz Żółć']);
    expect(names([['name', 'like', 'zoë']])).toEqual([]);
    expect(names([['name', 'ilike', 'zoË']])).toEqual(['Zoë Müller']);
  });
  it('should evaluate a parsed domain against one row', () => {
    const node = parseDomain(db, 'res.partner', [['commercial_partner_id', '=', 7]]);
    const row = db.get('res.partner', 12);
    expect(row && matches(db, 'res.partner', row, node)).toBe(true);
  });
});
