/**
 * The Redis change-capture primitives (ioredis), shared by every replica:
 * - an event bus on Redis Streams, one stream per tenant (`events:{<tenant>}`, the braces a hash tag
 *   so a tenant's keys share a cluster slot), capped with `MAXLEN ~`;
 * - leases: `SET NX PX`, renewed and released by compare-and-set scripts (`lease:<name>`);
 * - capture state: plain strings with an optional TTL (`capture:<key>`).
 *
 * Reading: one blocking reader connection per bus (a duplicate of the client, owned by the bus) runs
 * one XREAD loop over the streams of every subscribed tenant and fans entries out to subscribers.
 * The reader lives while there are subscriptions: the first subscribe opens it, disposing the last
 * one (or close()) disconnects it, so a bus nobody listens to holds no connection of its own.
 * Each bus keeps its own last id per stream, so after a disconnect it reads on from there and loses
 * nothing the stream still holds. A subscription starts after its streams' last ids at subscribe
 * time (read with XREVRANGE, never `$`), so an event published once `ready` resolves is never missed.
 * An entry that does not decode, or whose `tenant` is not its stream's, is dropped and counted.
 *
 * Redis Cluster: one XREAD names the streams of several tenants, hence several slots; a cluster
 * deployment would need one reader per node (not needed while Redis is one node, as for the cache).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CaptureState, ChangeEvent, EventBus, LeaseStore } from './events';
import { createRateLimitedLog, type Logger } from './log';
import {
  assertTtl,
  decodeChangeEvent,
  defaultChangeEventLogger,
  deliver,
  prepareChangeEvent,
  subscribedTenants,
  type EventSubscription,
} from './memory-events';
import { changeEventMetrics } from './metrics';

/** The stream of one tenant's change events. */
export const eventStreamKey = (tenant: string): string => `events:{${tenant}}`;
/** The key prefix of leases. */
export const LEASE_KEY_PREFIX = 'lease:';
/** The key prefix of capture state. */
export const CAPTURE_KEY_PREFIX = 'capture:';

/** Orders two stream ids (`<ms>-<seq>`, decimal, as Redis writes them) without losing precision. */
export function compareStreamIds(a: string, b: string): number {
  const digits = (x: string, y: string): number => x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  const [aMs = '', aSeq = ''] = a.split('-');
  const [bMs = '', bSeq = ''] = b.split('-');
  return digits(aMs, bMs) || digits(aSeq, bSeq);
}

/** Resolves after `ms`, when `signal` aborts, or when `cut` is called; its timer is unref'd and always cleared. */
function pause(ms: number, signal: AbortSignal): { done: Promise<void>; cut: () => void } {
  let cut!: () => void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(() => cut(), ms);
    timer.unref();
    cut = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', cut);
      resolve();
    };
    signal.addEventListener('abort', cut, { once: true });
  });
  return { done, cut };
}

/**
 * Resolves when `promise` settles or after `ms`, whichever is first: true when it fulfilled in time,
 * false when it rejected or timed out. Never rejects; the timer never outlives the race.
 * @private
 */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => false,
  );
  return Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
}

const noop = (): void => undefined;

/**
 * Resolves once `connection` has ended (its socket closed for good), or after `ms`. Call it before
 * quit() or disconnect(); it never rejects.
 * @private
 */
export async function ended(connection: Redis, ms: number): Promise<void> {
  if (connection.status === 'end') return;
  await settlesWithin(new Promise<void>((resolve) => connection.once('end', resolve)), ms);
}

/** How long past its BLOCK a read may go unanswered before the reader gives the connection up. */
const SILENCE_GRACE_MS = 2_000;

/** ioredis's rejection of a command past `commandTimeout`. */
const isCommandTimeout = (err: unknown): boolean => err instanceof Error && err.message === 'Command timed out';

