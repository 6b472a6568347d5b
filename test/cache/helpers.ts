/** Helpers of the entity cache tests (real Redis, never a mock). */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pino from 'pino';
import { Redis } from 'ioredis';
import type { Counter } from 'prom-client';

export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** A tenant id no other test file (or run) uses: `t-<label>-<hex>`. */
export const randomTenant = (label: string): string => `t-${label}-${randomBytes(4).toString('hex')}`;

export const silentLogger = pino({ level: 'silent' });

/** A logger whose lines are collected, to assert what (and how much) was logged. */
export function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** The current value of a counter for exactly these labels (0 when never incremented). */
export async function counterValue(counter: Counter<string>, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return hit?.value ?? 0;
}

/** A clock a test moves by hand, for a cache's `clock` option: expiry without sleeping. */
export interface ManualClock {
  /** Pass this as the cache's `clock`. */
  readonly now: () => number;
  advance(ms: number): void;
}

export function manualClock(start = Date.now()): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** A promise and its resolver: a gate a test opens when it has arranged what it wants. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * A fetchMany over a fixed table that records every call's keys, like DataLoader's `idLoader()`.
 * With `held`, every call waits for that promise before answering (a slow upstream whose answer the
 * test releases), so concurrent loaders overlap by construction, not by timing.
 */
export function countingFetch<K extends string | number, V>(table: ReadonlyMap<K, V>, opts: { held?: Promise<void> } = {}) {
  const calls: K[][] = [];
  let failWith: unknown;
  const fetchMany = async (keys: readonly K[]): Promise<Map<K, V>> => {
    calls.push([...keys]);
    if (opts.held) await opts.held;
    if (failWith !== undefined) throw failWith;
    const found = new Map<K, V>();
    for (const k of keys) {
      const v = table.get(k);
      if (v !== undefined) found.set(k, v);
    }
    return found;
  };
  return {
    fetchMany,
    calls,
    /** Every later call rejects with `err` (undefined: answer again). */
    failWith(err: unknown) {
      failWith = err;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; rejects after `timeoutMs`. For conditions outside the test's control (a server starting, a client reconnecting). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A fresh random tenant per call, each deleted from the shared Redis after the file's tests. */
export function tenantsCleanedUpAfterAll(): (label: string) => string {
  const tenants: string[] = [];
  afterAll(() => cleanUpTenants(tenants));
  return (label) => {
    const t = randomTenant(label);
    tenants.push(t);
    return t;
  };
}

/** Deletes every key of these tenants from the shared Redis (SCAN + UNLINK) and closes its client. */
export async function cleanUpTenants(tenants: readonly string[]): Promise<void> {
  const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const tenant of tenants) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${tenant}:*`, 'COUNT', 1_000);
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** All keys in the shared Redis matching `pattern`. */
export async function scanKeys(pattern: string): Promise<string[]> {
  const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const found: string[] = [];
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return found;
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A throw-away redis-server of this test file (never the shared one), without persistence. */
export class OwnRedisServer {
  private child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it and waits (bounded) until it answers PING. */
  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      disconnectTimeout: 50,
    });
    probe.on('error', () => undefined);
    try {
      await waitFor(`redis-server on port ${this.port}`, async () => {
        if (!this.child) throw new Error(`redis-server on port ${this.port} exited`);
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      });
    } finally {
      probe.disconnect();
    }
  }

  /** Kills it (SIGKILL, like a crash) and waits (bounded) until it has exited. Idempotent. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      timer = setTimeout(resolve, 5_000); // bounded: never hang a test on a child that will not die
    });
    child.kill('SIGKILL');
    await exited.finally(() => clearTimeout(timer));
  }
}
