/**
 * The in-process change-capture primitives (the zero-config default of `npm start`, one process,
 * no Redis): an event bus that fans out on microtasks, leases and capture state in Maps that expire
 * against an injectable clock.
 *
 * Also what both buses share (events.ts is the contract and holds no code): the event codec that
 * every event goes through on its way to a handler, the subscription type whose `ready` a caller may
 * await, and the tenant check. An event reaches a handler as a frozen copy decoded from its JSON, in
 * memory exactly as it would from Redis, so both buses hand out the same shape.
 */
import { z } from 'zod';
import type { CaptureState, ChangeEvent, Disposable, EventBus, LeaseStore } from './events';
import { createRateLimitedLog, type Logger, type RateLimitedLog } from './log';
import { changeEventMetrics } from './metrics';
import { createLogger } from '../platform/log';

/** Used by both buses when the caller passes no logger. */
export const defaultChangeEventLogger: Logger = createLogger('change-events');

/** A subscription of an {@link EventBus}, whose start can be awaited. */
export interface EventSubscription extends Disposable {
  /**
   * Resolves once the subscription is live: every event published after that is delivered. Resolves
   * too when the subscription is disposed (or its bus closed) first; never rejects. In memory it is
   * resolved at once; on Redis it waits for the streams' current positions (retrying while Redis
   * cannot be reached).
   */
  readonly ready: Promise<void>;
}

const ChangeEventSchema = z.object({
  tenant: z.string().min(1),
  type: z.string().min(1),
  id: z.string().min(1),
  kind: z.enum(['created', 'updated', 'deleted']),
  changedFields: z.array(z.string()),
  source: z.enum(['odoo', 'salesforce', 'zendesk', 'gateway']),
  at: z.string().min(1),
  capturedAt: z.number(),
  customer: z.object({ id: z.string().optional(), email: z.string().optional() }).optional(),
});

/** Narrows a decoded JSON value to a frozen {@link ChangeEvent} (unknown members dropped), or undefined. */
export function parseChangeEvent(raw: unknown): ChangeEvent | undefined {
  const parsed = ChangeEventSchema.safeParse(raw);
  return parsed.success ? freeze(parsed.data) : undefined;
}

function freeze({ customer, changedFields, ...rest }: z.infer<typeof ChangeEventSchema>): ChangeEvent {
  return Object.freeze({
    ...rest,
    changedFields: Object.freeze(changedFields),
    ...(customer ? { customer: Object.freeze(customer) } : {}),
  });
}

/** Decodes one event from its JSON text: undefined when it is not JSON or not an event. */
export function decodeChangeEvent(text: string): ChangeEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  return parseChangeEvent(raw);
}

/**
 * Checks an event on its way onto a bus: its JSON text (what Redis stores) and the frozen copy a
 * handler gets (what that text decodes to). Throws a TypeError naming what the publisher got wrong.
 */
export function prepareChangeEvent(event: ChangeEvent): { json: string; copy: ChangeEvent } {
  const json: unknown = JSON.stringify(event);
  if (typeof json !== 'string') throw new TypeError('publish: not a change event');
  const parsed = ChangeEventSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
    throw new TypeError(`publish: not a change event: ${issues}`);
  }
  assertTenant('publish', parsed.data.tenant);
  return { json, copy: freeze(parsed.data) };
}

/** A tenant id a stream key can hold: non-empty, no braces (they delimit the Redis hash tag), no whitespace. */
export function assertTenant(op: string, tenant: unknown): asserts tenant is string {
  if (typeof tenant !== 'string' || !/^[^\s{}]+$/.test(tenant)) {
    throw new TypeError(`${op}: not a tenant id: ${JSON.stringify(tenant)}`);
  }
}

/** Distinct tenants of a subscribe() call, each checked. */
export function subscribedTenants(tenants: readonly string[]): string[] {
  for (const tenant of tenants) assertTenant('subscribe', tenant);
  return [...new Set(tenants)];
}

/** Calls a handler; a throw is logged (rate-limited) and counted, never propagated. */
export function deliver(handler: (event: ChangeEvent) => void, event: ChangeEvent, log: RateLimitedLog): void {
  try {
    handler(event);
  } catch (err) {
    changeEventMetrics.dropped.inc({ reason: 'handler_error' });
    log.warn('change event handler threw', err, { tenant: event.tenant, type: event.type });
  }
}

/** A positive integer number of ms, or a TypeError naming the operation. */
export function assertTtl(op: string, ttlMs: unknown): asserts ttlMs is number {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new TypeError(`${op}: ttlMs must be a positive integer, got ${String(ttlMs)}`);
  }
}

