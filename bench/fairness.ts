/**
 * `npm run bench:fairness`: a noisy neighbour. globex sends its (warm, cached) ticket-context query
 * at a steady trickle; then acme floods the same gateway with ticket-context queries from many
 * connections and subjects. globex's latency idle and under the flood are compared, once with acme's
 * limits as the registry defaults them (admission control) and once with acme's limits raised out
 * of reach (as if there were none). The whole stack runs in this process, loopback only; the
 * load generators (autocannon) too, so the figures include their CPU.
 *
 * Environment: BENCH_LATENCY_MS (20), BENCH_SECONDS (10), BENCH_NOISY_CONNECTIONS (200),
 * BENCH_NOISY_SUBJECTS (20), BENCH_QUIET_CONNECTIONS (2), BENCH_QUIET_RATE (20 requests a second),
 * BENCH_ROUNDS (3, each scenario once per round).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { mintLocalToken } from '../gateway/local-tokens';
import { TICKET_CONTEXT_QUERY } from '../sandbox/queries';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, startStack, type RunningStack } from '../sandbox/stack';
import { LIFTED_LIMITS } from '../sandbox/lifted-limits';
import { DEFAULT_TENANT_LIMITS, type TenantLimits } from '../tenancy/registry';

const Env = z.object({
  BENCH_LATENCY_MS: z.coerce.number().int().min(0).default(20),
  BENCH_SECONDS: z.coerce.number().int().min(2).max(120).default(10),
  BENCH_NOISY_CONNECTIONS: z.coerce.number().int().min(1).max(1000).default(200),
  BENCH_NOISY_SUBJECTS: z.coerce.number().int().min(1).max(1000).default(20),
  BENCH_QUIET_CONNECTIONS: z.coerce.number().int().min(1).max(20).default(2),
  BENCH_QUIET_RATE: z.coerce.number().int().min(1).max(1000).default(20),
  BENCH_ROUNDS: z.coerce.number().int().min(1).max(10).default(3),
});
const env = Env.parse(process.env);
const SECRET = 'fairness-bench-secret-of-at-least-32-characters';

const token = (tenant: string, subject: string) =>
  mintLocalToken({ tenant, role: 'agent', subject, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }, new TextEncoder().encode(SECRET));
const body = (id: string) => JSON.stringify({ query: TICKET_CONTEXT_QUERY, variables: { id } });

interface Quiet {
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
}

async function quiet(stack: RunningStack, seconds: number): Promise<Quiet> {
  const t = await token('globex', 'globex-agent');
  const r = await autocannon({
    url: stack.gateway.url,
    method: 'POST',
    connections: env.BENCH_QUIET_CONNECTIONS,
    // A steady trickle (an agent's sidebar or two), not a closed loop: its latency is the measure.
    overallRate: env.BENCH_QUIET_RATE,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
    body: body('1'),
  });
  return { p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx };
}

async function noisy(stack: RunningStack, seconds: number) {
  const tokens = await Promise.all(Array.from({ length: env.BENCH_NOISY_SUBJECTS }, (_, i) => token('acme', `acme-agent-${i}`)));
  const requests = tokens.map((t) => ({
    method: 'POST' as const,
    path: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
    body: body('1'),
  }));
  // In a worker thread: the flood's own client work stays off the event loop under test.
  const r = await autocannon({ url: stack.gateway.url, connections: env.BENCH_NOISY_CONNECTIONS, duration: seconds, requests, workers: 1 });
  return { requests: r.requests.total, ok: r['2xx'], refused: r.non2xx, p50: r.latency.p50 };
}

async function scenario(name: string, acmeLimits: TenantLimits) {
  const stack = await startStack({
    latencyMs: env.BENCH_LATENCY_MS,
    authSecret: SECRET,
    // globex's own limits are not under test: lifted, so its trickle is never refused.
    editRegistry: (reg) => ({
      tenants: reg.tenants.map((t) => (t.id === 'acme' ? { ...t, limits: acmeLimits } : { ...t, limits: { ...LIFTED_LIMITS } })),
    }),
  });
  try {
    await quiet(stack, 2); // warm globex's cache
    const idle = await quiet(stack, env.BENCH_SECONDS);
    const [underLoad, flood] = await Promise.all([quiet(stack, env.BENCH_SECONDS), noisy(stack, env.BENCH_SECONDS)]);
    const out = { name, idle, underLoad, flood, ratioP99: underLoad.p99 / Math.max(idle.p99, 1) };
    console.log(JSON.stringify(out));
    return out;
  } finally {
    await stack.stop();
  }
}

async function main() {
  // Interleaved rounds: one run's p99 is a few requests, so each scenario is shown several times.
  const results = [];
  for (let round = 1; round <= env.BENCH_ROUNDS; round++) {
    results.push(await scenario(`admission control (registry defaults), round ${round}`, { ...DEFAULT_TENANT_LIMITS }));
    results.push(await scenario(`no limits, round ${round}`, { ...LIFTED_LIMITS }));
  }
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.idle.p50} / ${r.idle.p99} | ${r.underLoad.p50} / ${r.underLoad.p99} | ${r.ratioP99.toFixed(1)}× | ${r.underLoad.non2xx} | ${r.flood.requests} | ${r.flood.ok} | ${r.flood.refused} |`,
  );
  const section = [
    '<!-- fairness:start -->',
    `Generated by \`npm run bench:fairness\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, ${env.BENCH_LATENCY_MS} ms per upstream call, ${env.BENCH_SECONDS} s per phase, whole stack and load generators in one process).`,
    `globex: ${env.BENCH_QUIET_CONNECTIONS} connections sending its warm ticket-context query at ${env.BENCH_QUIET_RATE} a second; acme: ${env.BENCH_NOISY_CONNECTIONS} connections, ${env.BENCH_NOISY_SUBJECTS} agents, ticket-context queries as fast as answered.`,
    '',
    '| acme limits | globex idle p50 / p99 ms | globex under acme flood p50 / p99 ms | p99 ratio | globex non-2xx | acme requests | acme answered | acme refused (429) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '<!-- fairness:end -->',
  ].join('\n');
  const path = resolve(__dirname, 'RESULTS.md');
  const current = readFileSync(path, 'utf8');
  const next = /<!-- fairness:start -->[\s\S]*<!-- fairness:end -->/.test(current)
    ? current.replace(/<!-- fairness:start -->[\s\S]*<!-- fairness:end -->/, section)
    : `${current.trimEnd()}\n\n## Fairness under a noisy neighbour\n\n${section}\n`;
  writeFileSync(path, next);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
