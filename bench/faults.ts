/**
 * `npm run bench:faults`: a timeline of Zendesk's circuit breaker for one tenant while Zendesk goes
 * away and comes back, on the embedded sandbox (cache off, so every request reaches Zendesk).
 *
 * The ticket-context query is sent at a fixed pace (open loop: a request starts every 1/rate s,
 * whatever the earlier ones are doing) for the whole run. Two scenarios, each in its own stack:
 *
 * - down: Zendesk's connections are reset at once (a stopped server) from `FAULT_FROM` to `FAULT_TO`;
 * - hung: Zendesk accepts the request and never answers in time (the tenant's budget is 2 s);
 * - down-no-breaker, hung-no-breaker: the same with a breaker that never opens in the run (1,000
 *   consecutive failures), for comparison (retries, bulkhead and the rest as configured).
 *
 * Per second of the timeline: requests completed, their p50 latency, Zendesk calls that reached the
 * emulator, calls the guard held back (breaker open, or waiting for the half-open probe), and the
 * breaker's state at the end of the second. Prints a Markdown table per scenario and leaves the raw
 * figures in bench/out/faults-<timestamp>.json (git-ignored).
 *
 * Environment: BENCH_FAULTS_RATE (requests per second, 5), BENCH_FAULTS_SECONDS (40),
 * BENCH_FAULTS_FROM (5), BENCH_FAULTS_TO (25), BENCH_FAULTS_HALF_OPEN_MS (5000), BENCH_LATENCY_MS (20),
 * BENCH_FAULTS_SCENARIOS (down,hung,down-no-breaker,hung-no-breaker).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { mintLocalToken } from '../gateway/local-tokens';
import type { FaultRuleInput } from '../sandbox/kit/faults';
import { TICKET_CONTEXT_QUERY } from '../sandbox/queries';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, startStack, type RunningStack } from '../sandbox/stack';
import { upstreamGuardMetrics } from '../subgraphs/kit/upstream-guard';
import type { TenantConfig } from '../tenancy/registry';

const Env = z.object({
  BENCH_FAULTS_RATE: z.coerce.number().int().min(1).max(50).default(5),
  BENCH_FAULTS_SECONDS: z.coerce.number().int().min(5).max(300).default(40),
  BENCH_FAULTS_FROM: z.coerce.number().int().min(0).default(5),
  BENCH_FAULTS_TO: z.coerce.number().int().min(1).default(25),
  BENCH_FAULTS_HALF_OPEN_MS: z.coerce.number().int().min(100).default(5_000),
  BENCH_LATENCY_MS: z.coerce.number().int().min(0).default(20),
  BENCH_FAULTS_SCENARIOS: z.string().default('down,hung,down-no-breaker,hung-no-breaker'),
});
const env = Env.parse(process.env);

const TENANT = 'acme';
/**
 * Requests come from this many agents in turn: each agent stays inside its own share of the
 * gateway (admission control), and the gateway's in-flight sharing of identical requests (per
 * identity) does not merge them, so each request is its own Zendesk call.
 */
const AGENTS = 20;
const HUNG_TIMEOUT_MS = 2_000;
const STATE_NAMES = ['closed', 'half-open', 'open'] as const;

interface Second {
  second: number;
  phase: 'healthy' | 'fault' | 'recovered';
  requests: number;
  p50Ms: number | null;
  withTicket: number;
  zendeskCalls: number;
  heldBack: number;
  breaker: (typeof STATE_NAMES)[number] | 'unknown';
}

interface Scenario {
  /** The Zendesk fault rule while the fault lasts. */
  rule: FaultRuleInput;
  /** The tenant's Zendesk budget per call. */
  timeoutMs: number;
  /** Consecutive failures that open the breaker (the default, or more than the run has). */
  consecutiveFailures: number;
}

const DOWN: FaultRuleInput = { tenant: TENANT, fault: 'down' };
const HUNG: FaultRuleInput = { tenant: TENANT, fault: 'slow', latencyMs: 60_000 };
const SCENARIOS: Record<string, Scenario> = {
  down: { rule: DOWN, timeoutMs: 10_000, consecutiveFailures: 5 },
  hung: { rule: HUNG, timeoutMs: HUNG_TIMEOUT_MS, consecutiveFailures: 5 },
  'down-no-breaker': { rule: DOWN, timeoutMs: 10_000, consecutiveFailures: 1_000 },
  'hung-no-breaker': { rule: HUNG, timeoutMs: HUNG_TIMEOUT_MS, consecutiveFailures: 1_000 },
};

