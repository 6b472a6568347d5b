/**
 * The HTTP shell every emulator runs in: body reading, per-tenant request stats, fault injection,
 * the admin endpoints under `/__sandbox/`, and a `close()` that leaves no socket behind.
 *
 * An emulator supplies only what differs between the real systems: how a request names its tenant
 * and operation (`classify`), how it is answered (`handle`), and what the real system's own error
 * envelope and throttling answer look like (`faultReply`).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZodError } from 'zod';
import { listen } from '../../platform/listen';
import { FaultTable, type FaultRule, type FaultRuleInput } from './faults';
import { RequestStats } from './stats';

/** Tenant name used in the stats for requests whose credentials name no known tenant. */
export const ANONYMOUS = '_anonymous';

export interface SandboxRequest {
  readonly method: string;
  /** Full URL as received (host from the Host header). */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Which listening port received it: 0 the primary, i the `extraPorts[i - 1]` one. */
  readonly listener: number;
}

export interface SandboxReply {
  status: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else is serialized as JSON. */
  body?: unknown;
}

export interface Classified {
  /** Tenant whose data the request touches, or `ANONYMOUS`. */
  tenant: string;
  /** Operation name as counted in the stats, e.g. `sale.order.search_read`. */
  op: string;
}

export interface EmulatorDefinition {
  /** Used in log lines and error messages only. */
  readonly name: string;
  /** Names the tenant and operation of a request; must not throw for bad input (use ANONYMOUS). */
  classify(req: SandboxRequest): Classified;
  /** The real answer. May throw: a throw becomes a 500, as an unhandled exception would upstream. */
  handle(req: SandboxRequest, who: Classified): SandboxReply | Promise<SandboxReply>;
  /** The upstream's own error envelope (`error`) and throttling answer (`rate_limit`). */
  faultReply(kind: 'error' | 'rate_limit', req: SandboxRequest, who: Classified, rule: FaultRule): SandboxReply;
  /** Re-seeds the emulator's data (admin `POST /__sandbox/reset?data=1`). */
  reseed?(): void;
}

export interface EmulatorOptions {
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Latency added to every call, in ms (e.g. 20 for benchmarks). @default 0 */
  latencyMs?: number;
  /** Fault rules active from the start. */
  faults?: readonly FaultRuleInput[];
  /**
   * More ports to listen on (0 for ephemeral), sharing stats, faults and admin endpoints; the
   * request says which one it came in on (an emulator hosting several upstream servers).
   */
  extraPorts?: readonly number[];
}

export interface RunningEmulator {
  readonly name: string;
  /** Base URL, e.g. `http://127.0.0.1:8069`. */
  readonly url: string;
  readonly port: number;
  /** Base URLs of every listener: `url` first, then one per `extraPorts`. */
  readonly urls: readonly string[];
  readonly faults: FaultTable;
  readonly stats: RequestStats;
  /** Stops listening and destroys open sockets. Idempotent. */
  close(): Promise<void>;
}

/** JSON reply with the given status. */
export const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): SandboxReply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

