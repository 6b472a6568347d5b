/**
 * Entity cache keys. Every key starts with the tenant, so one tenant's entries can never be read,
 * overwritten or invalidated through another tenant's key, and carries a schema version, so a
 * change of the cached shape is a version bump instead of a flush.
 *
 * Shape: `${tenant}:ec:v${CACHE_SCHEMA_VERSION}:${type}:${id}`.
 */

/** Bump when the shape of cached values (or of the stored envelope) changes. */
export const CACHE_SCHEMA_VERSION = 3;

/** Tenant ids and entity types never hold the separator nor a Redis glob character. */
const SEGMENT = /^[^:*?[\]\\\s]+$/;

function assertSegment(what: 'tenant' | 'type', value: unknown): asserts value is string {
  if (typeof value !== 'string' || !SEGMENT.test(value)) {
    throw new TypeError(`entity cache: invalid ${what} ${JSON.stringify(value)} (non-empty, no ':', '*', '?', '[', ']', '\\' or spaces)`);
  }
}

/** `${tenant}:ec:v${CACHE_SCHEMA_VERSION}:${type}:` — everything cached for one entity type of one tenant. */
export function entityTypePrefix(tenant: string, type: string): string {
  assertSegment('tenant', tenant);
  assertSegment('type', type);
  return `${tenant}:ec:v${CACHE_SCHEMA_VERSION}:${type}:`;
}

/** The cache key of one entity of one tenant. Throws a TypeError on an empty tenant, type or id. */
export function entityKey(tenant: string, type: string, id: string | number): string {
  if (typeof id === 'number' ? !Number.isFinite(id) : typeof id !== 'string' || id.length === 0) {
    throw new TypeError(`entity cache: invalid id ${JSON.stringify(id)} for ${type}`);
  }
  return `${entityTypePrefix(tenant, type)}${id}`;
}

/**
 * The tenant a key (or prefix) belongs to: its text before `:ec:`; `''` for anything that is not an
 * entity cache key. The tenant segment holds no `:` (see `entityTypePrefix`), so the first `:ec:` is
 * the tenant's, whatever the id holds.
 * @private
 */
export function tenantOfKey(key: string): string {
  const at = key.indexOf(':ec:');
  return at > 0 ? key.slice(0, at) : '';
}

/**
 * The key of a tenant's not-found quota counter in Redis (redis-cache.ts): `${tenant}:ecq:negative`.
 * Its second segment is `ecq`, never `ec`, so no entity key (whatever its id) and no invalidation
 * prefix (`isEntityCachePrefix`) can equal or cover it.
 * @private
 */
export function negativeQuotaKey(tenant: string): string {
  assertSegment('tenant', tenant);
  return `${tenant}:ecq:negative`;
}

/**
 * Whether `prefix` is safe to invalidate by: it names at least one tenant's entity cache
 * (`${tenant}:ec:`), so a bad call can never wipe other tenants or other data in Redis.
 * @private
 */
export function isEntityCachePrefix(prefix: string): boolean {
  return /^[^:*?[\]\\\s]+:ec:/.test(prefix);
}

/**
 * The entity type a key or prefix belongs to, for metric labels; `'unknown'` for anything else.
 * @private
 */
export function entityTypeOfKey(key: string): string {
  const parts = key.split(':', 5);
  return parts[1] === 'ec' && parts[3] ? parts[3] : 'unknown';
}

/**
 * One metric label for a batch of keys: their type, `'mixed'` when they differ.
 * @private
 */
export function entityTypeOfKeys(keys: readonly string[]): string {
  const first = keys[0];
  if (first === undefined) return 'unknown';
  const type = entityTypeOfKey(first);
  return keys.every((k) => entityTypeOfKey(k) === type) ? type : 'mixed';
}
