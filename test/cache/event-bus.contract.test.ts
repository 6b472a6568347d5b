/**
 * The EventBus contract, run against both buses: in-process, and Redis Streams on the shared test
 * Redis at 127.0.0.1:6379 under this file's own random tenants (their streams are removed in
 * afterAll). The Redis bus blocks 20 s per read here, so nothing below can pass by waiting for a
 * block to time out: a tenant subscribed mid-block is picked up at once, and close() is prompt.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createRedisChangeCapture } from '../../cache/capture';
import type { ChangeEvent } from '../../cache/events';
import { createMemoryEventBus, type EventSubscription, type MemoryEventBus } from '../../cache/memory-events';
import { changeEventMetrics } from '../../cache/metrics';
import { redisClientOptions } from '../../cache/redis-cache';
import { createRedisEventBus, eventStreamKey, type RedisEventBus } from '../../cache/redis-events';
import { counterValue, freePort, OwnRedisServer, randomTenant, SHARED_REDIS_URL, silentLogger, waitFor } from './helpers';

const usedTenants: string[] = [];
const tenant = (label: string): string => {
  const t = randomTenant(`ev-${label}`);
  usedTenants.push(t);
  return t;
};

/** Publishes, forges entries and inspects streams; every Redis bus of this file shares it. */
const client = new Redis(SHARED_REDIS_URL, redisClientOptions());
client.on('error', () => undefined);
beforeAll(() => waitFor('redis ready', () => client.status === 'ready', 5_000));
afterAll(async () => {
  if (usedTenants.length > 0) await client.unlink(...usedTenants.map(eventStreamKey));
  await client.quit();
});

let seq = 0;
const event = (t: string, overrides: Partial<ChangeEvent> = {}): ChangeEvent => ({
  tenant: t,
  type: 'Order',
  id: String((seq += 1)),
  kind: 'updated',
  changedFields: ['state'],
  source: 'odoo',
  at: '2026-01-01T00:00:00Z',
  capturedAt: Date.now(),
  ...overrides,
});

type Bus = MemoryEventBus | RedisEventBus;

const implementations: Array<[label: string, create: (opts?: { maxLen?: number }) => Bus]> = [
  ['memory', () => createMemoryEventBus({ logger: silentLogger })],
  ['redis', (opts = {}) => createRedisEventBus({ client, logger: silentLogger, blockMs: 20_000, ...opts })],
];

