/**
 * How a subgraph describes its entities, once, next to its schema: how long each is cached, and
 * which cached entries derive from one of its records (to invalidate with it). The kit's loaders
 * and the cache read these descriptions; no list of entity types lives outside the subgraph that
 * owns them. (A field's upstream-call weight is declared in the schema itself, `@cost(weight: N)`;
 * who may read a field, in the subgraph's permissions.ts.)
 */
import type { CachePolicy, DependentTypes } from '../../cache';

export interface EntityDescription {
  /** Cache lifetimes of its records (a tenant may override `ttlSeconds` under the entity's name). */
  readonly cache: Readonly<CachePolicy>;
  /**
   * Other cached types that hold this entity's data under another key (a lookup by email, a list of
   * a customer's orders): they share its lifetimes and its tenant override.
   */
  readonly derived?: readonly string[];
  /** Cached types keyed by one record's id (optionally `<id>.<variant>`) that change when it does. */
  readonly dependents?: ReadonlyArray<{ type: string; variants?: boolean }>;
}

export type EntityDescriptions = Readonly<Record<string, EntityDescription>>;

/** A cache policy: fresh for `ttlSeconds`, servable `maxStaleSeconds` more in an outage, not-found remembered `negativeTtlSeconds`. */
export const cacheFor = (ttlSeconds: number, maxStaleSeconds: number, negativeTtlSeconds: number): Readonly<CachePolicy> =>
  Object.freeze({ ttlSeconds, maxStaleSeconds, negativeTtlSeconds });

/** The entity a cache type belongs to (itself, or the one it is derived from), with its policy. */
export function entityOf(entities: EntityDescriptions, cacheType: string): { entity: string; cache: Readonly<CachePolicy> } {
  if (Object.hasOwn(entities, cacheType)) return { entity: cacheType, cache: entities[cacheType]!.cache };
  for (const [entity, d] of Object.entries(entities)) if (d.derived?.includes(cacheType)) return { entity, cache: d.cache };
  throw new TypeError(`cache type ${cacheType} is described by no entity of this subgraph (add it to its entities.ts)`);
}

/** The dependents of every entity, for `invalidateEntities`. */
export function dependentsOf(entities: EntityDescriptions): DependentTypes {
  return Object.fromEntries(
    Object.entries(entities)
      .filter(([, d]) => d.dependents?.length)
      .map(([entity, d]) => [entity, d.dependents ?? []]),
  );
}
