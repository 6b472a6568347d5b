/**
 * Invalidation by key and by entity, for the mutation pipeline and change capture: after Odoo
 * confirms a write to customer 10, `invalidateEntities(cache, 'acme', [{ type: 'Customer', id: 10 }],
 * ODOO_DEPENDENTS)` removes `Customer:10` and every entry derived from it (its order, invoice and
 * delivery lists, its open balance...). Both go through the cache service's `invalidate`: fetches
 * of those keys in flight on that cache are forgotten too, so their (possibly older) answers are
 * not written back, and its invalidation epoch moves, so records read before are not primed. Entries keyed by something
 * other than the entity's id (a lookup by email or by name) cannot be found from the id: they
 * expire with their TTL.
 */
import type { EntityCache } from './entity-cache';
import { entityKey, entityTypePrefix } from './keys';

export interface EntityRef {
  type: string;
  id: string | number;
}

/**
 * For an entity type, the cached types keyed by that entity's id: `<id>` exactly, or, with
 * `variants`, also `<id>.<variant>` (e.g. a customer's orders per state), found by a prefix scan.
 */
export type DependentTypes = Readonly<Record<string, ReadonlyArray<{ type: string; variants?: boolean }>>>;

/**
 * Deletes the entries of these entities and of everything keyed by their ids in `dependents`:
 * one `delete` round trip for the exact keys, one prefix scan per variant-keyed dependent. Never
 * throws on a cache failure (the cache's contract); the entries then expire with their TTL.
 */
export async function invalidateEntities(cache: EntityCache, tenant: string, refs: readonly EntityRef[], dependents: DependentTypes = {}): Promise<void> {
  const exact: string[] = [];
  const prefixes: string[] = [];
  for (const { type, id } of refs) {
    exact.push(entityKey(tenant, type, id));
    for (const dependent of dependents[type] ?? []) {
      exact.push(entityKey(tenant, dependent.type, id));
      if (dependent.variants) prefixes.push(`${entityTypePrefix(tenant, dependent.type)}${id}.`);
    }
  }
  await cache.invalidate({ keys: exact, prefixes });
}

/** Deletes every cached entry of these entity types of one tenant (a bulk change upstream). */
export async function invalidateTypes(cache: EntityCache, tenant: string, types: readonly string[]): Promise<void> {
  await cache.invalidate({ prefixes: types.map((type) => entityTypePrefix(tenant, type)) });
}
