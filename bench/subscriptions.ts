/**
 * `npm run bench:subscriptions`: subscription fan-out. N subscribers of ONE entity (`orderChanged(id)`
 * of one acme order, a selection across Odoo and Zendesk), all with the same role, so they share one
 * resolution per event. Each scenario runs in a process of its own (this file, forked with
 * BENCH_SUB_ROLE=scenario) that holds the whole stack (emulators, subgraphs, gateway): that is the
 * "gateway process" whose RSS is measured. The subscribers live in a further child process
 * (bench/subscribers-client.ts, driven over IPC), so their memory is not counted.
 *
 * Per scenario:
 * 1. start the stack (upstream latency injected, change capture's pollers parked: events are
 *    published straight onto the bus); warm up with a few subscribers and events, close them;
 * 2. GC, RSS before; open N subscribers (C connections x S subscriptions each) until the hub counts
 *    N; GC, RSS after → extra RSS, per subscriber;
 * 3. publish K events `spacing` ms apart (more than the 100 ms coalescing window, so none merge),
 *    each after invalidating the entity-cache entries change capture would invalidate; the event
 *    is marked `changedFields: ['bench-<k>']` and the child records, per push, receipt time −
 *    capturedAt (Date.now() in both processes: one machine, one clock);
 * 4. resolutions and pushes from the gateway's /metrics (deltas), pushes received = N x K check;
 * 5. close the clients, wait for the hub to count 0, RSS after a GC; stop the stack.
 *
 * A scenario of one subscription per connection whose connections cannot all be opened is run
 * again with BENCH_SUB_FALLBACK_PER_CONNECTION subscriptions per connection (and says so).
 *
 * Environment: BENCH_SUB_SCENARIOS ("1000:1,10000:1,10000:10,10000:1:2000": subscribers:subscriptions
 * per connection[:event spacing ms]), BENCH_SUB_EVENTS (20), BENCH_SUB_SPACING_MS (300), BENCH_LATENCY_MS (20),
 * BENCH_SUB_CONCURRENCY (100 handshakes in flight), BENCH_SUB_FALLBACK_PER_CONNECTION (10),
 * BENCH_SUB_PROFILE (push | open: a CPU profile of the gateway process during that phase →
 * bench/out/, top functions by self time printed). A scenario may set its own spacing:
 * `10000:1:2000` (subscribers:per connection:spacing ms).
 *
 * Writes the generated part of bench/RESULTS.md's "Subscriptions" section and
 * bench/out/subscriptions-<date>.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, totalmem } from 'node:os';
import { basename, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { z } from 'zod';
import { invalidateEntities } from '../cache';
import type { ChangeEvent } from '../cache/events';
import { startStack, type RunningStack } from '../sandbox/stack';
import { buildWorld } from '../sandbox/world';
import { ODOO_DEPENDENTS } from '../subgraphs/odoo/entities';
import type { ChildMessage, ClientReport, OpenCommand, ParentMessage } from './subscribers-client';

const Env = z.object({
  BENCH_SUB_SCENARIOS: z.string().default('1000:1,10000:1,10000:10,10000:1:2000'),
  BENCH_SUB_EVENTS: z.coerce.number().int().min(1).max(1000).default(20),
  BENCH_SUB_SPACING_MS: z.coerce.number().int().min(0).default(300),
  BENCH_LATENCY_MS: z.coerce.number().int().min(0).default(20),
  BENCH_SUB_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(100),
  BENCH_SUB_FALLBACK_PER_CONNECTION: z.coerce.number().int().min(1).max(50).default(10),
  BENCH_SUB_PROFILE: z.enum(['none', 'push', 'open']).default('none'),
  // Internal: set when this file runs as one scenario's process.
  BENCH_SUB_ROLE: z.enum(['main', 'scenario']).default('main'),
  BENCH_SUB_N: z.coerce.number().int().min(1).optional(),
  BENCH_SUB_PER_CONNECTION: z.coerce.number().int().min(1).optional(),
  BENCH_SUB_SCENARIO_SPACING_MS: z.coerce.number().int().min(0).optional(),
});
const env = Env.parse(process.env);

const TENANT = 'acme';
const COALESCE_MS = 50; // the gateway's default burst window, left as is
const WARMUP = { connections: 20, events: 3 };
const CLIENT_SCRIPT = resolve(__dirname, 'subscribers-client.ts');

const SUBSCRIPTION = /* GraphQL */ `
  subscription BenchOrder($id: ID!) {
    orderChanged(id: $id) {
      changedFields
      order {
        id
        state
        customer {
          name
          tickets(first: 3) {
            edges {
              node {
                status
              }
            }
          }
        }
      }
    }
  }
`;