const percentile = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null;
};

async function zendeskCalls(stack: RunningStack): Promise<number> {
  const body = (await (await fetch(`${stack.emulators.zendesk.url}/__sandbox/stats`)).json()) as { requests: Record<string, Record<string, number>> };
  return Object.values(body.requests[TENANT] ?? {}).reduce((a, b) => a + b, 0);
}

async function guardFigures(): Promise<{ state: Second['breaker']; heldBack: number }> {
  const state = (await upstreamGuardMetrics.breakerState.get()).values.find((v) => v.labels['tenant'] === TENANT && v.labels['upstream'] === 'zendesk');
  const held = (await upstreamGuardMetrics.throttled.get()).values
    .filter((v) => v.labels['tenant'] === TENANT && v.labels['upstream'] === 'zendesk')
    .reduce((n, v) => n + v.value, 0);
  return { state: state ? (STATE_NAMES[state.value] ?? 'unknown') : 'unknown', heldBack: held };
}

function withProtection(t: TenantConfig, scenario: Scenario): TenantConfig {
  const zd = t.upstreams.zendesk;
  const breaker = { consecutiveFailures: scenario.consecutiveFailures, halfOpenAfterMs: env.BENCH_FAULTS_HALF_OPEN_MS };
  return { ...t, upstreams: { ...t.upstreams, zendesk: { ...zd, timeoutMs: scenario.timeoutMs, protection: { ...zd.protection, breaker } } } };
}

interface Answer {
  /** Seconds since the timeline started, when the answer came. */
  at: number;
  ms: number;
  /** Whether the answer held the ticket (Zendesk's part of it). */
  ticket: boolean;
}

async function runScenario(scenario: Scenario): Promise<{ seconds: Second[]; answers: Answer[] }> {
  const authSecret = randomBytes(32).toString('base64url');
  const stack = await startStack({
    authSecret,
    cache: false,
    latencyMs: env.BENCH_LATENCY_MS,
    editRegistry: (r) => ({ tenants: r.tenants.map((t) => (t.id === TENANT ? withProtection(t, scenario) : t)) }),
  });
  try {
    const secret = new TextEncoder().encode(authSecret);
    const tokens = await Promise.all(
      Array.from({ length: AGENTS }, (_, i) =>
        mintLocalToken({ tenant: TENANT, role: 'agent', subject: `agent-${i}@${TENANT}.example`, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }, secret),
      ),
    );
    let sent = 0;
    const post = async (): Promise<{ ms: number; ticket: boolean }> => {
      const token = tokens[sent++ % AGENTS];
      const started = performance.now();
      const res = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: TICKET_CONTEXT_QUERY, variables: { id: '1' } }),
      });
      const body = (await res.json()) as { data?: { ticket?: unknown } | null };
      return { ms: performance.now() - started, ticket: Boolean(body.data?.ticket) };
    };
    await post(); // start-up work (plans, connections, tokens) out of the way

    const t0 = performance.now();
    const done: Answer[] = [];
    const inFlight = new Set<Promise<void>>();
    const seconds: Second[] = [];
    let calls = await zendeskCalls(stack);
    let held = (await guardFigures()).heldBack;
    const interval = 1000 / env.BENCH_FAULTS_RATE;

    for (let s = 0; s < env.BENCH_FAULTS_SECONDS; s++) {
      if (s === env.BENCH_FAULTS_FROM) stack.emulators.zendesk.faults.add([scenario.rule]);
      if (s === env.BENCH_FAULTS_TO) stack.emulators.zendesk.faults.clear();
      for (let i = 0; i < env.BENCH_FAULTS_RATE; i++) {
        const startAt = t0 + s * 1000 + i * interval;
        const wait = startAt - performance.now();
        if (wait > 0) await sleep(wait);
        const p = post()
          .then((r) => void done.push({ at: (performance.now() - t0) / 1000, ...r }))
          .catch(() => void done.push({ at: (performance.now() - t0) / 1000, ms: performance.now() - startAt, ticket: false }))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      const endOfSecond = t0 + (s + 1) * 1000 - performance.now();
      if (endOfSecond > 0) await sleep(endOfSecond);
      const nowCalls = await zendeskCalls(stack);
      const figures = await guardFigures();
      const inThisSecond = done.filter((d) => d.at >= s && d.at < s + 1);
      seconds.push({
        second: s,
        phase: s < env.BENCH_FAULTS_FROM ? 'healthy' : s < env.BENCH_FAULTS_TO ? 'fault' : 'recovered',
        requests: inThisSecond.length,
        p50Ms: percentile(
          inThisSecond.map((d) => d.ms),
          50,
        ),
        withTicket: inThisSecond.filter((d) => d.ticket).length,
        zendeskCalls: nowCalls - calls,
        heldBack: figures.heldBack - held,
        breaker: figures.state,
      });
      calls = nowCalls;
      held = figures.heldBack;
    }
    await Promise.allSettled([...inFlight]);
    return { seconds, answers: done };
  } finally {
    await stack.stop();
  }
}