/** The in-process {@link EventBus}: delivers within this process only. */
export interface MemoryEventBus extends EventBus {
  readonly kind: 'memory';
  subscribe(tenants: readonly string[], handler: (event: ChangeEvent) => void): EventSubscription;
}

/** Options of {@link createMemoryEventBus}. */
export interface MemoryEventBusOptions {
  /** @default a pino logger named 'change-events' */
  logger?: Logger;
}

interface MemorySubscriber {
  active: boolean;
  readonly handler: (event: ChangeEvent) => void;
}

/**
 * An in-process bus. Each publish decodes one frozen copy of the event and queues one microtask per
 * current subscriber of its tenant, so delivery is in publish order and never re-enters the publisher.
 */
export function createMemoryEventBus(opts: MemoryEventBusOptions = {}): MemoryEventBus {
  const log = createRateLimitedLog(opts.logger ?? defaultChangeEventLogger);
  const byTenant = new Map<string, Set<MemorySubscriber>>();
  let closed = false;

  return {
    kind: 'memory',
    async publish(event) {
      if (closed) throw new Error('publish: the change event bus is closed');
      const { copy } = prepareChangeEvent(event);
      changeEventMetrics.published.inc({ tenant: copy.tenant, source: copy.source, type: copy.type });
      for (const subscriber of byTenant.get(copy.tenant) ?? []) {
        queueMicrotask(() => {
          if (subscriber.active) deliver(subscriber.handler, copy, log);
        });
      }
    },
    subscribe(tenants, handler) {
      if (closed) throw new Error('subscribe: the change event bus is closed');
      const distinct = subscribedTenants(tenants);
      const subscriber: MemorySubscriber = { active: true, handler };
      for (const tenant of distinct) {
        let set = byTenant.get(tenant);
        if (!set) byTenant.set(tenant, (set = new Set()));
        set.add(subscriber);
      }
      return {
        ready: Promise.resolve(),
        dispose() {
          if (!subscriber.active) return;
          subscriber.active = false;
          for (const tenant of distinct) {
            const set = byTenant.get(tenant);
            set?.delete(subscriber);
            if (set?.size === 0) byTenant.delete(tenant);
          }
        },
      };
    },
    async close() {
      closed = true;
      for (const set of byTenant.values()) for (const subscriber of set) subscriber.active = false;
      byTenant.clear();
    },
  };
}

/** Options of the in-process lease store and capture state. */
export interface MemoryStoreOptions {
  /** Epoch ms now, for every expiry decision (tests inject a clock they move). @default Date.now */
  clock?: () => number;
}

/**
 * A Map whose entries expire against `clock`. Expired entries are dropped when read, and all of them
 * in one sweep whenever the map has doubled since the last sweep: amortised O(1), no timer.
 */
function expiringMap<V>(clock: () => number) {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  let sweepAt = 1_024;
  return {
    get(key: string): V | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt > clock()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key: string, value: V, ttlMs: number | undefined): void {
      entries.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : clock() + ttlMs });
      if (entries.size < sweepAt) return;
      const now = clock();
      for (const [k, entry] of entries) if (entry.expiresAt <= now) entries.delete(k);
      sweepAt = Math.max(1_024, entries.size * 2);
    },
    delete(key: string): void {
      entries.delete(key);
    },
  };
}

/** In-process leases: exclusive within this process only (one process needs no more). */
export function createMemoryLeaseStore(opts: MemoryStoreOptions = {}): LeaseStore {
  const leases = expiringMap<string>(opts.clock ?? Date.now);
  return {
    async acquire(name, holder, ttlMs) {
      assertTtl('acquire', ttlMs);
      const current = leases.get(name);
      if (current !== undefined && current !== holder) return false;
      leases.set(name, holder, ttlMs);
      return true;
    },
    async renew(name, holder, ttlMs) {
      assertTtl('renew', ttlMs);
      if (leases.get(name) !== holder) return false;
      leases.set(name, holder, ttlMs);
      return true;
    },
    async release(name, holder) {
      if (leases.get(name) === holder) leases.delete(name);
    },
  };
}

/** In-process capture state: lost with the process (cursors restart from the capture's default). */
export function createMemoryCaptureState(opts: MemoryStoreOptions = {}): CaptureState {
  const values = expiringMap<string>(opts.clock ?? Date.now);
  return {
    async get(key) {
      return values.get(key);
    },
    async set(key, value, ttlMs) {
      if (ttlMs !== undefined) assertTtl('set', ttlMs);
      values.set(key, value, ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      assertTtl('setIfAbsent', ttlMs);
      if (values.get(key) !== undefined) return false;
      values.set(key, value, ttlMs);
      return true;
    },
  };
}