const backoffMs = (failures: number, maxMs: number): number => Math.min(100 * 2 ** Math.min(failures - 1, 10), maxMs);

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`createRedisEventBus: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/** Options of {@link createRedisEventBus}. */
export interface RedisEventBusOptions {
  /**
   * Publishes and position reads go through it; the bus never closes it (its owner does, after the
   * bus). The blocking reader is a duplicate of it that the bus opens and closes itself.
   */
  client: Redis;
  /** Each tenant's stream is capped at about this many entries (`XADD MAXLEN ~`). @default 10_000 */
  maxLen?: number;
  /**
   * How long one XREAD blocks, in ms. A tenant subscribed while the reader blocks is added at once
   * (CLIENT UNBLOCK); where that command is not allowed, within this delay. @default 2_000
   */
  blockMs?: number;
  /** Entries per stream per XREAD. @default 500 */
  batchSize?: number;
  /** Upper bound of the back-off after a failed read (it grows 100, 200, 400 ms...). @default 2_000 */
  maxBackoffMs?: number;
  /** @default a pino logger named 'change-events' */
  logger?: Logger;
  /** At most one log line per kind of failure per this many ms. @default 30_000 */
  logIntervalMs?: number;
}

/**
 * The {@link EventBus} on Redis Streams, shared by every replica. `publish` rejects while Redis
 * cannot take the event (with the repo's fail-fast client: at once).
 */
export interface RedisEventBus extends EventBus {
  readonly kind: 'redis';
  subscribe(tenants: readonly string[], handler: (event: ChangeEvent) => void): EventSubscription;
  /** The connection name (CLIENT SETNAME) of the bus's blocking reader, to find it in CLIENT LIST. */
  readonly readerName: string;
}

/** One reader connection and its loop. */
interface ReaderSession {
  readonly connection: Redis;
  /** Aborted to end the loop (its pauses end at once). */
  readonly stop: AbortController;
  /** The connection's CLIENT ID while connected, for CLIENT UNBLOCK. */
  id: number | undefined;
  /** True while an XREAD is in flight. */
  blocked: boolean;
  /** Ends the loop's current pause early. */
  wake: (() => void) | undefined;
  /** Settles when the loop has ended. */
  done: Promise<void>;
}

interface RedisSubscriber {
  active: boolean;
  readonly handler: (event: ChangeEvent) => void;
  /** Per tenant: the stream's last id when the subscription started; only later entries are its. */
  readonly after: Map<string, string>;
}

/** An event bus on Redis Streams; see the module comment. */
export function createRedisEventBus(opts: RedisEventBusOptions): RedisEventBus {
  const { client, logger = defaultChangeEventLogger, logIntervalMs = 30_000 } = opts;
  const maxLen = positiveInteger('maxLen', opts.maxLen ?? 10_000);
  const blockMs = positiveInteger('blockMs', opts.blockMs ?? 2_000);
  const batchSize = positiveInteger('batchSize', opts.batchSize ?? 500);
  const maxBackoffMs = positiveInteger('maxBackoffMs', opts.maxBackoffMs ?? 2_000);
  const log = createRateLimitedLog(logger, { intervalMs: logIntervalMs });
  const readerName = `change-events-reader-${randomBytes(4).toString('hex')}`;
  const keyPrefix = client.options.keyPrefix ?? '';

  const closing = new AbortController();
  let closed: Promise<void> | undefined;
  const subscribers = new Set<RedisSubscriber>();
  /** Live subscribers per tenant (those whose start positions are known). */
  const byTenant = new Map<string, Set<RedisSubscriber>>();
  /** Per subscribed tenant: the last id the reader has read from its stream. */
  const cursors = new Map<string, string>();
  /** The reader while there are subscriptions. */
  let reader: ReaderSession | undefined;
  /** Readers being stopped: close() waits for them. */
  const stopping = new Set<Promise<void>>();

  function startReader(): ReaderSession {
    const session: ReaderSession = {
      connection: openReader(),
      stop: new AbortController(),
      id: undefined,
      blocked: false,
      wake: undefined,
      done: Promise.resolve(),
    };
    session.connection.on('close', () => {
      session.id = undefined;
    });
    session.done = run(session).catch((err: unknown) => log.warn('change event reader stopped', err, { op: 'xread' }));
    return session;
  }

  /** Stops the reader loop and disconnects its connection (which fails the XREAD in flight at once). */
  function stopReader(): void {
    const session = reader;
    if (!session) return;
    reader = undefined;
    session.stop.abort();
    const gone = ended(session.connection, 1_000);
    session.connection.disconnect();
    const stopped = Promise.all([session.done, gone]).then(noop);
    stopping.add(stopped);
    void stopped.finally(() => stopping.delete(stopped));
  }

  function openReader(): Redis {
    const connection = client.duplicate({
      connectionName: readerName,
      lazyConnect: false,
      enableOfflineQueue: false,
      // A blocking read outlives the client's command budget; BLOCK plus a grace bounds every command
      // here instead, so a connection gone silent (a peer lost without a reset) never hangs the loop.
      commandTimeout: blockMs + SILENCE_GRACE_MS,
      // An XREAD cut by a disconnect is sent again on the new connection: a read is safe to repeat.
      autoResendUnfulfilledCommands: true,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, maxBackoffMs),
      disconnectTimeout: 200,
    });
    connection.on('error', (err: unknown) => log.warn('redis change event reader connection error', err, { op: 'connection' }));
    return connection;
  }

  async function lastId(tenant: string): Promise<string> {
    const rows: unknown = await client.xrevrange(eventStreamKey(tenant), '+', '-', 'COUNT', 1);
    const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
    const id: unknown = Array.isArray(first) ? first[0] : undefined;
    return typeof id === 'string' ? id : '0-0';
  }

  /** Learns the subscriber's start positions (retrying while Redis is away), then makes it live. */
  async function start(subscriber: RedisSubscriber, tenants: readonly string[]): Promise<void> {
    for (let failures = 0; subscriber.active;) {
      let ids: string[];
      try {
        ids = await Promise.all(tenants.map(lastId));
      } catch (err) {
        if (!subscriber.active) return;
        failures += 1;
        log.warn('redis read of change stream positions failed', err, { op: 'xrevrange', failures });
        await pause(backoffMs(failures, maxBackoffMs), closing.signal).done;
        continue;
      }
      if (!subscriber.active) return;
      let added = false;
      tenants.forEach((tenant, i) => {
        const id = ids[i] ?? '0-0';
        subscriber.after.set(tenant, id);
        let set = byTenant.get(tenant);
        if (!set) byTenant.set(tenant, (set = new Set()));
        set.add(subscriber);
        if (!cursors.has(tenant)) {
          cursors.set(tenant, id);
          added = true;
        }
      });
      if (added) nudge();
      return;
    }
  }

  /** Makes the reader loop pick up a new tenant now rather than after its current block. */
  function nudge(): void {
    if (!reader) return;
    reader.wake?.();
    if (reader.blocked && reader.id !== undefined) client.client('UNBLOCK', reader.id).catch(noop);
  }

  /** A pause of the reader loop, ended early by a nudge or by stopping the reader. */
  async function nap(session: ReaderSession, ms: number): Promise<void> {
    const { done, cut } = pause(ms, session.stop.signal);
    session.wake = cut;
    await done;
    if (session.wake === cut) session.wake = undefined;
  }

  function drop(reason: 'unparsable' | 'tenant_mismatch', tenant: string): void {
    changeEventMetrics.dropped.inc({ reason });
    const why = reason === 'tenant_mismatch' ? 'the event names another tenant than its stream' : 'not a change event';
    log.warn(`change event dropped (${reason})`, why, { tenant, reason });
  }

  /** The event of one stream entry (fields `event <json>`), or undefined when it is dropped. */
  function decodeEntry(tenant: string, fields: unknown): ChangeEvent | undefined {
    let text: unknown;
    if (Array.isArray(fields)) {
      for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'event') text = fields[i + 1];
    }
    const event = typeof text === 'string' ? decodeChangeEvent(text) : undefined;
    if (!event) {
      drop('unparsable', tenant);
      return undefined;
    }
    if (event.tenant !== tenant) {
      drop('tenant_mismatch', tenant);
      return undefined;
    }
    return event;
  }

  /** Hands each entry of an XREAD reply to the live subscribers of its stream's tenant. */
  function dispatch(tenantOfKey: ReadonlyMap<string, string>, reply: unknown): void {
    if (!Array.isArray(reply)) {
      log.warn('unexpected XREAD reply', 'not an array of streams', { op: 'xread' });
      return;
    }
    for (const stream of reply) {
      const [key, entries]: unknown[] = Array.isArray(stream) ? stream : [];
      const tenant = typeof key === 'string' ? tenantOfKey.get(key) : undefined;
      if (tenant === undefined || !Array.isArray(entries)) continue;
      for (const entry of entries) {
        const [id, fields]: unknown[] = Array.isArray(entry) ? entry : [];
        if (typeof id !== 'string') continue;
        const cursor = cursors.get(tenant);
        if (cursor !== undefined && compareStreamIds(id, cursor) > 0) cursors.set(tenant, id);
        const event = decodeEntry(tenant, fields);
        if (!event) continue;
        for (const subscriber of byTenant.get(tenant) ?? []) {
          const after = subscriber.after.get(tenant);
          if (subscriber.active && after !== undefined && compareStreamIds(id, after) > 0) deliver(subscriber.handler, event, log);
        }
      }
    }
  }

  /** The reader loop: never throws, ends when its reader is stopped. */
  async function run(session: ReaderSession): Promise<void> {
    const { connection, stop } = session;
    let failures = 0;
    while (!stop.signal.aborted) {
      if (cursors.size === 0) {
        await nap(session, blockMs); // subscriptions still starting
        continue;
      }
      const tenantOfKey = new Map<string, string>();
      const keys: string[] = [];
      const ids: string[] = [];
      for (const [tenant, id] of cursors) {
        tenantOfKey.set(keyPrefix + eventStreamKey(tenant), tenant);
        keys.push(eventStreamKey(tenant));
        ids.push(id);
      }
      let reply: unknown;
      try {
        session.id ??= await connection.client('ID');
        session.blocked = true;
        reply = await connection.call('XREAD', 'COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', ...keys, ...ids);
      } catch (err) {
        if (stop.signal.aborted) break;
        failures += 1;
        log.warn('redis read of change events failed', err, { op: 'xread', failures });
        if (connection.status === 'end') connection.connect().catch(noop);
        else if (isCommandTimeout(err)) connection.disconnect(true); // reconnect: this connection went silent
        await nap(session, backoffMs(failures, maxBackoffMs));
        continue;
      } finally {
        session.blocked = false;
      }
      if (failures > 0) log.info('redis read of change events resumed', { op: 'xread', failures });
      failures = 0;
      if (reply !== null) dispatch(tenantOfKey, reply); // null: the block timed out, or was cut short
    }
  }

  return {
    kind: 'redis',
    readerName,
    async publish(event) {
      if (closed) throw new Error('publish: the change event bus is closed');
      const { json } = prepareChangeEvent(event);
      await client.xadd(eventStreamKey(event.tenant), 'MAXLEN', '~', maxLen, '*', 'event', json);
      changeEventMetrics.published.inc({ tenant: event.tenant, source: event.source, type: event.type });
    },
    subscribe(tenants, handler) {
      if (closed) throw new Error('subscribe: the change event bus is closed');
      const distinct = subscribedTenants(tenants);
      const subscriber: RedisSubscriber = { active: true, handler, after: new Map() };
      const dispose = (): void => {
        if (!subscriber.active) return;
        subscriber.active = false;
        subscribers.delete(subscriber);
        for (const tenant of distinct) {
          const set = byTenant.get(tenant);
          if (set?.delete(subscriber) && set.size === 0) {
            byTenant.delete(tenant);
            cursors.delete(tenant);
          }
        }
        if (subscribers.size === 0) stopReader();
      };
      if (distinct.length === 0) return { ready: Promise.resolve(), dispose };
      subscribers.add(subscriber);
      reader ??= startReader();
      const ready = start(subscriber, distinct).catch((err: unknown) => log.warn('change event subscription did not start', err, { op: 'subscribe' }));
      return { ready, dispose };
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        for (const subscriber of subscribers) subscriber.active = false;
        subscribers.clear();
        byTenant.clear();
        cursors.clear();
        stopReader();
        await Promise.all(stopping);
      })();
      return closed;
    },
  };
}

/** A Lua script run by EVALSHA, loaded with EVAL when the server does not know it yet. */
function script(lua: string): (client: Redis, key: string, ...args: Array<string | number>) => Promise<unknown> {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (client, key, ...args) => {
    try {
      return await client.evalsha(sha, 1, key, ...args);
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      return client.eval(lua, 1, key, ...args);
    }
  };
}

/** PEXPIREs the lease only while ARGV[1] holds it. */
const renewLease = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`);
/** Deletes the lease only while ARGV[1] holds it. */
const releaseLease = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`);

/** Leases shared by every replica on `client` (which the store never closes). */
export function createRedisLeaseStore({ client }: { client: Redis }): LeaseStore {
  const key = (name: string): string => LEASE_KEY_PREFIX + name;
  return {
    async acquire(name, holder, ttlMs) {
      assertTtl('acquire', ttlMs);
      if ((await client.set(key(name), holder, 'PX', ttlMs, 'NX')) === 'OK') return true;
      return (await renewLease(client, key(name), holder, ttlMs)) === 1;
    },
    async renew(name, holder, ttlMs) {
      assertTtl('renew', ttlMs);
      return (await renewLease(client, key(name), holder, ttlMs)) === 1;
    },
    async release(name, holder) {
      await releaseLease(client, key(name), holder);
    },
  };
}

/** Capture state shared by every replica on `client` (which the store never closes). */
export function createRedisCaptureState({ client }: { client: Redis }): CaptureState {
  const key = (name: string): string => CAPTURE_KEY_PREFIX + name;
  return {
    async get(name) {
      return (await client.get(key(name))) ?? undefined;
    },
    async set(name, value, ttlMs) {
      if (ttlMs === undefined) {
        await client.set(key(name), value);
        return;
      }
      assertTtl('set', ttlMs);
      await client.set(key(name), value, 'PX', ttlMs);
    },
    async setIfAbsent(name, value, ttlMs) {
      assertTtl('setIfAbsent', ttlMs);
      return (await client.set(key(name), value, 'PX', ttlMs, 'NX')) === 'OK';
    },
  };
}
