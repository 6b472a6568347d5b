/**
 * `npm run bench`: the ticket-context query on the embedded sandbox with latency injected into every
 * upstream call (default 20 ms), loopback only, bounded in time. Scenarios, each in its own stack:
 *
 * - naive:         subgraphs with loaders and cache off (one upstream call per resolver): the baseline
 * - batched:       per-request DataLoaders, no cache
 * - memory-warm:   batched + in-process entity cache, after a warm-up
 * - redis-warm:    batched + Redis entity cache (REDIS_URL, default redis://127.0.0.1:6379), after a warm-up
 *
 * For each: cold p50 (sequential single requests, cache flushed), the critical-path floor (sequential
 * upstream hops of one cold request x latency, hops read from the emulators' arrival timeline), then
 * autocannon load: p50/p99 latency, throughput, and upstream calls per query from the emulators'
 * stats. Writes bench/RESULTS.md's generated section and bench/out/<date>.json.
 *
 * Environment: BENCH_LATENCY_MS (20), BENCH_SECONDS (10 per load run), BENCH_CONNECTIONS (10),
 * BENCH_COLD_SAMPLES (15), REDIS_URL, BENCH_SCENARIOS (comma list).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { TICKET_CONTEXT_QUERY } from '../sandbox/queries';
import { startStack, type RunningStack, type StackOptions } from '../sandbox/stack';
import { withLiftedLimits } from '../sandbox/lifted-limits';

const Env = z.object({
  BENCH_LATENCY_MS: z.coerce.number().int().min(0).default(20),
  BENCH_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(200).default(10),
  BENCH_COLD_SAMPLES: z.coerce.number().int().min(1).max(200).default(15),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  BENCH_SCENARIOS: z.string().default('naive,batched,memory-warm,redis-warm'),
});
const env = Env.parse(process.env);

const SYSTEMS = ['odoo', 'salesforce', 'zendesk'] as const;

const TICKET_ID = '2'; // the anchor whose customer has 150 orders

interface ScenarioResult {
  name: string;
  coldP50Ms: number;
  hops: number;
  floorMs: number;
  callsPerColdQuery: Record<(typeof SYSTEMS)[number], number>;
  load: { p50Ms: number; p99Ms: number; rps: number; requests: number; errors: number; non2xx: number; callsPerQuery: number };
}

async function admin(stack: RunningStack, path: string, method = 'GET'): Promise<unknown> {
  const out: unknown[] = [];
  for (const s of SYSTEMS) out.push(await (await fetch(`${stack.emulators[s].url}/__sandbox/${path}`, { method })).json());
  return out;
}

async function totalCalls(stack: RunningStack): Promise<Record<(typeof SYSTEMS)[number], number>> {
  const counts = {} as Record<(typeof SYSTEMS)[number], number>;
  for (const s of SYSTEMS) {
    const body = (await (await fetch(`${stack.emulators[s].url}/__sandbox/stats`)).json()) as { requests: Record<string, Record<string, number>> };
    counts[s] = Object.values(body.requests)
      .flatMap((ops) => Object.values(ops))
      .reduce((a, b) => a + b, 0);
  }
  return counts;
}

/** Sequential hops: arrivals more than half a latency apart start a new wave. */
async function hopsOfLastRequest(stack: RunningStack, latencyMs: number): Promise<number> {
  const arrivals: number[] = [];
  // Emulators share one process and one monotonic clock, so their timelines merge.
  for (const s of SYSTEMS) {
    const body = (await (await fetch(`${stack.emulators[s].url}/__sandbox/timeline`)).json()) as { requests: Array<{ at: number }> };
    arrivals.push(...body.requests.map((r) => r.at));
  }
  arrivals.sort((a, b) => a - b);
  let hops = arrivals.length ? 1 : 0;
  for (let i = 1; i < arrivals.length; i++) if (arrivals[i]! - arrivals[i - 1]! > latencyMs / 2) hops += 1;
  return hops;
}

const WARMUP_SECONDS = 2;