const RESOLUTION_QUERY = /* GraphQL */ `
  query BenchResolution($id: ID!) {
    order(id: $id) {
      id
      state
      customer {
        name
        tickets(first: 3) {
          edges {
            node {
              status
            }
          }
        }
      }
    }
  }
`;

export interface ScenarioResult {
  subscribers: number;
  connections: number;
  perConnection: number;
  spacingMs: number;
  /** Mean interval between two events' capture times: more than `spacingMs` when the event loop (shared with the gateway) ran late. */
  actualSpacingMs: number;
  fallbackFrom?: number;
  openFailures: number;
  firstOpenFailure?: string;
  openMs: number;
  /** p50 of 5 queries of the same selection, cache entries invalidated as for an event: one resolution's floor. */
  resolutionQueryMs: number;
  /** Sequential upstream calls of that query (emulator arrival timeline; arrivals more than half a latency apart start a new hop). */
  resolutionHops: number;
  groups: number;
  events: number;
  gatewayFds: number;
  rssMb: { before: number; after: number; extra: number; peakDuringPushes: number; afterClose: number };
  heapMb: { before: number; after: number; extra: number };
  perSubscriberKb: { rss: number; heap: number };
  resolutionsPerEvent: number;
  gatewayPushes: number;
  expectedPushes: number;
  client: Omit<ClientReport, 'sample'> & { received: number; subscriptionErrors: number; closedEarly: number; firstError?: string };
  samplePushOk: boolean;
  gatewaySide: { meanMs: number; shareWithin250ms: number };
  maxEventLoopDelayMs: number;
  /** CPU time (user + system) of the push phase, per event: the gateway process (stack included) and the subscriber process. */
  cpuMsPerEvent: { gateway: number; subscribers: number };
  closeMs: number;
  profile?: { file: string; top: Array<{ fn: string; selfMs: number; share: number }> };
}

// ---------------------------------------------------------------- helpers

const started = Date.now();
/** Progress on stderr (the scenario processes share the terminal). */
const note = (what: string) => process.stderr.write(`  [${((Date.now() - started) / 1000).toFixed(1)} s] ${what}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** `gc()` without requiring node --expose-gc. */
function gcFunction(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function settle(gc: () => void): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(200);
  }
  return process.memoryUsage();
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** The subscriber child process, with request/answer over IPC. */
class Clients {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<ChildMessage['type'], (m: ChildMessage) => void>();
  readonly #exited: Promise<number | null>;

  constructor() {
    this.#child = fork(CLIENT_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (m: ChildMessage) => {
      const waiter = this.#waiting.get(m.type);
      this.#waiting.delete(m.type);
      waiter?.(m);
    });
    this.#exited = new Promise((r) => this.#child.once('exit', (code) => r(code)));
  }

  ask<T extends ChildMessage['type']>(message: ParentMessage, answer: T, timeoutMs = 120_000): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolveAnswer, reject) => {
      const timer = setTimeout(() => reject(new Error(`subscriber process: no '${answer}' within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.set(answer, (m) => {
        clearTimeout(timer);
        resolveAnswer(m as Extract<ChildMessage, { type: T }>);
      });
      this.#child.send(message);
    });
  }

  tell(message: ParentMessage): void {
    this.#child.send(message);
  }

  async close(): Promise<number> {
    if (!this.#child.connected) return 0;
    const { ms } = await this.ask({ type: 'close' }, 'closed');
    await Promise.race([this.#exited, sleep(5_000)]);
    return ms;
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill();
  }
}

function metricValue(text: string, name: string, labels = ''): number {
  const prefix = labels ? `${name}{${labels}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.slice(prefix.length)) : 0;
}

async function scrape(stack: RunningStack) {
  // /metrics needs an admin-role token on the public port (no admin port in the embedded stack).
  const admin = await stack.token(TENANT, 'admin', 600);
  const text = await (await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${admin}` } })).text();
  const tenant = `tenant="${TENANT}"`;
  return {
    resolutions: metricValue(text, 'gateway_subscription_resolutions_total', tenant),
    pushes: metricValue(text, 'gateway_subscription_pushes_total', tenant),
    latencySum: metricValue(text, 'gateway_change_to_push_seconds_sum'),
    latencyCount: metricValue(text, 'gateway_change_to_push_seconds_count'),
    within250: metricValue(text, 'gateway_change_to_push_seconds_bucket', 'le="0.25"'),
  };
}

