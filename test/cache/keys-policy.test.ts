/** Pure parts of the entity cache: key shape, policies, log redaction, the factory's choice. */
import { describe, expect, it } from '@jest/globals';
import { createEntityCache } from '../../cache/index';
import { CACHE_SCHEMA_VERSION, entityKey, entityTypeOfKeys, entityTypePrefix, isEntityCachePrefix, negativeQuotaKey, tenantOfKey } from '../../cache/keys';
import { describeError, redactSecrets } from '../../cache/log';
import { cachePolicyFor, DEFAULT_CACHE_POLICY } from '../../cache/policy';
import { entryFor } from '../../cache/service';
import { silentLogger } from './helpers';

describe('keys', () => {
  it('should put the tenant first and the schema version before the type', () => {
    expect(entityKey('acme', 'Order', 42)).toBe(`acme:ec:v${CACHE_SCHEMA_VERSION}:Order:42`);
    expect(entityKey('acme', 'Customer', 'a@b.example')).toBe(`acme:ec:v${CACHE_SCHEMA_VERSION}:Customer:a@b.example`);
    expect(entityTypePrefix('acme', 'Order')).toBe(`acme:ec:v${CACHE_SCHEMA_VERSION}:Order:`);
    expect(entityKey('acme', 'Order', 42).startsWith(entityTypePrefix('acme', 'Order'))).toBe(true);
  });

  it('should refuse tenants and types that could alias another tenant or a glob', () => {
    for (const tenant of ['', 'a:b', 'a*', 'a b', 'a[1]']) expect(() => entityKey(tenant, 'Order', 1)).toThrow(TypeError);
    for (const type of ['', 'Order:Line', 'Ord?r']) expect(() => entityTypePrefix('acme', type)).toThrow(TypeError);
    expect(() => entityKey('acme', 'Order', '')).toThrow(TypeError);
    expect(() => entityKey('acme', 'Order', Number.NaN)).toThrow(TypeError);
  });

  it('should accept as invalidation prefixes only tenant-scoped entity cache prefixes', () => {
    expect(isEntityCachePrefix(entityTypePrefix('acme', 'Order'))).toBe(true);
    expect(isEntityCachePrefix('acme:ec:')).toBe(true);
    for (const p of ['', 'acme', 'acme:', ':ec:', '*:ec:', 'acme:idem:']) expect(isEntityCachePrefix(p)).toBe(false);
  });

  it('should find the tenant of any key, whatever its id holds, and keep the not-found quota key out of every entity prefix', () => {
    for (const id of ['S00102:filling', 'S00102*', 'a b', 'x:ec:v3:Order:1', 'globex:ec:v3:Order:1'])
      expect(tenantOfKey(entityKey('acme', 'OrderName', id))).toBe('acme');
    expect(tenantOfKey('lease:odoo:acme')).toBe('');
    expect(negativeQuotaKey('acme')).toBe('acme:ecq:negative');
    expect(isEntityCachePrefix(negativeQuotaKey('acme'))).toBe(false);
    expect(tenantOfKey(negativeQuotaKey('acme'))).toBe('');
    expect(() => negativeQuotaKey('a:b')).toThrow(TypeError);
  });

  it('should label a batch by its type', () => {
    expect(entityTypeOfKeys([entityKey('a', 'Order', 1), entityKey('b', 'Order', 2)])).toBe('Order');
    expect(entityTypeOfKeys([entityKey('a', 'Order', 1), entityKey('a', 'Ticket', 2)])).toBe('mixed');
    expect(entityTypeOfKeys([])).toBe('unknown');
  });
});

describe('cachePolicyFor', () => {
  const order = { ttlSeconds: 60, maxStaleSeconds: 900, negativeTtlSeconds: 30 };

  it("should give an entity its subgraph's lifetimes, and the general default without any", () => {
    expect(cachePolicyFor('Order', order)).toEqual(order);
    expect(cachePolicyFor('NoSuchType')).toEqual(DEFAULT_CACHE_POLICY);
  });

  it("should apply the tenant's TTL override of that entity only, keeping negatives no longer than the TTL", () => {
    const overrides = { Order: 10, Customer: 5 };
    expect(cachePolicyFor('Order', order, overrides)).toEqual({ ...order, ttlSeconds: 10, negativeTtlSeconds: 10 });
    expect(cachePolicyFor('Ticket', order, overrides)).toEqual(order);
    expect(cachePolicyFor('toString', order, overrides)).toEqual(order); // no prototype lookups
  });

  it('should expire a not-found with its freshness (never stale), and keep a record its stale window', () => {
    const policy = { ttlSeconds: 300, maxStaleSeconds: 3_600, negativeTtlSeconds: 60 };
    expect(entryFor(null, policy, 1_000)).toEqual({ value: null, storedAt: 1_000, freshUntil: 61_000, staleUntil: 61_000 });
    expect(entryFor({ id: 1 }, policy, 1_000)).toEqual({ value: { id: 1 }, storedAt: 1_000, freshUntil: 301_000, staleUntil: 3_901_000 });
  });

  it('should return a copy the caller may change', () => {
    const p = cachePolicyFor('Order', order);
    p.ttlSeconds = 1;
    expect(order.ttlSeconds).toBe(60);
  });

  it('should refuse an override that is not a positive number, naming it', () => {
    expect(() => cachePolicyFor('Order', order, { Order: 0 })).toThrow(/cache\.ttlSeconds\.Order/);
    expect(() => cachePolicyFor('Order', order, { Order: Number.POSITIVE_INFINITY })).toThrow(TypeError);
  });
});

describe('log hygiene', () => {
  it('should redact credentials from URLs in messages', () => {
    expect(redactSecrets('connect to redis://default:s3cret@cache.internal:6379 failed')).toBe('connect to redis://***@cache.internal:6379 failed');
    expect(describeError(new Error('WRONGPASS rediss://:hunter2@h/0'))).toEqual({ name: 'Error', message: 'WRONGPASS rediss://***@h/0' });
  });
});

describe('createEntityCache', () => {
  it('should choose memory without a Redis URL and Redis with one', async () => {
    const memory = createEntityCache({ logger: silentLogger });
    const redis = createEntityCache({ redisUrl: 'redis://127.0.0.1:6379', logger: silentLogger });
    expect([memory.kind, redis.kind]).toEqual(['memory', 'redis']);
    await Promise.all([memory.close(), redis.close()]);
  });
});