const loadOptions = (stack: RunningStack, token: string) => ({
  url: stack.gateway.url,
  method: 'POST' as const,
  connections: env.BENCH_CONNECTIONS,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ query: TICKET_CONTEXT_QUERY, variables: { id: TICKET_ID } }),
});

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function post(stack: RunningStack, token: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: TICKET_CONTEXT_QUERY, variables: { id: TICKET_ID } }),
  });
  const body = (await res.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`bench query failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return performance.now() - started;
}

async function runScenario(name: string, options: StackOptions, warm: boolean): Promise<ScenarioResult> {
  // One token drives the whole load: admission limits are lifted (bench:fairness measures them).
  const stack = await startStack({
    ...options,
    latencyMs: env.BENCH_LATENCY_MS,
    editRegistry: withLiftedLimits(),
  });
  try {
    const token = await stack.token('acme', 'agent', 3600);
    await post(stack, token); // start-up work (plans, connections) out of the way
    // Cold: each sample with an empty cache.
    const cold: number[] = [];
    let callsPerColdQuery = { odoo: 0, salesforce: 0, zendesk: 0 };
    let hops = 0;
    for (let i = 0; i < env.BENCH_COLD_SAMPLES; i++) {
      await stack.cache?.deleteByPrefix('acme:ec:');
      await admin(stack, 'reset', 'POST');
      cold.push(await post(stack, token));
      if (i === 0) {
        callsPerColdQuery = await totalCalls(stack);
        hops = await hopsOfLastRequest(stack, env.BENCH_LATENCY_MS);
      }
    }
    cold.sort((a, b) => a - b);
    if (warm) await post(stack, token);
    // An unmeasured round first: JIT and connection pools warm up, so scenarios compare fairly.
    await autocannon({ ...loadOptions(stack, token), duration: WARMUP_SECONDS });
    await admin(stack, 'reset', 'POST');
    const result = await autocannon({ ...loadOptions(stack, token), duration: env.BENCH_SECONDS });
    const calls = await totalCalls(stack);
    const total = calls.odoo + calls.salesforce + calls.zendesk;
    return {
      name,
      coldP50Ms: Math.round(percentile(cold, 50) * 10) / 10,
      hops,
      floorMs: hops * env.BENCH_LATENCY_MS,
      callsPerColdQuery,
      load: {
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        rps: Math.round(result.requests.average * 10) / 10,
        requests: result.requests.total,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
        callsPerQuery: result.requests.total ? Math.round((total / result.requests.total) * 100) / 100 : 0,
      },
    };
  } finally {
    await stack.stop();
  }
}

const SCENARIOS: Record<string, { options: StackOptions; warm: boolean }> = {
  naive: { options: { economy: 'naive', cache: false }, warm: false },
  batched: { options: { cache: false }, warm: false },
  'memory-warm': { options: {}, warm: true },
  'redis-warm': { options: { redisUrl: env.REDIS_URL }, warm: true },
};

function table(results: ScenarioResult[]): string {
  const lines = [
    '| scenario | cold p50 ms | critical-path floor ms (hops x latency) | upstream calls, cold query (odoo/sf/zd) | load p50 ms | load p99 ms | req/s | upstream calls per query under load | errors |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const c = r.callsPerColdQuery;
    lines.push(
      `| ${r.name} | ${r.coldP50Ms} | ${r.floorMs} (${r.hops} x ${env.BENCH_LATENCY_MS}) | ${c.odoo + c.salesforce + c.zendesk} (${c.odoo}/${c.salesforce}/${c.zendesk}) | ${r.load.p50Ms} | ${r.load.p99Ms} | ${r.load.rps} | ${r.load.callsPerQuery} | ${r.load.errors + r.load.non2xx} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const names = env.BENCH_SCENARIOS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const results: ScenarioResult[] = [];
  for (const name of names) {
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
    process.stdout.write(`running ${name}...\n`);
    results.push(await runScenario(name, scenario.options, scenario.warm));
  }
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const when = new Date().toISOString();
  const section = [
    `<!-- generated by npm run bench: ${when} -->`,
    `Machine: ${machine}. Latency injected per upstream call: ${env.BENCH_LATENCY_MS} ms. Load: ${env.BENCH_CONNECTIONS} connections for ${env.BENCH_SECONDS} s per scenario after a ${WARMUP_SECONDS} s unmeasured warm-up, ticket ${TICKET_ID} (customer with 150 orders), tenant acme, role agent. Cold p50 over ${env.BENCH_COLD_SAMPLES} sequential requests, cache flushed before each.`,
    '',
    table(results),
    '<!-- end generated -->',
  ].join('\n');
  process.stdout.write(`\n${section}\n`);
  const resultsPath = resolve(__dirname, 'RESULTS.md');
  let doc: string;
  try {
    doc = readFileSync(resultsPath, 'utf8');
  } catch {
    doc = '# Benchmark results\n\n<!-- generated by npm run bench -->\n<!-- end generated -->\n';
  }
  const start = doc.indexOf('<!-- generated by npm run bench');
  const endMarker = '<!-- end generated -->';
  const end = doc.indexOf(endMarker);
  doc = start >= 0 && end > start ? doc.slice(0, start) + section + doc.slice(end + endMarker.length) : `${doc}\n${section}\n`;
  writeFileSync(resultsPath, doc);
  mkdirSync(resolve(__dirname, 'out'), { recursive: true });
  writeFileSync(resolve(__dirname, 'out', `${when.replace(/[:.]/g, '-')}.json`), JSON.stringify({ machine, env, results }, null, 2));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