async function findOrder(stack: RunningStack, token: string, customerId: string): Promise<string> {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'query ($id: ID!) { customer(id: $id) { orders(first: 1) { edges { node { id } } } } }', variables: { id: customerId } }),
  });
  const body = (await res.json()) as { data?: { customer?: { orders?: { edges?: Array<{ node: { id: string } }> } } }; errors?: unknown };
  const id = body.data?.customer?.orders?.edges?.[0]?.node.id;
  if (!id) throw new Error(`no order for customer ${customerId}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return id;
}

interface TopFunction {
  fn: string;
  selfMs: number;
  share: number;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time per function (name + file:line), the top `n`. */
function topFunctions(profile: { nodes: CpuProfileNode[]; startTime: number; endTime: number; samples?: number[] }, n: number): TopFunction[] {
  const totalHits = profile.nodes.reduce((a, node) => a + (node.hitCount ?? 0), 0) || 1;
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / totalHits;
  const byFn = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, hits]) => ({ fn, selfMs: Math.round(hits * msPerHit), share: Math.round((hits / totalHits) * 1000) / 10 }));
}

interface Profiling {
  stop(label: string): Promise<NonNullable<ScenarioResult['profile']>>;
}

async function startProfiling(): Promise<Profiling> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(label) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      mkdirSync(resolve(__dirname, 'out'), { recursive: true });
      const file = resolve(__dirname, 'out', `subscriptions-${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return { file: `bench/out/${basename(file)}`, top: topFunctions(profile as never, 25) };
    },
  };
}

const SYSTEMS = ['odoo', 'salesforce', 'zendesk'] as const;

/** Sequential upstream hops since the emulators' last reset (as bench/run.ts counts them). */
async function hopsSinceReset(stack: RunningStack): Promise<number> {
  const arrivals: number[] = [];
  for (const system of SYSTEMS) {
    const body = (await (await fetch(`${stack.emulators[system].url}/__sandbox/timeline`)).json()) as { requests: Array<{ at: number }> };
    arrivals.push(...body.requests.map((r) => r.at));
  }
  arrivals.sort((a, b) => a - b);
  let hops = arrivals.length ? 1 : 0;
  for (let i = 1; i < arrivals.length; i++) if (arrivals[i]! - arrivals[i - 1]! > env.BENCH_LATENCY_MS / 2) hops += 1;
  return hops;
}

// ---------------------------------------------------------------- one scenario (the gateway process)

/** What Odoo change capture does before publishing an order change: the order's and its customer's cached entries (and what derives from them) go, so the push reads fresh data. */
async function invalidate(stack: RunningStack, orderId: string, customerId: string): Promise<void> {
  if (!stack.cache) return;
  await invalidateEntities(
    stack.cache,
    TENANT,
    [
      { type: 'Order', id: orderId },
      { type: 'Customer', id: customerId },
    ],
    ODOO_DEPENDENTS,
  );
}