describe.each(implementations)('EventBus contract: %s', (kind, create) => {
  const opened: Bus[] = [];
  const open = (opts?: { maxLen?: number }): Bus => {
    const bus = create(opts);
    opened.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
  });

  /** A live subscription whose events are collected. */
  async function collect(bus: Bus, tenants: readonly string[]): Promise<{ got: ChangeEvent[]; sub: EventSubscription }> {
    const got: ChangeEvent[] = [];
    const sub = bus.subscribe(tenants, (e) => void got.push(e));
    await sub.ready;
    return { got, sub };
  }

  it('should deliver published events in publish order per tenant', async () => {
    const bus = open();
    const [a, b] = [tenant('order-a'), tenant('order-b')];
    const { got } = await collect(bus, [a, b]);
    const published: ChangeEvent[] = [];
    for (let i = 0; i < 10; i += 1) {
      for (const t of [a, b]) {
        const e = event(t);
        published.push(e);
        await bus.publish(e);
      }
    }
    await waitFor('20 events', () => got.length === 20);
    for (const t of [a, b]) {
      expect(got.filter((e) => e.tenant === t)).toEqual(published.filter((e) => e.tenant === t));
    }
  });

  it("should never hand a subscriber another tenant's events, even with equal ids", async () => {
    const bus = open();
    const [a, b] = [tenant('iso-a'), tenant('iso-b')];
    const onA = await collect(bus, [a]);
    const onB = await collect(bus, [b]);
    for (const id of ['7', '8']) {
      await bus.publish(event(b, { id, type: 'Invoice' }));
      await bus.publish(event(a, { id, type: 'Invoice' }));
    }
    // Both have been dispatched once both subscribers have theirs: a stray one would be there by now.
    await waitFor('both tenants served', () => onA.got.length === 2 && onB.got.length === 2);
    expect(onA.got.map((e) => [e.tenant, e.id])).toEqual([
      [a, '7'],
      [a, '8'],
    ]);
    expect(onB.got.map((e) => [e.tenant, e.id])).toEqual([
      [b, '7'],
      [b, '8'],
    ]);
  });

  it('should not deliver events published before subscribe', async () => {
    const bus = open();
    const a = tenant('before');
    const before = event(a);
    await bus.publish(before);
    const { got } = await collect(bus, [a]);
    const after = event(a);
    await bus.publish(after);
    await waitFor('the later event', () => got.length >= 1);
    expect(got).toEqual([after]); // `before` would have come first
  });

  it('should deliver every event to each of two subscribers', async () => {
    const bus = open();
    const a = tenant('two');
    const first = await collect(bus, [a]);
    const second = await collect(bus, [a]);
    const published = [event(a), event(a), event(a)];
    for (const e of published) await bus.publish(e);
    await waitFor('both subscribers served', () => first.got.length === 3 && second.got.length === 3);
    expect(first.got).toEqual(published);
    expect(second.got).toEqual(published);
  });

  it('should stop delivering to a disposed subscription (dispose being idempotent)', async () => {
    const bus = open();
    const a = tenant('dispose');
    const disposed = await collect(bus, [a]);
    const kept = await collect(bus, [a]);
    const first = event(a);
    await bus.publish(first);
    await waitFor('the first event, twice', () => disposed.got.length === 1 && kept.got.length === 1);
    disposed.sub.dispose();
    disposed.sub.dispose();
    const second = event(a);
    await bus.publish(second);
    await waitFor('the second event', () => kept.got.length === 2);
    expect(disposed.got).toEqual([first]);
    expect(kept.got).toEqual([first, second]);
  });

  it('should resume delivery for a tenant whose last subscriber left and a new one came', async () => {
    const bus = open();
    const a = tenant('again');
    const gone = await collect(bus, [a]);
    gone.sub.dispose();
    await bus.publish(event(a));
    const back = await collect(bus, [a]);
    const later = event(a);
    await bus.publish(later);
    await waitFor('the later event', () => back.got.length >= 1);
    expect(back.got).toEqual([later]);
    expect(gone.got).toEqual([]);
  });

  it('should resolve ready of a subscription disposed before it started, and of one with no tenants', async () => {
    const bus = open();
    const sub = bus.subscribe([tenant('early')], () => undefined);
    sub.dispose();
    await expect(sub.ready).resolves.toBeUndefined();
    await expect(bus.subscribe([], () => undefined).ready).resolves.toBeUndefined();
  });

  it('should hand out frozen copies without members outside the contract', async () => {
    const bus = open();
    const a = tenant('copy');
    const { got } = await collect(bus, [a]);
    const published = event(a, { customer: { id: '42', email: 'ada@example.com' } });
    await bus.publish({ ...published, secret: 'not for subscribers' } as ChangeEvent);
    await waitFor('the event', () => got.length === 1);
    expect(got[0]).toEqual(published);
    expect(Object.isFrozen(got[0])).toBe(true);
    expect(Object.isFrozen(got[0]?.changedFields)).toBe(true);
    expect(Object.isFrozen(got[0]?.customer)).toBe(true);
  });

  it('should keep delivering when a handler throws, counting each throw', async () => {
    const bus = open();
    const a = tenant('throws');
    const thrown = await counterValue(changeEventMetrics.dropped, { reason: 'handler_error' });
    const throwing = bus.subscribe([a], () => {
      throw new Error('handler bug');
    });
    await throwing.ready;
    const { got } = await collect(bus, [a]);
    await bus.publish(event(a));
    await bus.publish(event(a));
    await waitFor('both events', () => got.length === 2);
    expect(await counterValue(changeEventMetrics.dropped, { reason: 'handler_error' })).toBe(thrown + 2);
  });

  it('should count published events by tenant, source and type', async () => {
    const bus = open();
    const a = tenant('count');
    const labels = { tenant: a, source: 'zendesk', type: 'Ticket' };
    await bus.publish(event(a, { source: 'zendesk', type: 'Ticket' }));
    await bus.publish(event(a, { source: 'zendesk', type: 'Ticket' }));
    await bus.publish(event(a, { source: 'odoo', type: 'Ticket' }));
    expect(await counterValue(changeEventMetrics.published, labels)).toBe(2);
  });

  it('should reject what is not a change event, and tenants a stream key cannot hold', async () => {
    const bus = open();
    const a = tenant('invalid');
    await expect(bus.publish({ ...event(a), kind: 'moved' } as unknown as ChangeEvent)).rejects.toThrow(TypeError);
    await expect(bus.publish({ ...event(a), tenant: '' })).rejects.toThrow(TypeError);
    await expect(bus.publish(event('x}{y'))).rejects.toThrow(TypeError);
    expect(() => bus.subscribe(['a b'], () => undefined)).toThrow(TypeError);
  });

  it('should close idempotently, then refuse to publish or subscribe', async () => {
    const bus = open();
    const a = tenant('closed');
    const { got } = await collect(bus, [a]);
    await Promise.all([bus.close(), bus.close()]);
    await bus.close();
    await expect(bus.publish(event(a))).rejects.toThrow(/closed/);
    expect(() => bus.subscribe([a], () => undefined)).toThrow(/closed/);
    expect(got).toEqual([]);
  });

  if (kind === 'redis') {
    const redisBus = (opts?: { maxLen?: number }): RedisEventBus => open(opts) as RedisEventBus;

    /** The id of the bus's reader connection in CLIENT LIST, if it is connected. */
    async function readerConnectionId(bus: RedisEventBus): Promise<string | undefined> {
      const list = String(await client.client('LIST'));
      const line = list.split('\n').find((l) => l.includes(` name=${bus.readerName} `));
      return line?.match(/^id=(\d+) /)?.[1];
    }

    it('should append to the stream events:{tenant}, one entry per event', async () => {
      const bus = redisBus();
      const a = tenant('stream');
      const e = event(a);
      await bus.publish(e);
      await bus.publish(event(a));
      expect(await client.xlen(`events:{${a}}`)).toBe(2);
      const [[, fields] = ['', []]] = await client.xrange(`events:{${a}}`, '-', '+', 'COUNT', 1);
      expect(fields[0]).toBe('event');
      expect(JSON.parse(fields[1] ?? 'null')).toEqual(e);
    });

    it('should keep a stream near its cap (MAXLEN ~)', async () => {
      const bus = redisBus({ maxLen: 100 });
      const a = tenant('maxlen');
      for (let round = 0; round < 10; round += 1) {
        await Promise.all(Array.from({ length: 100 }, () => bus.publish(event(a))));
      }
      const length = await client.xlen(eventStreamKey(a));
      expect(length).toBeGreaterThanOrEqual(100);
      expect(length).toBeLessThan(300); // trimmed by whole radix-tree nodes (100 entries each by default)
    });

    it("should drop, and count, an entry forged with another tenant's event, and entries that do not parse", async () => {
      const bus = redisBus();
      const [a, b] = [tenant('forged-a'), tenant('forged-b')];
      const { got } = await collect(bus, [a]);
      const mismatched = await counterValue(changeEventMetrics.dropped, { reason: 'tenant_mismatch' });
      const unparsable = await counterValue(changeEventMetrics.dropped, { reason: 'unparsable' });
      await client.xadd(eventStreamKey(a), '*', 'event', JSON.stringify(event(b)));
      await client.xadd(eventStreamKey(a), '*', 'event', '{not json');
      await client.xadd(eventStreamKey(a), '*', 'event', JSON.stringify({ ...event(a), kind: 'moved' }));
      await client.xadd(eventStreamKey(a), '*', 'other', JSON.stringify(event(a)));
      const genuine = event(a);
      await bus.publish(genuine);
      await waitFor('the genuine event', () => got.length >= 1);
      expect(got).toEqual([genuine]);
      expect(await counterValue(changeEventMetrics.dropped, { reason: 'tenant_mismatch' })).toBe(mismatched + 1);
      expect(await counterValue(changeEventMetrics.dropped, { reason: 'unparsable' })).toBe(unparsable + 3);
    });

    it('should pick up a tenant subscribed while its reader blocks on another', async () => {
      const bus = redisBus();
      const [a, b] = [tenant('mid-a'), tenant('mid-b')];
      await collect(bus, [a]);
      await waitFor('the reader blocking', async () => (await readerConnectionId(bus)) !== undefined);
      const onB = await collect(bus, [b]);
      const e = event(b);
      await bus.publish(e);
      // The reader blocks for 20 s: this arrives in time only because the new tenant cut the block short.
      await waitFor('the event of the new tenant', () => onB.got.length === 1, 10_000);
      expect(onB.got).toEqual([e]);
    });

    it('should lose nothing when its reader connection is killed while events are published', async () => {
      const bus = redisBus();
      const a = tenant('reconnect');
      const { got } = await collect(bus, [a]);
      const published = [event(a)];
      await bus.publish(published[0] as ChangeEvent);
      await waitFor('the first event', () => got.length === 1);
      const killed = await readerConnectionId(bus);
      expect(killed).toBeDefined();
      await client.client('KILL', 'ID', killed as string);
      for (let i = 0; i < 20; i += 1) {
        const e = event(a);
        published.push(e);
        await bus.publish(e); // through the other connection, while the reader reconnects
      }
      await waitFor('all events after the reconnect', () => got.length === published.length);
      expect(got).toEqual(published);
      const current = await readerConnectionId(bus);
      expect(current).toBeDefined();
      expect(current).not.toBe(killed);
    });

    it('should survive its Redis going away and coming back (its own redis-server)', async () => {
      const server = new OwnRedisServer(await freePort());
      await server.start();
      const capture = createRedisChangeCapture({ url: server.url, logger: silentLogger, maxReconnectDelayMs: 200, maxBackoffMs: 200, blockMs: 20_000 });
      try {
        await waitFor('redis ready', () => capture.client.status === 'ready', 5_000);
        const [a, b] = [tenant('down-a'), tenant('down-b')];
        const onA = await collect(capture.bus, [a]);
        const first = event(a);
        await capture.bus.publish(first);
        await waitFor('the first event', () => onA.got.length === 1);

        await server.kill();
        await waitFor('publish to fail', () =>
          capture.bus.publish(event(a)).then(
            () => false,
            () => true,
          ),
        );
        const onB: ChangeEvent[] = [];
        const whileDown = capture.bus.subscribe([b], (e) => void onB.push(e));

        await server.start();
        await whileDown.ready; // positions read once Redis is back
        await waitFor('redis ready again', () => capture.client.status === 'ready', 5_000);
        const [later, other] = [event(a), event(b)];
        await capture.bus.publish(later);
        await capture.bus.publish(other);
        await waitFor('both events after the restart', () => onA.got.length === 2 && onB.length === 1);
        expect(onA.got).toEqual([first, later]);
        expect(onB).toEqual([other]);
      } finally {
        await capture.close();
        await server.kill();
      }
    });

    it('should hold a reader connection only while there are subscriptions', async () => {
      const bus = redisBus();
      const a = tenant('reader');
      const first = await collect(bus, [a]);
      const second = await collect(bus, [a]);
      await waitFor('the reader connected', async () => (await readerConnectionId(bus)) !== undefined);
      first.sub.dispose();
      second.sub.dispose();
      await waitFor('the reader gone after the last dispose', async () => (await readerConnectionId(bus)) === undefined);

      const again = await collect(bus, [a]);
      const e = event(a);
      await bus.publish(e);
      await waitFor('the event on a new reader', () => again.got.length === 1);
      expect(again.got).toEqual([e]);
      await bus.close();
      await waitFor('the reader gone after close', async () => (await readerConnectionId(bus)) === undefined);
      expect(client.status).toBe('ready'); // the injected client stays its owner's
    });
  }
});