function table(seconds: Second[]): string {
  const lines = ['| s | phase | requests | p50 ms | with ticket | Zendesk calls | held back | breaker |', '|---|---|---|---|---|---|---|---|'];
  for (const s of seconds) {
    lines.push(
      `| ${s.second} | ${s.phase} | ${s.requests} | ${s.p50Ms === null ? '-' : Math.round(s.p50Ms)} | ${s.withTicket} | ${s.zendeskCalls} | ${s.heldBack} | ${s.breaker} |`,
    );
  }
  return lines.join('\n');
}

/** While the fault lasts: requests answered, their p50, Zendesk calls; after it: seconds until the first answer with a ticket. */
function summary(seconds: Second[], all: Answer[]): string {
  const during = seconds.filter((s) => s.phase === 'fault');
  const inFault = all.filter((d) => d.at >= env.BENCH_FAULTS_FROM && d.at < env.BENCH_FAULTS_TO);
  const p50 = percentile(
    inFault.map((d) => d.ms),
    50,
  );
  const firstTicket = all.filter((d) => d.at >= env.BENCH_FAULTS_TO && d.ticket).sort((a, b) => a.at - b.at)[0];
  return (
    `While Zendesk was faulty (${during.length} s): ${inFault.length} requests answered, p50 ${p50 === null ? '-' : Math.round(p50)} ms, ` +
    `${during.reduce((n, s) => n + s.zendeskCalls, 0)} Zendesk calls, ${during.reduce((n, s) => n + s.heldBack, 0)} held back by the guard. ` +
    `First answer with a ticket ${firstTicket ? `${(firstTicket.at - env.BENCH_FAULTS_TO).toFixed(1)} s` : 'never'} after Zendesk came back.`
  );
}

async function main(): Promise<void> {
  const names = env.BENCH_FAULTS_SCENARIOS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: Record<string, { seconds: Second[]; summary: string }> = {};
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  process.stdout.write(
    `Machine: ${machine}. ${env.BENCH_FAULTS_RATE} ticket-context requests a second (open loop), tenant ${TENANT}, cache off, ${env.BENCH_LATENCY_MS} ms injected per upstream call; ` +
      `Zendesk faulty from ${env.BENCH_FAULTS_FROM} s to ${env.BENCH_FAULTS_TO} s; breaker half-open after ${env.BENCH_FAULTS_HALF_OPEN_MS} ms; other protection settings at their defaults.\n`,
  );
  for (const name of names) {
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
    process.stdout.write(
      `\n### ${name} (Zendesk budget ${scenario.timeoutMs} ms, breaker opens after ${scenario.consecutiveFailures} consecutive failures)\n\n`,
    );
    const { seconds, answers } = await runScenario(scenario);
    out[name] = { seconds, summary: summary(seconds, answers) };
    process.stdout.write(`${out[name].summary}\n\n${table(seconds)}\n`);
  }
  const dir = resolve(__dirname, 'out');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `faults-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ env, machine, scenarios: out }, null, 2));
  process.stdout.write(`\nraw figures: ${file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