const MAX_BODY_BYTES = 10 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new RangeError('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: SandboxReply): void {
  const headers = { ...(reply.headers ?? {}) };
  let payload: string | Buffer;
  if (reply.body === undefined) payload = '';
  else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) payload = reply.body;
  else {
    payload = JSON.stringify(reply.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json; charset=utf-8';
    }
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

async function handleAdmin(def: EmulatorDefinition, req: SandboxRequest, faults: FaultTable, stats: RequestStats): Promise<SandboxReply> {
  const path = req.url.pathname;
  const parse = (): unknown => (req.body.length ? JSON.parse(req.body.toString('utf8')) : undefined);
  try {
    if (path === '/__sandbox/stats' && req.method === 'GET') return jsonReply(200, stats.snapshot());
    if (path === '/__sandbox/timeline' && req.method === 'GET') return jsonReply(200, { requests: stats.timeline() });
    if (path === '/__sandbox/reset' && req.method === 'POST') {
      stats.reset();
      if (req.url.searchParams.get('faults') === '1') faults.clear();
      if (req.url.searchParams.get('data') === '1') def.reseed?.();
      return jsonReply(200, { ok: true });
    }
    if (path === '/__sandbox/faults') {
      if (req.method === 'GET') return jsonReply(200, { latencyMs: faults.baseLatencyMs, rules: faults.list() });
      if (req.method === 'DELETE') {
        faults.clear();
        return jsonReply(200, { ok: true });
      }
      if (req.method === 'POST' || req.method === 'PUT') {
        const input = parse();
        const rules = (Array.isArray(input) ? input : [input]) as FaultRuleInput[];
        if (req.method === 'PUT') faults.clear();
        faults.add(rules);
        return jsonReply(200, { latencyMs: faults.baseLatencyMs, rules: faults.list() });
      }
    }
    if (path === '/__sandbox/latency' && req.method === 'POST') {
      const input = parse() as { ms?: unknown } | undefined;
      if (typeof input?.ms !== 'number' || !Number.isInteger(input.ms) || input.ms < 0) {
        return jsonReply(400, { error: 'body must be {"ms": <non-negative integer>}' });
      }
      faults.baseLatencyMs = input.ms;
      return jsonReply(200, { latencyMs: faults.baseLatencyMs });
    }
    return jsonReply(404, { error: `no admin route ${req.method} ${path}` });
  } catch (err) {
    const message = err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : String(err);
    return jsonReply(400, { error: message });
  }
}

/** Starts an emulator on its own HTTP server. */
export async function startEmulator(def: EmulatorDefinition, options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = '127.0.0.1', latencyMs = 0, faults: initialFaults = [], extraPorts = [] } = options;
  const faults = new FaultTable(initialFaults, latencyMs);
  const stats = new RequestStats();
  const sockets = new Set<Socket>();

  const listener =
    (index: number, listenPort: number) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      void (async () => {
        let body: Buffer;
        try {
          body = await readBody(req);
        } catch {
          send(res, { status: 413, headers: { 'content-type': 'text/plain' }, body: 'Request Entity Too Large' });
          return;
        }
        const request: SandboxRequest = {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', `http://${req.headers.host ?? `${host}:${listenPort}`}`),
          headers: req.headers,
          body,
          listener: index,
        };
        if (request.url.pathname.startsWith('/__sandbox/')) {
          send(res, await handleAdmin(def, request, faults, stats));
          return;
        }
        const who = def.classify(request);
        stats.count(who.tenant, who.op);
        const decision = faults.decide(who.tenant, who.op);
        if (decision.failure?.fault === 'down') {
          req.socket.destroy();
          return;
        }
        if (decision.latencyMs > 0) await sleep(decision.latencyMs);
        const failure = decision.failure;
        if (failure) {
          switch (failure.fault) {
            case 'reset':
            case 'down':
              req.socket.destroy();
              return;
            case 'http5xx':
              send(res, {
                status: failure.status ?? 503,
                headers: { 'content-type': 'text/html' },
                body: '<html><body><h1>503 Service Unavailable</h1></body></html>',
              });
              return;
            case 'malformed':
              send(res, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"jsonrpc": "2.0", "id": 1, "resu' });
              return;
            case 'error':
            case 'rate_limit':
              send(res, def.faultReply(failure.fault, request, who, failure));
              return;
            case 'slow':
            case 'reset_after':
              break;
          }
        }
        let reply: SandboxReply;
        try {
          reply = await def.handle(request, who);
        } catch (err) {
          // An emulator bug must not look like a hang: answer as an upstream with an unhandled error would.
          process.stderr.write(`[sandbox:${def.name}] unhandled error for ${request.method} ${request.url.pathname}: ${String(err)}\n`);
          reply = { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };
        }
        if (failure?.fault === 'reset_after') {
          // the work is done (the emulated data changed); the answer is lost on the way back
          req.socket.destroy();
          return;
        }
        if (!res.destroyed) send(res, reply);
      })();
    };

  const servers: Server[] = [];
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      let open = servers.length;
      if (open === 0) resolve();
      for (const server of servers) server.close(() => (--open === 0 ? resolve() : undefined));
      for (const socket of sockets) socket.destroy();
    });
  const boundPorts: number[] = [];
  try {
    for (const [index, wanted] of [port, ...extraPorts].entries()) {
      const server = createServer(listener(index, wanted));
      server.keepAliveTimeout = 65_000;
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      boundPorts.push(await listen(server, wanted, host));
      servers.push(server);
    }
  } catch (err) {
    await close();
    throw err;
  }
  const urls = boundPorts.map((p) => `http://${host}:${p}`);

  let closing: Promise<void> | undefined;
  return {
    name: def.name,
    url: urls[0] ?? '',
    port: boundPorts[0] ?? 0,
    urls,
    faults,
    stats,
    close() {
      closing ??= close();
      return closing;
    },
  };
}
