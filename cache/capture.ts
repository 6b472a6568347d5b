/**
 * Change capture's dependencies in one object: the event bus, leases and capture state, on Redis
 * when a URL is configured (shared by every replica), else in-process (one process, the zero-config
 * default). The Redis flavour shares one client between the three; its bus adds one blocking reader
 * connection of its own while something is subscribed.
 */
import { Redis } from 'ioredis';
import type { ChangeCapture } from './events';
import { createRateLimitedLog, type Logger } from './log';
import { createMemoryCaptureState, createMemoryEventBus, createMemoryLeaseStore, defaultChangeEventLogger, type MemoryEventBus } from './memory-events';
import { redisClientOptions, type RedisClientTuning } from './redis-cache';
import {
  createRedisCaptureState,
  createRedisEventBus,
  createRedisLeaseStore,
  ended,
  settlesWithin,
  type RedisEventBus,
  type RedisEventBusOptions,
} from './redis-events';

/** Options of {@link createChangeCapture}. */
export interface ChangeCaptureOptions {
  /** Redis when set, else in-process. */
  redisUrl?: string | undefined;
  /** @default a pino logger named 'change-events' */
  logger?: Logger | undefined;
  /** Epoch ms now, for in-process lease and state expiry (Redis expires on its own clock). @default Date.now */
  clock?: (() => number) | undefined;
  /** Redis only: a prefix for every key (e.g. `staging:`), so deployments or test runs sharing a Redis never share streams, leases or cursors. */
  keyPrefix?: string | undefined;
}

/** Change capture within one process. */
export interface MemoryChangeCapture extends ChangeCapture {
  readonly kind: 'memory';
  readonly bus: MemoryEventBus;
}

/** Change capture on Redis, shared by every replica. */
export interface RedisChangeCapture extends ChangeCapture {
  readonly kind: 'redis';
  readonly bus: RedisEventBus;
  /** The client of publishes, leases and state (for health checks and tests). */
  readonly client: Redis;
}

/** Redis when `redisUrl` is set, else in-process. */
export function createChangeCapture(opts: ChangeCaptureOptions = {}): MemoryChangeCapture | RedisChangeCapture {
  const { redisUrl, logger, clock, keyPrefix } = opts;
  return redisUrl
    ? createRedisChangeCapture({ url: redisUrl, ...(logger ? { logger } : {}), ...(keyPrefix ? { keyPrefix } : {}) })
    : createMemoryChangeCapture({ ...(logger ? { logger } : {}), ...(clock ? { clock } : {}) });
}

/** In-process change capture: nothing to connect, nothing shared beyond this process. */
export function createMemoryChangeCapture(opts: { logger?: Logger; clock?: () => number } = {}): MemoryChangeCapture {
  const bus = createMemoryEventBus(opts.logger ? { logger: opts.logger } : {});
  const store = opts.clock ? { clock: opts.clock } : {};
  return { kind: 'memory', bus, leases: createMemoryLeaseStore(store), state: createMemoryCaptureState(store), close: () => bus.close() };
}

interface CommonRedisOptions extends RedisClientTuning, Omit<RedisEventBusOptions, 'client'> {
  /** Prefix of every key (streams, leases, state) of a client change capture creates: one deployment's keys apart from another's on a shared Redis. */
  keyPrefix?: string;
}

/** Options of {@link createRedisChangeCapture}: a URL (its own client) or a client (the caller's). */
export type RedisChangeCaptureOptions =
  /** Change capture creates, owns and closes its client (with {@link redisClientOptions}). */
  | (CommonRedisOptions & { url: string; client?: undefined })
  /** A client owned by the caller: `close()` leaves it open (and its 'error' listener is the caller's to add). */
  | (CommonRedisOptions & { client: Redis; url?: undefined });

/** Change capture on Redis, shared by every replica. */
export function createRedisChangeCapture(opts: RedisChangeCaptureOptions): RedisChangeCapture {
  const { url, client: injected, commandTimeoutMs, connectTimeoutMs, maxReconnectDelayMs, keyPrefix, ...busOptions } = opts;
  const logger = opts.logger ?? defaultChangeEventLogger;
  let client: Redis;
  if (injected) {
    client = injected;
  } else {
    client = new Redis(url, { ...redisClientOptions({ commandTimeoutMs, connectTimeoutMs, maxReconnectDelayMs }), ...(keyPrefix ? { keyPrefix } : {}) });
    const log = createRateLimitedLog(logger, { intervalMs: opts.logIntervalMs ?? 30_000 });
    // Kept for the client's whole life, so a late error after close() is still handled.
    client.on('error', (err: unknown) => log.warn('redis change capture connection error', err, { op: 'connection' }));
  }
  const bus = createRedisEventBus({ ...busOptions, logger, client });
  let closing: Promise<void> | undefined;
  return {
    kind: 'redis',
    client,
    bus,
    leases: createRedisLeaseStore({ client }),
    state: createRedisCaptureState({ client }),
    close() {
      closing ??= (async () => {
        await bus.close();
        if (injected) return;
        const gone = ended(client, 1_000);
        if (!(client.status === 'ready' && (await settlesWithin(client.quit(), 1_000)))) client.disconnect();
        await gone;
      })();
      return closing;
    },
  };
}
