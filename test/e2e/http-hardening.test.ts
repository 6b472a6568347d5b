/**
 * Issue 14, item 6: the gateway's HTTP surface against slow and hostile clients. Timeouts (a
 * dribbled body or stalled headers get 408 and a closed connection), security headers, the admin
 * endpoints off the public surface (an admin token, or a separate admin listener), the public
 * `/readyz` answering from one cached probe round, and CORS per tenant origin on HTTP and on the
 * WebSocket upgrade.
 */
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import WebSocket from 'ws';
import { createReadiness } from '../../gateway/admin-surface';
import { createHardenedServer, securityHeaders } from '../../gateway/http-hardening';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { bearer, postGraphQL } from '../support/http';
import { allStats, resetStats, SYSTEMS } from '../support/stack';

const ACME_ORIGIN = 'https://sidebar.acme.example';
const GLOBEX_ORIGIN = 'http://localhost:5173';
const Q = '{ ticket(id: "1") { id subject } }';

let stack: RunningStack;
/** Probe rounds seen by an extra readiness check (each round runs every check once). */
let probeRounds = 0;
beforeAll(async () => {
  stack = await startStack({
    cache: false,
    editRegistry: (registry) => ({
      tenants: registry.tenants.map((t) =>
        t.id === 'acme' ? { ...t, cors: { origins: [ACME_ORIGIN] } } : t.id === 'globex' ? { ...t, cors: { origins: [GLOBEX_ORIGIN] } } : t,
      ),
    }),
    gateway: {
      // Small on purpose: the slow clients below are cut off quickly; every honest request here is received well within.
      http: { headersTimeoutMs: 500, requestTimeoutMs: 1_000, connectionsCheckingIntervalMs: 50 },
      readyCacheMs: 60_000,
      readiness: [
        {
          name: 'probe-counter',
          check: async () => {
            probeRounds += 1;
          },
        },
      ],
    },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const base = () => stack.gateway.url.replace(/\/graphql$/, '');
const portOf = (url: string) => Number(new URL(url).port);

/** A raw TCP client: what it received and whether the server closed the connection. */
function rawClient(port: number): { socket: Socket; received: () => string; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (chunk) => (data += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(data)));
  return { socket, received: () => data, closed };
}

describe('timeouts against slow clients', () => {
  it('should answer 408 and close the connection of a client that sends its headers, then dribbles the body', async () => {
    const client = rawClient(portOf(stack.gateway.url));
    client.socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"query":`);
    // One byte every 100 ms would take 1,000 s for the declared body; the server's budget is the whole request.
    const drip = setInterval(() => client.socket.writable && client.socket.write(' '), 100);
    const answer = await client.closed;
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(client.socket.destroyed).toBe(true);
    // The gateway is still there for everyone else.
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
  });

  it('should answer 408 and close the connection of a client that never finishes its headers', async () => {
    const client = rawClient(portOf(stack.gateway.url));
    client.socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => client.socket.writable && client.socket.write('X-Slow: 1\r\n'), 100);
    const answer = await client.closed;
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  describe('on a listener of its own', () => {
    let server: ReturnType<typeof createHardenedServer>;
    let port: number;
    beforeAll(async () => {
      const app = express();
      app.use(securityHeaders({ hstsMaxAgeSeconds: 31_536_000 }));
      app.get('/', (_req, res) => {
        res.json({ ok: true });
      });
      server = createHardenedServer(app, { keepAliveTimeoutMs: 200, maxConnections: 2, connectionsCheckingIntervalMs: 50 });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('should close an idle keep-alive connection after its answer', async () => {
      const client = rawClient(port);
      client.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      const answer = await client.closed;
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(answer).toMatch(/\r\nKeep-Alive: timeout=\d+\r\n/);
    });

    it('should drop connections beyond the cap at accept, and serve those within it', async () => {
      const held = [rawClient(port), rawClient(port)];
      await Promise.all(held.map((c) => new Promise((resolve) => c.socket.once('connect', resolve))));
      await new Promise((resolve) => setTimeout(resolve, 50)); // let the server accept both
      const extra = rawClient(port);
      extra.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(await extra.closed).toBe('');
      held[0]!.socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(await held[0]!.closed).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      held[1]!.socket.destroy();
    });

    it('should send HSTS when it is configured', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } });
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    });
  });
});

describe('security headers', () => {
  const expectApiHeaders = (res: Response) => {
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('strict-transport-security')).toBeNull(); // not behind TLS here
  };

  it('should send them on GraphQL answers, with Cache-Control: no-store, refused or not', async () => {
    const ok = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(await stack.token('acme', 'agent')) },
      body: JSON.stringify({ query: Q }),
    });
    expect(ok.status).toBe(200);
    expectApiHeaders(ok);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: Q }) });
    expect(refused.status).toBe(401);
    expectApiHeaders(refused);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });

  it('should send them on every other answer too', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) expectApiHeaders(await fetch(`${base()}${path}`));
    // Express's own 404 page replaces the policy with its own `default-src 'none'`; the other headers stay.
    const missing = await fetch(`${base()}/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(missing.headers.get('x-frame-options')).toBe('DENY');
    expect(missing.headers.get('x-powered-by')).toBeNull();
  });
});

describe('admin endpoints without an admin port: behind an admin-role token', () => {
  it('should refuse /metrics without a token (401) and to other roles (403), and serve it to an admin', async () => {
    expect((await fetch(`${base()}/metrics`)).status).toBe(401);
    expect((await fetch(`${base()}/metrics`, { headers: bearer(await stack.token('acme', 'agent')) })).status).toBe(403);
    const res = await fetch(`${base()}/metrics`, { headers: bearer(await stack.token('acme', 'admin')) });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^# HELP /m);
  });

  it('should answer the public /readyz with the status alone, and the details to an admin token only', async () => {
    const pub = await fetch(`${base()}/readyz`);
    expect(pub.status).toBe(200);
    expect(await pub.json()).toEqual({ status: 'ready' });
    expect((await fetch(`${base()}/readyz`, { headers: bearer(await stack.token('acme', 'agent')) })).status).toBe(403);
    const admin = await fetch(`${base()}/readyz`, { headers: bearer(await stack.token('acme', 'admin')) });
    expect(await admin.json()).toMatchObject({ status: 'ready', checks: { 'subgraph:odoo': 'ok', 'probe-counter': 'ok' } });
  });

  it('should probe at most once for 20 public /readyz calls, concurrent or not, while an admin call probes afresh', async () => {
    const before = probeRounds;
    await fetch(`${base()}/readyz`, { headers: bearer(await stack.token('acme', 'admin')) });
    expect(probeRounds - before).toBe(1); // the counter sees rounds
    const afterFresh = probeRounds;
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base()}/readyz`)));
    for (let i = 0; i < 10; i++) answers.push(await fetch(`${base()}/readyz`));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    // At most one round per period is the contract; within this period, the admin's round already serves them all.
    expect(probeRounds - afterFresh).toBe(0);
  });
});

describe('the public /readyz cache', () => {
  it('should run one probe round per period whatever the request rate, and share a round in flight', async () => {
    let now = 1_000_000;
    let calls = 0;
    let release: () => void = () => undefined;
    const readiness = createReadiness(
      [
        {
          name: 'slow',
          check: () => {
            calls += 1;
            return new Promise<void>((resolve) => (release = resolve));
          },
        },
      ],
      { cacheMs: 5_000, clock: () => now },
    );
    const waiting = Array.from({ length: 20 }, () => readiness.cached());
    release();
    expect((await Promise.all(waiting)).every((r) => r.ready)).toBe(true);
    expect(calls).toBe(1);
    now += 4_999;
    await readiness.cached();
    expect(calls).toBe(1);
    now += 1;
    const next = readiness.cached();
    release();
    await next;
    expect(calls).toBe(2);
  });

  it('should report a failing check as not ready, naming it', async () => {
    const readiness = createReadiness([
      { name: 'up', check: async () => undefined },
      { name: 'down', check: async () => Promise.reject(new Error('refused')) },
    ]);
    expect(await readiness.fresh()).toMatchObject({ ready: false, checks: { up: 'ok', down: 'unavailable' } });
  });
});

describe('admin endpoints on an admin port', () => {
  let own: RunningStack;
  beforeAll(async () => {
    own = await startStack({ cache: false, upstreams: stack.upstreams, registerWebhooks: false, gateway: { adminPort: 0 } });
  }, 120_000);
  afterAll(async () => {
    await own?.stop();
  });
  const ownBase = () => own.gateway.url.replace(/\/graphql$/, '');

  it('should serve /metrics, the detailed /readyz and /admin/doctor on the admin listener (127.0.0.1) only', async () => {
    const adminUrl = own.gateway.adminUrl!;
    expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portOf(adminUrl)).not.toBe(own.gateway.port);
    const admin = bearer(await own.token('acme', 'admin'));
    // Public port: gone, whatever the token.
    expect((await fetch(`${ownBase()}/metrics`, { headers: admin })).status).toBe(404);
    expect((await fetch(`${ownBase()}/admin/doctor`, { headers: admin })).status).toBe(404);
    const pub = await fetch(`${ownBase()}/readyz`, { headers: admin });
    expect(await pub.json()).toEqual({ status: 'ready' });
    // Admin listener: metrics and details for the scraper, no token; the doctor still answers per tenant, to an admin.
    const metrics = await fetch(`${adminUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP /m);
    expect(await (await fetch(`${adminUrl}/readyz`)).json()).toMatchObject({ status: 'ready', checks: { 'subgraph:zendesk': 'ok' } });
    expect((await fetch(`${adminUrl}/admin/doctor`)).status).toBe(401);
    expect((await fetch(`${adminUrl}/healthz`)).status).toBe(200);
  });
});

describe('CORS per tenant origin', () => {
  const preflight = (origin: string) =>
    fetch(stack.gateway.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  it('should answer a preflight from an origin a tenant lists, without a token, and refuse one nobody lists', async () => {
    const ok = await preflight(ACME_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ACME_ORIGIN);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("should serve a request from the token's own tenant's origin, and from no origin at all (server to server)", async () => {
    const res = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { origin: ACME_ORIGIN, 'content-type': 'application/json', ...bearer(await stack.token('acme', 'agent')) },
      body: JSON.stringify({ query: Q }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ACME_ORIGIN);
    const body = (await res.json()) as { data: { ticket: { id: string } | null }; errors?: unknown };
    expect(body.errors).toBeUndefined(); // on failure, shows why the ticket is missing
    expect(body.data.ticket?.id).toBe('1');
    const server = await postGraphQL(stack.gateway.url, Q, {}, bearer(await stack.token('globex', 'agent')));
    expect(server.status).toBe(200);
    expect(server.errors).toBeUndefined();
  });

  it("should refuse an agent of globex on acme's sidebar origin with 403 FORBIDDEN, before any upstream call", async () => {
    await resetStats(stack);
    const res = await postGraphQL(stack.gateway.url, Q, {}, { origin: ACME_ORIGIN, ...bearer(await stack.token('globex', 'admin')) });
    expect(res.status).toBe(403);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(res.data ?? null).toBeNull();
    const unlisted = await postGraphQL(stack.gateway.url, Q, {}, { origin: 'https://evil.example', ...bearer(await stack.token('acme', 'agent')) });
    expect(unlisted.status).toBe(403);
    expect(unlisted.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const stats = await allStats(stack);
    for (const s of SYSTEMS) expect(stats[s]).toEqual({});
  });

  it('should still answer 401 to a listed origin without a valid token', async () => {
    const res = await postGraphQL(stack.gateway.url, Q, {}, { origin: ACME_ORIGIN });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  /** A graphql-transport-ws socket with an `Origin`: the upgrade's HTTP status when refused, else the close code or 'acked'. */
  const wsInit = (origin: string | undefined, token: string): Promise<{ refusedWith?: number; acked: boolean; code?: number }> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(stack.gateway.wsUrl, 'graphql-transport-ws', origin ? { origin } : {});
      let acked = false;
      socket.once('unexpected-response', (_req, res) => {
        resolve({ refusedWith: res.statusCode ?? 0, acked: false });
        socket.terminate();
      });
      socket.once('error', (err) => (err.message.includes('Unexpected server response') ? undefined : reject(err)));
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.on('message', (data: Buffer) => {
        if ((JSON.parse(String(data)) as { type?: string }).type === 'connection_ack') {
          acked = true;
          socket.close(1000);
        }
      });
      socket.once('close', (code: number) => resolve({ acked, code }));
    });

  it('should refuse a WebSocket upgrade from an origin nobody lists, and the wrong tenant at connection_init (4403)', async () => {
    expect(await wsInit('https://evil.example', await stack.token('acme', 'agent'))).toMatchObject({ refusedWith: 403, acked: false });
    expect(await wsInit(ACME_ORIGIN, await stack.token('acme', 'agent'))).toMatchObject({ acked: true });
    expect(await wsInit(ACME_ORIGIN, await stack.token('globex', 'agent'))).toMatchObject({ acked: false, code: 4403 });
    expect(await wsInit(undefined, await stack.token('globex', 'agent'))).toMatchObject({ acked: true });
  });
});
