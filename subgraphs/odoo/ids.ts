/** Odoo ids are PostgreSQL `serial`s: 1 to 2^31-1. */
const MAX_ODOO_ID = 2_147_483_647;

/** An Odoo id from a GraphQL `ID`, or `null` when the value cannot be one. */
export function toOdooId(raw: unknown): number | null {
  const s = typeof raw === 'number' ? String(raw) : raw;
  if (typeof s !== 'string' || !/^[1-9][0-9]{0,9}$/.test(s)) return null;
  const n = Number(s);
  return n <= MAX_ODOO_ID ? n : null;
}