/** The subscription's selection as a query (one resolution's work, without the envelope), in ms. */
async function timedQuery(stack: RunningStack, token: string, orderId: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: RESOLUTION_QUERY, variables: { id: orderId } }),
  });
  const body = (await res.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`resolution query failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return performance.now() - t;
}

async function publishEvent(stack: RunningStack, orderId: string, customerId: string, marker: string): Promise<number> {
  const capturedAt = Date.now();
  await invalidate(stack, orderId, customerId);
  const event: ChangeEvent = {
    tenant: TENANT,
    type: 'Order',
    id: orderId,
    kind: 'updated',
    changedFields: [marker],
    source: 'odoo',
    at: new Date().toISOString(),
    capturedAt,
    customer: { id: customerId },
  };
  await stack.capture!.bus.publish(event);
  return capturedAt;
}

async function runScenario(subscribers: number, perConnection: number, spacingMs: number): Promise<ScenarioResult> {
  const gc = gcFunction();
  const connections = Math.ceil(subscribers / perConnection);
  if (connections * perConnection !== subscribers) throw new Error(`${subscribers} subscribers do not split into connections of ${perConnection}`);
  const customerId = String(buildWorld(TENANT).anchors.smallCustomer);
  const stack = await startStack({ capture: true, latencyMs: env.BENCH_LATENCY_MS, captureIntervalMs: 3_600_000, coalesceMs: COALESCE_MS });
  let clients: Clients | undefined;
  try {
    const token = await stack.token(TENANT, 'agent', 3600);
    const orderId = await findOrder(stack, token, customerId);
    const open = (n: number, per: number): OpenCommand => ({
      type: 'open',
      url: stack.gateway.wsUrl,
      token,
      query: SUBSCRIPTION,
      variables: { id: orderId },
      connections: n,
      perConnection: per,
      concurrency: env.BENCH_SUB_CONCURRENCY,
    });
    const count = () => stack.gateway.subscriptions.count(TENANT);
    note('stack started');

    // Warm-up: handshakes, the push path and the query plans, then everything closed again.
    const warm = new Clients();
    try {
      const opened = await warm.ask(open(WARMUP.connections, 1), 'opened');
      if (opened.failures > 0) throw new Error(`warm-up could not connect: ${opened.firstFailure}`);
      await until(() => count() === WARMUP.connections, 30_000, 'warm-up subscribers registered');
      for (let k = 0; k < WARMUP.events; k++) {
        await publishEvent(stack, orderId, customerId, `warmup-${k}`);
        await until(async () => (await warm.ask({ type: 'progress' }, 'progress')).received === WARMUP.connections * (k + 1), 30_000, 'warm-up pushes');
      }
    } finally {
      await warm.close().catch(() => warm.kill());
    }
    await until(() => count() === 0, 30_000, 'warm-up subscribers gone');
    // One resolution on its own: the same selection as a query, after the same invalidation.
    const resolutionMs: number[] = [];
    let resolutionHops = 0;
    for (let i = 0; i < 5; i++) {
      await invalidate(stack, orderId, customerId);
      for (const system of SYSTEMS) await fetch(`${stack.emulators[system].url}/__sandbox/reset`, { method: 'POST' });
      resolutionMs.push(await timedQuery(stack, token, orderId));
      resolutionHops = Math.max(resolutionHops, await hopsSinceReset(stack));
    }
    resolutionMs.sort((a, b) => a - b);
    note(`warmed up; one resolution as a query: ${resolutionMs.map((x) => x.toFixed(0)).join(', ')} ms, ${resolutionHops} upstream hops`);

    const before = await settle(gc);
    clients = new Clients();
    const openProfiling = env.BENCH_SUB_PROFILE === 'open' ? await startProfiling() : undefined;
    const opened = await clients.ask(open(connections, perConnection), 'opened', 600_000);
    if (opened.failures > 0) {
      return {
        subscribers,
        connections,
        perConnection,
        spacingMs,
        openFailures: opened.failures,
        ...(opened.firstFailure ? { firstOpenFailure: opened.firstFailure } : {}),
        openMs: opened.ms,
      } as ScenarioResult;
    }
    await until(() => count() === subscribers, 120_000, `${subscribers} subscribers registered`);
    note(`${subscribers} subscribers registered in ${opened.ms} ms`);
    let profile = await openProfiling?.stop(`open-${subscribers}x${perConnection}`);
    const openMs = opened.ms;
    const groups = stack.gateway.subscriptions.groups(TENANT);
    const gatewayFds = readdirSync('/proc/self/fd').length;
    const after = await settle(gc);

    const m0 = await scrape(stack);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const pushProfiling = env.BENCH_SUB_PROFILE === 'push' ? await startProfiling() : undefined;

    const capturedAt: Record<string, number> = {};
    const cpu0 = process.cpuUsage();
    const childCpu0 = (await clients.ask({ type: 'progress' }, 'progress')).cpuMs;
    clients.tell({ type: 'measure' });
    // At least `spacing` between two events' capture times even when the loop runs late (a
    // blocked event loop), so the coalescer never merges two of them.
    let last = -Infinity;
    for (let k = 1; k <= env.BENCH_SUB_EVENTS; k++) {
      const due = last + spacingMs;
      if (due > Date.now()) await sleep(due - Date.now());
      last = await publishEvent(stack, orderId, customerId, `bench-${k}`);
      capturedAt[`bench-${k}`] = last;
    }
    const expected = subscribers * env.BENCH_SUB_EVENTS;
    note(`${env.BENCH_SUB_EVENTS} events published`);
    // Wait for every push, or until nothing has arrived for 10 s.
    let progress = await clients.ask({ type: 'progress' }, 'progress');
    let lastChange = Date.now();
    while (progress.received < expected && Date.now() - lastChange < 10_000) {
      await sleep(100);
      const now = await clients.ask({ type: 'progress' }, 'progress');
      if (now.received !== progress.received) lastChange = Date.now();
      progress = now;
    }

    if (pushProfiling) profile = await pushProfiling.stop(`push-${subscribers}x${perConnection}`);
    lag.disable();
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpu0);
    const m1 = await scrape(stack);
    const { report } = await clients.ask({ type: 'report', capturedAt }, 'report');
    const sample = report.sample as { data?: { orderChanged?: { order?: { id?: string; customer?: { tickets?: { edges?: unknown[] } } } } }; errors?: unknown };
    const samplePushOk =
      !sample?.errors && sample?.data?.orderChanged?.order?.id === orderId && Array.isArray(sample.data.orderChanged.order.customer?.tickets?.edges);

    note(`${progress.received} of ${expected} pushes received`);
    const closeMs = await clients.close();
    clients = undefined;
    await until(() => count() === 0, 60_000, 'subscribers gone after close');
    const closed = await settle(gc);

    const pushesAtGateway = m1.latencyCount - m0.latencyCount;
    const { sample: _sample, ...clientFigures } = report;
    return {
      subscribers,
      connections,
      perConnection,
      spacingMs,
      actualSpacingMs: Math.round((last - capturedAt['bench-1']!) / Math.max(1, env.BENCH_SUB_EVENTS - 1)),
      openFailures: 0,
      openMs,
      resolutionQueryMs: Math.round(resolutionMs[2]!),
      resolutionHops,
      groups,
      events: env.BENCH_SUB_EVENTS,
      gatewayFds,
      rssMb: { before: mb(before.rss), after: mb(after.rss), extra: mb(after.rss - before.rss), peakDuringPushes: mb(peakRss), afterClose: mb(closed.rss) },
      heapMb: { before: mb(before.heapUsed), after: mb(after.heapUsed), extra: mb(after.heapUsed - before.heapUsed) },
      perSubscriberKb: {
        rss: Math.round(((after.rss - before.rss) / 1024 / subscribers) * 10) / 10,
        heap: Math.round(((after.heapUsed - before.heapUsed) / 1024 / subscribers) * 10) / 10,
      },
      resolutionsPerEvent: (m1.resolutions - m0.resolutions) / env.BENCH_SUB_EVENTS,
      gatewayPushes: m1.pushes - m0.pushes,
      expectedPushes: expected,
      client: {
        ...clientFigures,
        received: progress.received,
        subscriptionErrors: progress.subscriptionErrors,
        closedEarly: progress.closedEarly,
        ...(progress.firstError ? { firstError: progress.firstError } : {}),
      },
      samplePushOk,
      gatewaySide: {
        meanMs: pushesAtGateway ? Math.round(((m1.latencySum - m0.latencySum) / pushesAtGateway) * 1000 * 10) / 10 : NaN,
        shareWithin250ms: pushesAtGateway ? Math.round(((m1.within250 - m0.within250) / pushesAtGateway) * 1000) / 10 : NaN,
      },
      maxEventLoopDelayMs: Math.round(lag.max / 1e6),
      cpuMsPerEvent: {
        gateway: Math.round((cpu.user + cpu.system) / 1000 / env.BENCH_SUB_EVENTS),
        subscribers: Math.round((progress.cpuMs - childCpu0) / env.BENCH_SUB_EVENTS),
      },
      closeMs,
      ...(profile ? { profile } : {}),
    };
  } finally {
    if (clients) await clients.close().catch(() => clients?.kill());
    await stack.stop();
  }
}

// ---------------------------------------------------------------- the orchestrator

function runScenarioProcess(subscribers: number, perConnection: number, spacingMs: number): Promise<ScenarioResult> {
  return new Promise((resolveResult, reject) => {
    const child = fork(__filename, [], {
      env: {
        ...process.env,
        BENCH_SUB_ROLE: 'scenario',
        BENCH_SUB_N: String(subscribers),
        BENCH_SUB_PER_CONNECTION: String(perConnection),
        BENCH_SUB_SCENARIO_SPACING_MS: String(spacingMs),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ScenarioResult | undefined;
    child.on('message', (m: { result?: ScenarioResult; error?: string }) => {
      if (m.result) result = m.result;
      if (m.error) reject(new Error(m.error));
    });
    child.once('exit', (code) => (result ? resolveResult(result) : reject(new Error(`scenario process exited with ${code} and no result`))));
  });
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function layoutOf(r: ScenarioResult): string {
  return `${r.connections} x ${r.perConnection}${r.fallbackFrom ? ` (${r.fallbackFrom} per connection failed)` : ''}`;
}

function tables(results: ScenarioResult[]): string {
  const lines = [
    "Fan-out and latency (change→push: receipt in the subscriber process − the event's capturedAt, over every push):",
    '',
    '| subscribers | connections x subscriptions each | event spacing ms: asked (mean) | groups | resolutions per event | pushes received / expected | one resolution, as a query: ms (upstream hops) | change→push p50 ms | p99 ms | min / max ms | first push of an event, p50 / max ms | fan-out spread of an event (first → last push), p50 / max ms | max event-loop delay, gateway / subscriber process ms | CPU per event, gateway / subscriber process ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const c = r.client;
    lines.push(
      `| ${r.subscribers} | ${layoutOf(r)} | ${r.spacingMs} (${r.actualSpacingMs}) | ${r.groups} | ${fmt(r.resolutionsPerEvent, 2)} | ${c.received} / ${r.expectedPushes} | ${r.resolutionQueryMs} (${r.resolutionHops}) | ${fmt(c.latency.p50)} | ${fmt(c.latency.p99)} | ${fmt(c.latency.min)} / ${fmt(c.latency.max)} | ${fmt(c.first.p50)} / ${fmt(c.first.max)} | ${fmt(c.spread.p50)} / ${fmt(c.spread.max)} | ${r.maxEventLoopDelayMs} / ${c.maxEventLoopDelayMs} | ${r.cpuMsPerEvent.gateway} / ${r.cpuMsPerEvent.subscribers} |`,
    );
  }
  lines.push(
    '',
    'Memory of the gateway process (the whole stack: emulators, subgraphs, gateway; subscribers in another process), after full GCs except the peak:',
    '',
    '| subscribers | connections x subscriptions each | event spacing ms | registration s | RSS before MB | RSS with subscribers MB | extra RSS MB | extra RSS per subscriber KB | extra heap per subscriber KB | peak RSS during pushes MB | RSS after all closed MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of results) {
    lines.push(
      `| ${r.subscribers} | ${layoutOf(r)} | ${r.spacingMs} | ${fmt(r.openMs / 1000, 1)} | ${fmt(r.rssMb.before)} | ${fmt(r.rssMb.after)} | ${fmt(r.rssMb.extra, 1)} | ${fmt(r.perSubscriberKb.rss, 1)} | ${fmt(r.perSubscriberKb.heap, 1)} | ${fmt(r.rssMb.peakDuringPushes)} | ${fmt(r.rssMb.afterClose)} |`,
    );
  }
  return lines.join('\n');
}

function verdicts(results: ScenarioResult[]): string[] {
  const out: string[] = [];
  for (const r of results.filter((x) => x.subscribers === 1000)) {
    const p99 = r.client.latency.p99;
    out.push(`- p99 change→push ≤ 250 ms at 1,000 subscribers (${r.connections} x ${r.perConnection}): **${p99 <= 250 ? 'met' : 'missed'}** (${fmt(p99)} ms).`);
  }
  for (const r of results.filter((x) => x.subscribers === 10_000)) {
    out.push(
      `- 10,000 subscribers within 150 MB of extra RSS (${r.connections} x ${r.perConnection}): **${r.rssMb.extra <= 150 ? 'met' : 'missed'}** (${fmt(r.rssMb.extra, 1)} MB; p99 change→push ${fmt(r.client.latency.p99)} ms).`,
    );
  }
  for (const r of results) {
    const problems: string[] = [];
    if (r.client.received !== r.expectedPushes) problems.push(`received ${r.client.received} of ${r.expectedPushes} pushes`);
    if (r.gatewayPushes !== r.expectedPushes) problems.push(`the gateway counted ${r.gatewayPushes} pushes`);
    if (r.client.withErrors) problems.push(`${r.client.withErrors} pushes carried errors`);
    if (r.client.subscriptionErrors || r.client.closedEarly)
      problems.push(`${r.client.subscriptionErrors} subscription errors, ${r.client.closedEarly} connections closed early (${r.client.firstError ?? ''})`);
    if (!r.samplePushOk) problems.push('a sampled push lacked the order, its customer or its tickets');
    if (problems.length) out.push(`- ${r.subscribers} (${r.connections} x ${r.perConnection}): ${problems.join('; ')}.`);
  }
  return out;
}

const SECTION_START = '<!-- subscriptions: generated by npm run bench:subscriptions';
const SECTION_END = '<!-- end subscriptions -->';

function writeResults(section: string): void {
  const resultsPath = resolve(__dirname, 'RESULTS.md');
  let doc: string;
  try {
    doc = readFileSync(resultsPath, 'utf8');
  } catch {
    doc = '# Benchmark results\n';
  }
  const start = doc.indexOf(SECTION_START);
  const end = doc.indexOf(SECTION_END);
  doc =
    start >= 0 && end > start
      ? doc.slice(0, start) + section + doc.slice(end + SECTION_END.length)
      : `${doc.trimEnd()}\n\n## Subscriptions\n\n### Latest run\n\n${section}\n`;
  writeFileSync(resultsPath, doc);
}

