/**
 * `npm run bench:peers`: this gateway side by side with plain @apollo/gateway and Hive Gateway, each
 * in its own process, all over the same subgraphs process, under the same load.
 *
 * - Subgraphs: one forked process (bench/peers/subgraphs.ts): the three emulators with
 *   BENCH_LATENCY_MS per upstream call and the three subgraphs with one in-process entity cache.
 * - This gateway: `gateway/main.ts` as in production (NODE_ENV=production, its default log level,
 *   stdout to /dev/null), tenants from a temporary copy of the sandbox registry in which acme's
 *   admission limits are raised out of reach (the registry defaults, 64 requests in flight and 600
 *   a minute per subject, would refuse most of a 20-connection flood with 429).
 * - Plain @apollo/gateway 2.14 + @apollo/server 5 (`startStandaloneServer`): bench/peers/apollo.ts.
 * - Hive Gateway 2.15.1: its CLI, `hive-gateway supergraph <file>`, defaults plus the identity
 *   header (bench/peers/gateway.config.ts); installed on demand into bench/peers/node_modules.
 * - The peers send one fixed identity (acme's agent) as static per-subgraph tokens, renewed every
 *   30 s (bench/peers/identity-tokens.ts); this gateway derives the same identity from the client's
 *   bearer token, which every request carries to all three.
 *
 * Load: autocannon in this process, BENCH_CONNECTIONS (20) connections sending the ticket-context
 * query for acme's ticket 1, a BENCH_WARMUP_SECONDS (5) warm-up per gateway (which also fills the
 * subgraphs' entity cache), then BENCH_ROUNDS (3) interleaved rounds of BENCH_SECONDS (10) each:
 * ours, apollo, hive, ours, apollo, hive, ... Per gateway: req/s, p50/p95/p99 over every response
 * of its rounds, peak RSS (VmHWM of its process), CPU ms per request of its process and of the
 * subgraphs process (utime+stime from /proc), upstream calls per request (emulator stats). One
 * answer through each gateway is compared with this gateway's (`data`, deeply).
 *
 * Writes bench/RESULTS.md's `peers` section and bench/out/peers-<timestamp>.json. Linux only (/proc).
 * BENCH_PEERS (ours,apollo,hive) picks a subset, for trying the script out. BENCH_OURS_NODE_ARGS adds
 * Node flags to this gateway's process only (heap experiments).
 *
 * BENCH_TICKETS (default `1`): acme ticket ids, as a list and/or ranges (`6-25`). With more than one,
 * each request asks the next ticket in turn, so that the requests in flight at one moment are for
 * different tickets (as long as there are at least as many tickets as connections): in-flight deduplication (this gateway's and Hive Gateway's) then
 * shares little, which ticket 1 from every connection shows at its best. Such a run writes its own
 * part of RESULTS.md (`peers-tickets`), and every ticket's answer is compared.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { TICKET_CONTEXT_QUERY } from '../../sandbox/queries';
import { intFromEnv } from './env';
import { INTERNAL_SECRET_ENV } from './identity-tokens';
import {
  PEERS_DIR,
  ROOT,
  benchClientToken,
  benchRegistry,
  benchSupergraph,
  benchWorkspace,
  loadAverage,
  cpuMs,
  freePort,
  peakRssMb,
  spawnThisGateway,
  startSubgraphs,
  ticketsFrom,
  watch,
  baseEnv,
  type Proc,
} from './processes';
import type { SubgraphCalls, SubgraphsReady } from './subgraphs';

const PEER_IDS = ['ours', 'apollo', 'hive'] as const;
const env = {
  BENCH_LATENCY_MS: intFromEnv('BENCH_LATENCY_MS', 20, 0, 10_000),
  BENCH_SECONDS: intFromEnv('BENCH_SECONDS', 10, 1, 300),
  BENCH_ROUNDS: intFromEnv('BENCH_ROUNDS', 3, 1, 20),
  BENCH_CONNECTIONS: intFromEnv('BENCH_CONNECTIONS', 20, 1, 1000),
  BENCH_WARMUP_SECONDS: intFromEnv('BENCH_WARMUP_SECONDS', 5, 0, 120),
  BENCH_PEERS: (process.env['BENCH_PEERS'] || PEER_IDS.join(',')).split(',').map((p) => {
    const id = PEER_IDS.find((known) => known === p.trim());
    if (!id) throw new Error(`BENCH_PEERS: ${JSON.stringify(p)} is not one of ${PEER_IDS.join(', ')}`);
    return id;
  }),
  BENCH_TICKETS: ticketsFrom(process.env['BENCH_TICKETS'] || '1'),
};

const HIVE_VERSION = '2.15.1';
const HIVE_PACKAGE = join(PEERS_DIR, 'node_modules', '@graphql-hive', 'gateway', 'package.json');
const bodyFor = (ticket: string) => JSON.stringify({ query: TICKET_CONTEXT_QUERY, variables: { id: ticket } });
const BODIES = env.BENCH_TICKETS.map(bodyFor);
/** Extra Node flags for this gateway's process only (heap experiments), e.g. `--max-semi-space-size=4`. */
const OURS_NODE_ARGS = (process.env['BENCH_OURS_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
/** The default run: every connection asks ticket 1. */
const ONE_TICKET = env.BENCH_TICKETS.length === 1;
const MARKER = ONE_TICKET ? 'peers' : 'peers-tickets';
const AUTH_SECRET = 'peers-bench-client-token-secret-of-32-characters';
const INTERNAL_SECRET = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
const NAMES = { ours: 'this gateway', apollo: '@apollo/gateway 2.14 + @apollo/server 5', hive: `Hive Gateway ${HIVE_VERSION}` } as const;
type PeerId = keyof typeof NAMES;

// ---------- processes ----------

interface Gateway {
  readonly id: PeerId;
  readonly url: string;
  readonly proc: Proc;
}

async function startGateway(id: PeerId, dir: string, ready: SubgraphsReady, supergraph: string, registry: string): Promise<Gateway> {
  const port = await freePort();
  const common = { ...baseEnv(), NODE_ENV: 'production' };
  let child: ChildProcess;
  let url: string;
  if (id === 'ours') {
    child = spawnThisGateway({ port, nodeArgs: OURS_NODE_ARGS, registry, authSecret: AUTH_SECRET, internalSecret: INTERNAL_SECRET, ready });
    url = `http://127.0.0.1:${port}/graphql`;
  } else if (id === 'apollo') {
    child = spawn(process.execPath, ['--import', 'tsx', join(PEERS_DIR, 'apollo.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...common, HOST: '127.0.0.1', PORT: String(port), BENCH_SUPERGRAPH: supergraph, [INTERNAL_SECRET_ENV]: INTERNAL_SECRET },
    });
    url = `http://127.0.0.1:${port}/`;
  } else {
    const bin = join(PEERS_DIR, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js');
    const args = [bin, '--host', '127.0.0.1', '--port', String(port), '--config-path', join(PEERS_DIR, 'gateway.config.ts'), 'supergraph', supergraph];
    child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...common, [INTERNAL_SECRET_ENV]: INTERNAL_SECRET } });
    url = `http://127.0.0.1:${port}/graphql`;
  }
  const proc = watch(id, child);
  const gateway = { id, url, proc };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${NAMES[id]} exited (${child.exitCode})\n${proc.stderrTail()}`);
    const answer = await ask(gateway).catch(() => undefined);
    if (answer?.status === 200) return gateway;
    if (Date.now() > deadline) throw new Error(`${NAMES[id]} did not answer in 120 s (last: ${answer?.status ?? 'no answer'})\n${proc.stderrTail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---------- requests ----------

let clientToken = '';
const headers = () => ({ 'content-type': 'application/json', authorization: `Bearer ${clientToken}` });

async function ask(
  gateway: Gateway,
  ticket = env.BENCH_TICKETS[0]!,
): Promise<{ status: number; body: { data?: unknown; errors?: unknown; extensions?: unknown } }> {
  const res = await fetch(gateway.url, { method: 'POST', headers: headers(), body: bodyFor(ticket) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: unknown; extensions?: unknown } };
}

// ---------- /proc ----------

/** GraphQL requests the subgraphs received so far (asked of the subgraphs process over IPC). */
function subgraphCalls(subgraphs: Proc): Promise<number> {
  return new Promise((res, rej) => {
    const onMessage = (m: unknown) => {
      if ((m as Partial<SubgraphCalls>).type !== 'count') return;
      subgraphs.child.off('message', onMessage);
      res((m as SubgraphCalls).subgraphCalls);
    };
    subgraphs.child.on('message', onMessage);
    if (!subgraphs.child.send({ type: 'count' })) rej(new Error('the subgraphs process is gone'));
  });
}

async function upstreamCalls(ready: SubgraphsReady): Promise<number> {
  let total = 0;
  for (const url of Object.values(ready.emulators)) {
    const body = (await (await fetch(`${url}/__sandbox/stats`)).json()) as { requests: Record<string, Record<string, number>> };
    for (const ops of Object.values(body.requests)) for (const n of Object.values(ops)) total += n;
  }
  return total;
}

// ---------- load ----------

interface Round {
  gateway: PeerId;
  round: number;
  seconds: number;
  responses: number;
  non2xx: number;
  errors: number;
  graphqlErrors: number;
  gatewayCpuMs: number;
  subgraphsCpuMs: number;
  upstreamCalls: number;
  subgraphCalls: number;
}

function load(
  gateway: Gateway,
  seconds: number,
  latencies?: number[],
): Promise<{ responses: number; seconds: number; non2xx: number; errors: number; graphqlErrors: number }> {
  let graphqlErrors = 0;
  let responses = 0;
  let next = 0;
  return new Promise((res, rej) => {
    const instance = autocannon(
      {
        url: gateway.url,
        connections: env.BENCH_CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: headers(),
            body: BODIES[0]!,
            // Several tickets: each request takes the next one in turn, so the requests in flight at one
            // moment (the last BENCH_CONNECTIONS sent) are for different tickets as far as there are enough.
            ...(ONE_TICKET ? {} : { setupRequest: (request: autocannon.Request) => ({ ...request, body: BODIES[next++ % BODIES.length]! }) }),
            onResponse: (_status, body) => {
              if (body.includes('"errors"')) graphqlErrors += 1;
            },
          },
        ],
      },
      (err, result) => {
        if (err) rej(err instanceof Error ? err : new Error(String(err)));
        else res({ responses, seconds: result.duration, non2xx: result.non2xx, errors: result.errors + result.timeouts, graphqlErrors });
      },
    );
    // The instance emits (client, statusCode, resBytes, responseTime); @types/autocannon leaves the client out.
    instance.on('response', ((...args: unknown[]) => {
      responses += 1;
      latencies?.push(Number(args[3]));
    }) as never);
  });
}

async function measuredRound(gateway: Gateway, round: number, subgraphs: Proc, ready: SubgraphsReady, latencies: number[]): Promise<Round> {
  const gpid = gateway.proc.child.pid!;
  const spid = subgraphs.child.pid!;
  const [g0, s0, u0, c0] = [cpuMs(gpid), cpuMs(spid), await upstreamCalls(ready), await subgraphCalls(subgraphs)];
  const r = await load(gateway, env.BENCH_SECONDS, latencies);
  const [g1, s1, u1, c1] = [cpuMs(gpid), cpuMs(spid), await upstreamCalls(ready), await subgraphCalls(subgraphs)];
  const out: Round = { gateway: gateway.id, round, ...r, gatewayCpuMs: g1 - g0, subgraphsCpuMs: s1 - s0, upstreamCalls: u1 - u0, subgraphCalls: c1 - c0 };
  console.log(
    `round ${round} ${gateway.id}: ${(r.responses / r.seconds).toFixed(1)} req/s, ${r.non2xx} non-2xx, ${r.graphqlErrors} with errors, cpu ${(out.gatewayCpuMs / Math.max(r.responses, 1)).toFixed(2)} ms/req`,
  );
  return out;
}

// ---------- report ----------

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Summary {
  id: PeerId;
  name: string;
  rps: number;
  rpsPerRound: number[];
  p50: number;
  p95: number;
  p99: number;
  peakRssMb: number;
  cpuMsPerRequest: number;
  subgraphsCpuMsPerRequest: number;
  upstreamCallsPerRequest: number;
  subgraphCallsPerRequest: number;
  responses: number;
  non2xx: number;
  errors: number;
  graphqlErrors: number;
}

function summarize(id: PeerId, rounds: readonly Round[], latencies: number[], peakRss: number): Summary {
  const mine = rounds.filter((r) => r.gateway === id);
  const sum = (f: (r: Round) => number) => mine.reduce((a, r) => a + f(r), 0);
  const responses = sum((r) => r.responses);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    id,
    name: NAMES[id],
    rps: responses / sum((r) => r.seconds),
    rpsPerRound: mine.map((r) => r.responses / r.seconds),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    peakRssMb: peakRss,
    cpuMsPerRequest: sum((r) => r.gatewayCpuMs) / Math.max(responses, 1),
    subgraphsCpuMsPerRequest: sum((r) => r.subgraphsCpuMs) / Math.max(responses, 1),
    upstreamCallsPerRequest: sum((r) => r.upstreamCalls) / Math.max(responses, 1),
    subgraphCallsPerRequest: sum((r) => r.subgraphCalls) / Math.max(responses, 1),
    responses,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    graphqlErrors: sum((r) => r.graphqlErrors),
  };
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');

function section(summaries: readonly Summary[], meta: { date: string; load: { before: string; after: string }; answers: string[] }): string {
  const row = (s: Summary) =>
    `| ${s.name} | ${f1(s.rps)} (${s.rpsPerRound.map(f1).join(', ')}) | ${f1(s.p50)} | ${f1(s.p95)} | ${f1(s.p99)} | ${Math.round(s.peakRssMb)} | ${f2(s.cpuMsPerRequest)} | ${f2(s.subgraphsCpuMsPerRequest)} | ${f2(s.subgraphCallsPerRequest)} | ${f2(s.upstreamCallsPerRequest)} | ${s.responses} | ${s.non2xx} / ${s.errors} / ${s.graphqlErrors} |`;
  const ours = summaries.find((s) => s.id === 'ours');
  const ratioRows = ours
    ? summaries
        .filter((s) => s.id !== 'ours')
        .map(
          (s) =>
            `| this gateway / ${s.id} | ${f2(ours.rps / s.rps)} | ${f2(ours.p50 / s.p50)} | ${f2(ours.p95 / s.p95)} | ${f2(ours.p99 / s.p99)} | ${f2(ours.peakRssMb / s.peakRssMb)} | ${f2(ours.cpuMsPerRequest / s.cpuMsPerRequest)} | ${f2(ours.subgraphsCpuMsPerRequest / s.subgraphsCpuMsPerRequest)} |`,
        )
    : [];
  const cpu = cpus();
  return [
    `<!-- ${MARKER}:start -->`,
    `Generated by \`npm run bench:peers\` on ${meta.date}. Machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Load average (1/5/15 min) before: ${meta.load.before}; after: ${meta.load.after}.`,
    `Load: autocannon (in the bench's own process), ${env.BENCH_CONNECTIONS} connections, the ticket-context query (role agent) for acme's ${ONE_TICKET ? `ticket ${env.BENCH_TICKETS[0]} on every connection` : `tickets ${process.env['BENCH_TICKETS']} (${env.BENCH_TICKETS.length}), each request the next ticket in turn`}, ${env.BENCH_WARMUP_SECONDS} s warm-up per gateway, then ${env.BENCH_ROUNDS} interleaved rounds of ${env.BENCH_SECONDS} s (${summaries.map((s) => s.id).join(', ')}, ...). ${env.BENCH_LATENCY_MS} ms injected per upstream call; the subgraphs' entity cache is hot after the first warm-up.`,
    '',
    '| gateway | req/s (per round) | p50 ms | p95 ms | p99 ms | peak RSS MB | gateway CPU ms/req | subgraphs process CPU ms/req | subgraph calls/req | upstream calls/req | responses | non-2xx / socket errors / answers with errors |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...summaries.map(row),
    '',
    ...(ratioRows.length
      ? [
          'Ratios (above 1: this gateway has more of it; for req/s more is better, for the rest less is):',
          '',
          '| ratio | req/s | p50 | p95 | p99 | peak RSS | gateway CPU/req | subgraphs CPU/req |',
          '|---|---|---|---|---|---|---|---|',
          ...ratioRows,
          '',
        ]
      : []),
    ...meta.answers.map((a) => `- ${a}`),
    `<!-- ${MARKER}:end -->`,
  ].join('\n');
}

function writeResults(text: string): void {
  const path = resolve(ROOT, 'bench', 'RESULTS.md');
  const current = readFileSync(path, 'utf8');
  const marked = new RegExp(`<!-- ${MARKER}:start -->[\\s\\S]*<!-- ${MARKER}:end -->`);
  const heading = ONE_TICKET ? '## Side by side with the peers' : '### Different tickets per connection';
  writeFileSync(path, marked.test(current) ? current.replace(marked, text) : `${current.trimEnd()}\n\n${heading}\n\n${text}\n`);
}

// ---------- main ----------

function ensurePeersInstalled(): void {
  const installed = existsSync(HIVE_PACKAGE) && (JSON.parse(readFileSync(HIVE_PACKAGE, 'utf8')) as { version?: string }).version === HIVE_VERSION;
  if (installed || !env.BENCH_PEERS.includes('hive')) return;
  console.log(`installing Hive Gateway ${HIVE_VERSION} into bench/peers/node_modules (about a minute, ~500 MB)...`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm install --prefix bench/peers failed');
}

async function main(): Promise<void> {
  ensurePeersInstalled();
  const loadBefore = loadAverage();
  const { dir, procs, cleanup } = benchWorkspace('bench-peers-');
  try {
    clientToken = await benchClientToken(AUTH_SECRET);
    const { proc: subgraphs, ready } = await startSubgraphs(env.BENCH_LATENCY_MS, INTERNAL_SECRET);
    procs.push(subgraphs);
    const supergraph = benchSupergraph(dir, ready.subgraphs);
    const registry = benchRegistry(dir);
    const gateways: Gateway[] = [];
    for (const id of env.BENCH_PEERS) {
      const g = await startGateway(id, dir, ready, supergraph, registry);
      procs.push(g.proc);
      gateways.push(g);
      console.log(`${NAMES[id]}: ${g.url} (pid ${g.proc.child.pid})`);
    }

    for (const g of gateways) if (env.BENCH_WARMUP_SECONDS > 0) await load(g, env.BENCH_WARMUP_SECONDS);

    // The same answer through each gateway, per ticket: `data` compared deeply with the first gateway's, no `errors`.
    const answers = new Map<PeerId, Awaited<ReturnType<typeof ask>>>();
    const notes: string[] = [];
    let identical = true;
    let bytes = 0;
    for (const ticket of env.BENCH_TICKETS) {
      let reference: Awaited<ReturnType<typeof ask>> | undefined;
      for (const g of gateways) {
        const a = await ask(g, ticket);
        if (ticket === env.BENCH_TICKETS[0]) answers.set(g.id, a);
        reference ??= a;
        if (g === gateways[0]) bytes += JSON.stringify(a.body.data ?? null).length;
        if (a.status !== 200 || a.body.errors !== undefined || a.body.data === undefined) {
          identical = false;
          notes.push(`ticket ${ticket}: ${NAMES[g.id]} answered ${a.status} ${JSON.stringify(a.body.errors ?? null).slice(0, 300)}`);
        } else if (!isDeepStrictEqual(a.body.data, reference.body.data)) {
          identical = false;
          notes.push(`ticket ${ticket}: ${NAMES[g.id]}'s data differs from ${NAMES[gateways[0]!.id]}'s`);
        }
      }
    }
    const extensionsOf = (id: PeerId) => Object.keys((answers.get(id)?.body.extensions as object | undefined) ?? {});
    notes.unshift(
      (identical
        ? `Answers checked identical: one answer per ticket through each gateway, \`data\` deeply equal, no \`errors\` (${bytes} bytes of JSON over ${env.BENCH_TICKETS.length} ticket${ONE_TICKET ? '' : 's'}).`
        : 'Answers NOT identical: see below.') + gateways.map((g) => ` ${NAMES[g.id]}'s \`extensions\`: ${extensionsOf(g.id).join(', ') || 'none'}.`).join(''),
    );
    if (!identical) console.error(notes.join('\n'));

    const rounds: Round[] = [];
    const latencies = new Map<PeerId, number[]>(gateways.map((g) => [g.id, []]));
    for (let round = 1; round <= env.BENCH_ROUNDS; round++) {
      for (const g of gateways) rounds.push(await measuredRound(g, round, subgraphs, ready, latencies.get(g.id)!));
    }
    const summaries = gateways.map((g) => summarize(g.id, rounds, latencies.get(g.id)!, peakRssMb(g.proc.child.pid!)));
    const subgraphsPeakRssMb = peakRssMb(subgraphs.child.pid!);
    await cleanup();
    procs.length = 0;
    const loadAfter = loadAverage();
    notes.push(`The subgraphs process (emulators and subgraphs) peaked at ${Math.round(subgraphsPeakRssMb)} MB RSS.`);
    const date = new Date().toISOString();
    mkdirSync(resolve(ROOT, 'bench', 'out'), { recursive: true });
    const raw = { date, env, loadavg: { before: loadBefore, after: loadAfter }, summaries, rounds, subgraphsPeakRssMb, answers: Object.fromEntries(answers) };
    writeFileSync(resolve(ROOT, 'bench', 'out', `peers-${date.replace(/[:.]/g, '-')}.json`), JSON.stringify(raw, null, 2));
    for (const s of summaries) console.log(JSON.stringify(s));
    writeResults(section(summaries, { date: date.slice(0, 10), load: { before: loadBefore, after: loadAfter }, answers: notes }));
    if (!identical) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