async function main(): Promise<void> {
  const scenarios = env.BENCH_SUB_SCENARIOS.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [n, per = '1', spacing = String(env.BENCH_SUB_SPACING_MS)] = s.split(':');
      return { subscribers: Number(n), perConnection: Number(per), spacingMs: Number(spacing) };
    });
  const results: ScenarioResult[] = [];
  for (const { subscribers, perConnection, spacingMs } of scenarios) {
    process.stdout.write(`running ${subscribers} subscribers, ${perConnection} per connection, events ${spacingMs} ms apart...\n`);
    let result = await runScenarioProcess(subscribers, perConnection, spacingMs);
    if (result.openFailures > 0 && perConnection === 1) {
      const per = env.BENCH_SUB_FALLBACK_PER_CONNECTION;
      process.stdout.write(
        `  ${result.openFailures} of ${result.connections} connections failed (${result.firstOpenFailure}); again with ${per} per connection\n`,
      );
      result = { ...(await runScenarioProcess(subscribers, per, spacingMs)), fallbackFrom: perConnection };
    }
    if (result.openFailures > 0) throw new Error(`${result.openFailures} connections failed: ${result.firstOpenFailure}`);
    process.stdout.write(`  ${JSON.stringify({ latency: result.client.latency, rssMb: result.rssMb, resolutionsPerEvent: result.resolutionsPerEvent })}\n`);
    if (result.profile) {
      process.stdout.write(`  CPU profile of the ${env.BENCH_SUB_PROFILE} phase: ${result.profile.file}; top self time:\n`);
      for (const t of result.profile.top) process.stdout.write(`    ${String(t.selfMs).padStart(6)} ms ${String(t.share).padStart(5)} %  ${t.fn}\n`);
    }
    results.push(result);
  }
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const when = new Date().toISOString();
  const section = [
    `${SECTION_START}: ${when} -->`,
    `Machine: ${machine}. Latency injected per upstream call: ${env.BENCH_LATENCY_MS} ms. ${env.BENCH_SUB_EVENTS} events per scenario (spacing per row), coalescing window ${COALESCE_MS} ms, tenant ${TENANT}, role agent, one order of customer ${buildWorld(TENANT).anchors.smallCustomer}.`,
    '',
    tables(results),
    '',
    ...verdicts(results),
    SECTION_END,
  ].join('\n');
  process.stdout.write(`\n${section}\n`);
  writeResults(section);
  mkdirSync(resolve(__dirname, 'out'), { recursive: true });
  writeFileSync(
    resolve(__dirname, 'out', `subscriptions-${when.replace(/[:.]/g, '-')}.json`),
    JSON.stringify({ machine, env: { ...env, BENCH_SUB_ROLE: undefined }, results }, null, 2),
  );
}

if (env.BENCH_SUB_ROLE === 'scenario') {
  runScenario(env.BENCH_SUB_N ?? 1000, env.BENCH_SUB_PER_CONNECTION ?? 1, env.BENCH_SUB_SCENARIO_SPACING_MS ?? env.BENCH_SUB_SPACING_MS)
    .then(
      (result) => ({ result }),
      (err: unknown) => ({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    )
    // Whatever the stack left behind (sockets in TIME_WAIT, unref'd timers) must not keep the process.
    .then((message) => process.send?.(message, () => process.exit(0)));
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
