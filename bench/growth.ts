/**
 * `npm run bench:growth`: does this gateway's process grow over many requests, and how low can its
 * RSS be held with V8 flags without losing throughput?
 *
 * - Subgraphs: one forked process (bench/peers/subgraphs.ts, as `npm run bench:peers` starts it),
 *   BENCH_LATENCY_MS (20) per upstream call, shared by every variant.
 * - This gateway: `gateway/main.ts` as in production (NODE_ENV=production, stdout to /dev/null), one
 *   fresh process per variant, tenants from a temporary copy of the sandbox registry with acme's
 *   admission limits lifted (bench/peers/processes.ts), started with `--inspect=127.0.0.1:0`, then
 *   BENCH_GROWTH_NODE_ARGS (space-separated, every variant), then the variant's own flags.
 * - Memory: over the inspector (Chrome DevTools Protocol on the `ws://` URL the child prints on
 *   stderr), `HeapProfiler.collectGarbage` three times, then `process.memoryUsage()` evaluated in
 *   the gateway; no product code involved. Peak RSS is VmHWM from /proc/<pid>/status.
 * - Load: autocannon in this process, BENCH_CONNECTIONS (20) connections, the ticket-context query
 *   for acme's BENCH_TICKETS (`1-20`; list and/or ranges, acme has tickets 1 to 301), each request
 *   the next ticket in turn, one bearer token. Per variant: every ticket asked once and checked
 *   (200, no `errors`, `data.ticket` not null), a warm-up of 2,000 requests, a sample, then
 *   BENCH_GROWTH_REQUESTS (50,000, a multiple of 5,000) in chunks of 5,000 (autocannon `amount`) with a sample after each.
 * - Variants: BENCH_GROWTH_VARIANTS, `;`-separated Node flag sets, `default` for none.
 *
 * Writes bench/out/growth-<timestamp>.json and the generated part of bench/RESULTS.md's "Growth over
 * 50,000 requests" section. Exits 1 when a gateway fails to start, crashes, or answers an error.
 * Linux only (/proc). `BENCH_GROWTH_FROM=bench/out/growth-<timestamp>.json` runs nothing: it writes
 * that earlier run's section again.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { TICKET_CONTEXT_QUERY } from '../sandbox/queries';
import { intFromEnv } from './peers/env';
import {
  ROOT,
  benchClientToken,
  benchRegistry,
  benchWorkspace,
  loadAverage,
  cpuMs,
  freePort,
  peakRssMb,
  spawnThisGateway,
  startSubgraphs,
  stopProc,
  ticketsFrom,
  watch,
  type Proc,
} from './peers/processes';
import type { SubgraphsReady } from './peers/subgraphs';

const WARMUP_REQUESTS = 2_000;
const CHUNK_REQUESTS = 5_000;
const env = {
  BENCH_LATENCY_MS: intFromEnv('BENCH_LATENCY_MS', 20, 0, 10_000),
  BENCH_CONNECTIONS: intFromEnv('BENCH_CONNECTIONS', 20, 1, 1000),
  BENCH_GROWTH_REQUESTS: intFromEnv('BENCH_GROWTH_REQUESTS', 50_000, CHUNK_REQUESTS, 10_000_000),
  BENCH_TICKETS: ticketsFrom(process.env['BENCH_TICKETS'] || '1-20'),
  BENCH_GROWTH_NODE_ARGS: (process.env['BENCH_GROWTH_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
  BENCH_GROWTH_VARIANTS: (process.env['BENCH_GROWTH_VARIANTS'] || 'default;--max-old-space-size=160;--max-old-space-size=96 --max-semi-space-size=2')
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean),
};
if (env.BENCH_GROWTH_REQUESTS % CHUNK_REQUESTS !== 0) throw new Error(`BENCH_GROWTH_REQUESTS must be a multiple of ${CHUNK_REQUESTS}`);
const TICKET_SPEC = process.env['BENCH_TICKETS'] || '1-20';
const AUTH_SECRET = 'growth-bench-client-token-secret-of-32-characters';
const INTERNAL_SECRET = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
const BODIES = env.BENCH_TICKETS.map((id) => JSON.stringify({ query: TICKET_CONTEXT_QUERY, variables: { id } }));
const MB = 2 ** 20;

const flagsOf = (variant: string): string[] => (variant === 'default' ? [] : variant.split(/\s+/).filter(Boolean));

let clientToken = '';
const headers = () => ({ 'content-type': 'application/json', authorization: `Bearer ${clientToken}` });

// ---------- the inspector ----------

/** A minimal Chrome DevTools Protocol client over the gateway's inspector websocket. */
class Inspector {
  #nextId = 1;
  readonly #pending = new Map<number, { res: (result: unknown) => void; rej: (err: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      const pending = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!pending) return; // an event
      this.#pending.delete(message.id!);
      if (message.error) pending.rej(new Error(`inspector: ${message.error.message}`));
      else pending.res(message.result);
    });
    socket.on('close', () => {
      for (const p of this.#pending.values()) p.rej(new Error('inspector: the connection closed'));
      this.#pending.clear();
    });
  }

  static connect(url: string): Promise<Inspector> {
    return new Promise((res, rej) => {
      const socket = new WebSocket(url);
      socket.once('open', () => res(new Inspector(socket)));
      socket.once('error', rej);
    });
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((res, rej) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        rej(new Error(`inspector: ${method} unanswered in 60 s`));
      }, 60_000);
      this.#pending.set(id, {
        res: (r) => {
          clearTimeout(timer);
          res(r as T);
        },
        rej: (e) => {
          clearTimeout(timer);
          rej(e);
        },
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** `process.memoryUsage()` of the inspected process after three forced full collections. */
  async memoryAfterGc(): Promise<NodeJS.MemoryUsage> {
    for (let i = 0; i < 3; i++) await this.send('HeapProfiler.collectGarbage');
    const answer = await this.send<{ result: { value?: unknown }; exceptionDetails?: { text: string } }>('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    });
    if (answer.exceptionDetails || typeof answer.result.value !== 'string') {
      throw new Error(`inspector: process.memoryUsage() failed: ${answer.exceptionDetails?.text ?? JSON.stringify(answer.result)}`);
    }
    return JSON.parse(answer.result.value) as NodeJS.MemoryUsage;
  }

  close(): void {
    this.socket.close();
  }
}

// ---------- the gateway ----------

interface Gateway {
  readonly url: string;
  readonly proc: Proc;
  readonly inspector: Inspector;
}

/** The inspector's `ws://` URL, from the line Node prints on stderr when `--inspect` opens it. */
function inspectorUrl(proc: Proc): Promise<string> {
  return new Promise((res, rej) => {
    let seen = '';
    const stderr = proc.child.stderr!;
    const onData = (chunk: string) => {
      seen += chunk;
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(seen);
      if (m) {
        done();
        res(m[1]!);
      }
    };
    const onExit = () => {
      done();
      rej(new Error(`this gateway exited (${proc.child.exitCode ?? proc.child.signalCode}) before its inspector listened\n${proc.stderrTail()}`));
    };
    const timer = setTimeout(() => {
      done();
      rej(new Error(`this gateway's inspector did not listen in 60 s\n${proc.stderrTail()}`));
    }, 60_000);
    const done = () => {
      clearTimeout(timer);
      stderr.off('data', onData);
      proc.child.off('exit', onExit);
    };
    stderr.on('data', onData);
    proc.child.once('exit', onExit);
  });
}

async function ask(url: string, body: string): Promise<{ status: number; body: { data?: { ticket?: unknown } | null; errors?: unknown } }> {
  const res = await fetch(url, { method: 'POST', headers: headers(), body });
  return { status: res.status, body: (await res.json()) as { data?: { ticket?: unknown } | null; errors?: unknown } };
}

async function startGateway(variant: string, registry: string, ready: SubgraphsReady): Promise<Gateway> {
  const port = await freePort();
  const nodeArgs = ['--inspect=127.0.0.1:0', ...env.BENCH_GROWTH_NODE_ARGS, ...flagsOf(variant)];
  const proc = watch(`gateway (${variant})`, spawnThisGateway({ port, nodeArgs, registry, authSecret: AUTH_SECRET, internalSecret: INTERNAL_SECRET, ready }));
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    const inspector = await Inspector.connect(await inspectorUrl(proc));
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        throw new Error(`this gateway (${variant}) exited (${proc.child.exitCode ?? proc.child.signalCode})\n${proc.stderrTail()}`);
      }
      const answer = await ask(url, BODIES[0]!).catch(() => undefined);
      if (answer?.status === 200) return { url, proc, inspector };
      if (Date.now() > deadline)
        throw new Error(`this gateway (${variant}) did not answer in 120 s (last: ${answer?.status ?? 'no answer'})\n${proc.stderrTail()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    await stopProc(proc);
    throw err;
  }
}

/** Every ticket once: 200, no `errors`, `data.ticket` not null. Throws naming the first that is not. */
async function checkAnswers(gateway: Gateway): Promise<void> {
  for (const [i, body] of BODIES.entries()) {
    const a = await ask(gateway.url, body);
    if (a.status !== 200 || a.body.errors !== undefined || !a.body.data?.ticket) {
      throw new Error(`this gateway answered ticket ${env.BENCH_TICKETS[i]} with ${a.status}: ${JSON.stringify(a.body).slice(0, 500)}`);
    }
  }
}

// ---------- load ----------

interface Chunk {
  responses: number;
  seconds: number;
  non2xx: number;
  socketErrors: number;
  graphqlErrors: number;
  /** utime + stime of the gateway's process during the chunk. */
  gatewayCpuMs: number;
  /** The machine's 1-minute load average at the chunk's end (the machine may be shared). */
  loadavg1: number;
  /** The first few answers with `errors` (truncated), to tell what went wrong. */
  errorSamples: string[];
}

/** Index of the next ticket, across chunks and variants, so the requests in flight are for different tickets. */
let nextTicket = 0;

/** `amount` requests over BENCH_CONNECTIONS connections; stopped early if the gateway exits. */
function load(gateway: Gateway, amount: number): Promise<Chunk> {
  let graphqlErrors = 0;
  let responses = 0;
  let exited = '';
  const errorSamples: string[] = [];
  const pid = gateway.proc.child.pid!;
  const cpu0 = cpuMs(pid);
  return new Promise((res, rej) => {
    const instance = autocannon(
      {
        url: gateway.url,
        connections: env.BENCH_CONNECTIONS,
        amount,
        requests: [
          {
            method: 'POST',
            headers: headers(),
            body: BODIES[0]!,
            setupRequest: (request: autocannon.Request) => ({ ...request, body: BODIES[nextTicket++ % BODIES.length]! }),
            onResponse: (status, body) => {
              if (!body.includes('"errors":')) return;
              graphqlErrors += 1;
              if (errorSamples.length < 3) errorSamples.push(`${status} ${body.slice(0, 600)}`);
            },
          },
        ],
      },
      (err, result) => {
        gateway.proc.child.off('exit', onExit);
        if (err) rej(err instanceof Error ? err : new Error(String(err)));
        else if (exited) rej(new Error(`this gateway exited during the load (${exited})\n${gateway.proc.stderrTail()}`));
        else
          res({
            responses,
            seconds: result.duration,
            non2xx: result.non2xx,
            socketErrors: result.errors + result.timeouts,
            graphqlErrors,
            gatewayCpuMs: cpuMs(pid) - cpu0,
            loadavg1: loadavg()[0]!,
            errorSamples,
          });
      },
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      exited = String(code ?? signal);
      instance.stop();
    };
    gateway.proc.child.once('exit', onExit);
    instance.on('response', () => {
      responses += 1;
    });
  });
}

// ---------- a variant ----------

interface Sample {
  /** Measured requests sent before this sample (0: right after the warm-up). */
  afterRequests: number;
  heapUsedMb: number;
  heapTotalMb: number;
  rssMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** VmHWM so far. */
  peakRssMb: number;
  /** The chunk before this sample (none for the first). */
  chunk?: Chunk & { rps: number };
}

interface VariantResult {
  variant: string;
  nodeArgs: string[];
  /** VmHWM once the gateway first answered (start-up, before any load). */
  peakRssAtStartMb: number;
  samples: Sample[];
  failure?: string;
}

async function sample(gateway: Gateway, afterRequests: number, chunk?: Chunk): Promise<Sample> {
  const m = await gateway.inspector.memoryAfterGc();
  const s: Sample = {
    afterRequests,
    heapUsedMb: m.heapUsed / MB,
    heapTotalMb: m.heapTotal / MB,
    rssMb: m.rss / MB,
    externalMb: m.external / MB,
    arrayBuffersMb: m.arrayBuffers / MB,
    peakRssMb: peakRssMb(gateway.proc.child.pid!),
    ...(chunk ? { chunk: { ...chunk, rps: chunk.responses / chunk.seconds } } : {}),
  };
  console.log(
    `  after ${afterRequests} requests: heap ${f1(s.heapUsedMb)} MB, rss ${f1(s.rssMb)} MB, peak rss ${f1(s.peakRssMb)} MB` +
      (s.chunk
        ? `, ${f1(s.chunk.rps)} req/s, ${f2(s.chunk.gatewayCpuMs / s.chunk.responses)} cpu ms/req, load ${f2(s.chunk.loadavg1)}, ${s.chunk.non2xx} non-2xx, ${s.chunk.socketErrors} socket errors, ${s.chunk.graphqlErrors} with errors`
        : ''),
  );
  for (const e of s.chunk?.errorSamples ?? []) console.log(`    answer with errors: ${e}`);
  return s;
}

/** One variant in its own gateway process. A crash mid-run is recorded; a failure to start or a wrong answer before the load throws. */
async function runVariant(variant: string, registry: string, ready: SubgraphsReady): Promise<VariantResult> {
  const nodeArgs = [...env.BENCH_GROWTH_NODE_ARGS, ...flagsOf(variant)];
  console.log(`variant ${variant}: node ${nodeArgs.join(' ') || '(no flags)'}`);
  const gateway = await startGateway(variant, registry, ready);
  const result: VariantResult = { variant, nodeArgs, peakRssAtStartMb: peakRssMb(gateway.proc.child.pid!), samples: [] };
  try {
    console.log(`  this gateway: ${gateway.url} (pid ${gateway.proc.child.pid})`);
    await checkAnswers(gateway); // a wrong answer before any load stops the whole run
    try {
      await load(gateway, WARMUP_REQUESTS);
      result.samples.push(await sample(gateway, 0));
      for (let sent = 0; sent < env.BENCH_GROWTH_REQUESTS; sent += CHUNK_REQUESTS) {
        const chunk = await load(gateway, CHUNK_REQUESTS);
        result.samples.push(await sample(gateway, sent + CHUNK_REQUESTS, chunk));
      }
    } catch (err) {
      result.failure = err instanceof Error ? err.message : String(err);
      console.error(`variant ${variant} failed: ${result.failure}`);
    }
  } finally {
    gateway.inspector.close();
    await stopProc(gateway.proc);
  }
  return result;
}

// ---------- report ----------

interface Summary {
  variant: string;
  heapFirstMb: number;
  heapLastMb: number;
  heapRangeMb: number;
  rssFirstMb: number;
  rssLastMb: number;
  peakRssAtStartMb: number;
  peakRssMb: number;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  cpuMsPerRequest: number;
  responses: number;
  non2xx: number;
  socketErrors: number;
  graphqlErrors: number;
  failure?: string;
}

function summarize(r: VariantResult): Summary {
  const s = r.samples;
  const heaps = s.map((x) => x.heapUsedMb);
  const chunks = s.flatMap((x) => (x.chunk ? [x.chunk] : []));
  const sum = (f: (c: Chunk) => number) => chunks.reduce((a, c) => a + f(c), 0);
  const rates = chunks.map((c) => c.rps);
  return {
    variant: r.variant,
    heapFirstMb: s[0]?.heapUsedMb ?? NaN,
    heapLastMb: s.at(-1)?.heapUsedMb ?? NaN,
    heapRangeMb: heaps.length ? Math.max(...heaps) - Math.min(...heaps) : NaN,
    rssFirstMb: s[0]?.rssMb ?? NaN,
    rssLastMb: s.at(-1)?.rssMb ?? NaN,
    peakRssAtStartMb: r.peakRssAtStartMb,
    peakRssMb: s.at(-1)?.peakRssMb ?? NaN,
    rps: sum((c) => c.responses) / sum((c) => c.seconds),
    rpsMin: rates.length ? Math.min(...rates) : NaN,
    rpsMax: rates.length ? Math.max(...rates) : NaN,
    cpuMsPerRequest: sum((c) => c.gatewayCpuMs) / sum((c) => c.responses),
    responses: sum((c) => c.responses),
    non2xx: sum((c) => c.non2xx),
    socketErrors: sum((c) => c.socketErrors),
    graphqlErrors: sum((c) => c.graphqlErrors),
    ...(r.failure ? { failure: r.failure.split('\n')[0]! } : {}),
  };
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const label = (variant: string) => (variant === 'default' ? 'none (default)' : `\`${variant}\``);

function table(summaries: readonly Summary[]): string {
  const row = (s: Summary) =>
    `| ${label(s.variant)} | ${f1(s.heapFirstMb)} → ${f1(s.heapLastMb)} | ${f1(s.heapRangeMb)} | ${f1(s.rssFirstMb)} → ${f1(s.rssLastMb)} | ${Math.round(s.peakRssAtStartMb)} / ${Math.round(s.peakRssMb)} | ${f1(s.rps)} (${f1(s.rpsMin)}–${f1(s.rpsMax)}) | ${f2(s.cpuMsPerRequest)} | ${s.responses} | ${s.non2xx} / ${s.socketErrors} / ${s.graphqlErrors}${s.failure ? ` (failed: ${s.failure})` : ''} |`;
  return [
    '| Node flags | heap used after GC, first → last sample MB | heap used after GC, max − min MB | RSS after GC, first → last sample MB | peak RSS (VmHWM) at start-up / at the end MB | req/s, mean (slowest–fastest chunk) | gateway CPU ms/req | responses | non-2xx / socket errors / answers with errors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...summaries.map(row),
  ].join('\n');
}

function section(results: readonly VariantResult[], summaries: readonly Summary[], meta: { date: string; load: { before: string; after: string } }): string {
  const cpu = cpus();
  const extra = env.BENCH_GROWTH_NODE_ARGS.length ? ` \`BENCH_GROWTH_NODE_ARGS=${env.BENCH_GROWTH_NODE_ARGS.join(' ')}\` added to every variant.` : '';
  return [
    `<!-- growth: generated by npm run bench:growth: ${meta.date} -->`,
    `Machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Load average (1/5/15 min) before: ${meta.load.before}; after: ${meta.load.after}.`,
    `${env.BENCH_GROWTH_REQUESTS} requests per variant in chunks of ${CHUNK_REQUESTS}, after a ${WARMUP_REQUESTS}-request warm-up; ${env.BENCH_CONNECTIONS} connections; acme tickets ${TICKET_SPEC} (${env.BENCH_TICKETS.length}) in turn; ${env.BENCH_LATENCY_MS} ms per upstream call.${extra}`,
    '',
    table(summaries),
    '',
    'Heap used after GC at each sample (MB; the first right after the warm-up, then one per chunk):',
    '',
    ...results.map((r) => {
      const loads = r.samples.flatMap((s) => (s.chunk ? [s.chunk.loadavg1] : []));
      return `- ${label(r.variant)}: ${r.samples.map((s) => f1(s.heapUsedMb)).join(', ')} (1-minute load average at the chunks' ends: ${f2(Math.min(...loads))}–${f2(Math.max(...loads))})`;
    }),
    ...errorMessages(results),
    '<!-- end growth -->',
  ].join('\n');
}

/** What the answers with errors said (the first three of each chunk are kept), for the generated section. */
function errorMessages(results: readonly VariantResult[]): string[] {
  const counts = new Map<string, number>();
  for (const r of results) {
    for (const s of r.samples) {
      for (const e of s.chunk?.errorSamples ?? []) {
        const message = /"message":"((?:[^"\\]|\\.)*)"/.exec(e)?.[1] ?? e.slice(0, 100);
        counts.set(message, (counts.get(message) ?? 0) + 1);
      }
    }
  }
  if (counts.size === 0) return [];
  return ['', `Answers with errors (the first three of each chunk are kept): ${[...counts].map(([m, n]) => `"${m}" × ${n}`).join(', ')}.`];
}

const STATIC_TEXT = `## Growth over 50,000 requests

Whether this gateway's process grows over a long run, and how far Node flags bring its RSS down.
\`bench/growth.ts\`.

### How to reproduce

\`\`\`sh
npm run bench:growth                              # 3 variants x 52,000 requests: 25 minutes at 100-110 req/s
BENCH_GROWTH_REQUESTS=10000 BENCH_GROWTH_VARIANTS='default;--max-old-space-size=96 --max-semi-space-size=2' npm run bench:growth
\`\`\`

Environment: \`BENCH_GROWTH_REQUESTS\` (50000, a multiple of 5000), \`BENCH_GROWTH_VARIANTS\`
(\`;\`-separated Node flag sets, \`default\` for none), \`BENCH_GROWTH_NODE_ARGS\` (added to every
variant), \`BENCH_TICKETS\` (\`1-20\`), \`BENCH_CONNECTIONS\` (20), \`BENCH_LATENCY_MS\` (20). Each run
rewrites the generated part below and leaves every sample in \`bench/out/growth-<timestamp>.json\`
(git-ignored).

### Method

The subgraphs run in one forked process (\`bench/peers/subgraphs.ts\`, as in \`npm run bench:peers\`),
shared by all variants. Each variant starts a fresh gateway process (\`gateway/main.ts\`,
NODE_ENV=production, acme's admission limits lifted) with \`--inspect=127.0.0.1:0\` and its flags.
autocannon sends the ticket-context query (acme, role agent, one bearer token) over 20 connections,
each request for the next of the 20 tickets. Every ticket is asked once and checked (HTTP 200, no
\`errors\`, \`data.ticket\` not null), then 2,000 warm-up requests are sent, then the measured
requests in chunks of 5,000. A sample is taken after the warm-up and after each chunk: over the
inspector, \`HeapProfiler.collectGarbage\` three times, then \`process.memoryUsage()\` evaluated in the
gateway. Peak RSS is VmHWM from \`/proc/<pid>/status\`, read once the gateway first answers (start-up)
and after the last chunk. req/s is per chunk (responses / chunk duration); the forced GC and the
sampling between chunks are not counted. Gateway CPU is utime + stime of its process from
\`/proc/<pid>/stat\` over the chunks, per response; unlike req/s it does not drop when other processes
take CPU from this machine. Answers with errors are counted by \`"errors":\` in the body.
`;

function writeResults(text: string): void {
  const path = resolve(ROOT, 'bench', 'RESULTS.md');
  const current = readFileSync(path, 'utf8');
  const marked = /<!-- growth: generated by npm run bench:growth: [^>]*-->[\s\S]*?<!-- end growth -->/;
  writeFileSync(path, marked.test(current) ? current.replace(marked, () => text) : `${current.trimEnd()}\n\n${STATIC_TEXT}\n${text}\n`);
}

// ---------- main ----------

async function main(): Promise<number> {
  const loadBefore = loadAverage();
  const { dir, procs, cleanup } = benchWorkspace('bench-growth-');
  try {
    clientToken = await benchClientToken(AUTH_SECRET);
    const { proc: subgraphs, ready } = await startSubgraphs(env.BENCH_LATENCY_MS, INTERNAL_SECRET);
    procs.push(subgraphs);
    // This gateway reads the committed supergraph and takes the subgraphs' URLs from its environment,
    // so only the registry is written here (run.ts's bench supergraph is for the peers).
    const registry = benchRegistry(dir);

    const results: VariantResult[] = [];
    for (const variant of env.BENCH_GROWTH_VARIANTS) results.push(await runVariant(variant, registry, ready));
    await cleanup();
    const loadAfter = loadAverage();

    const summaries = results.map(summarize);
    const date = new Date().toISOString();
    mkdirSync(resolve(ROOT, 'bench', 'out'), { recursive: true });
    const out = resolve(ROOT, 'bench', 'out', `growth-${date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, JSON.stringify({ date, env, loadavg: { before: loadBefore, after: loadAfter }, summaries, results }, null, 2));
    console.log(`\n${table(summaries)}\n\nraw figures: ${out}`);

    const failed = results.filter((r) => r.failure);
    const withErrors = summaries.filter((s) => s.non2xx + s.socketErrors + s.graphqlErrors > 0);
    if (failed.length) {
      console.error(`\n${failed.map((r) => r.variant).join(', ')}: failed (see above); bench/RESULTS.md left as it was.`);
      return 1;
    }
    writeResults(section(results, summaries, { date, load: { before: loadBefore, after: loadAfter } }));
    console.log('bench/RESULTS.md: growth section written');
    if (withErrors.length) {
      console.error(
        `\nthis gateway answered errors under ${withErrors.map((s) => s.variant).join(', ')} (non-2xx / socket errors / answers with errors in the table)`,
      );
      return 1;
    }
    return 0;
  } finally {
    await cleanup();
  }
}

/** Writes the RESULTS.md section of an earlier run from its raw file (BENCH_GROWTH_FROM). */
function rewriteFrom(file: string): number {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    date: string;
    loadavg: { before: string; after: string };
    summaries: Summary[];
    results: VariantResult[];
  };
  writeResults(section(raw.results, raw.summaries, { date: raw.date, load: raw.loadavg }));
  console.log(`bench/RESULTS.md: growth section written from ${file}`);
  return 0;
}

const from = process.env['BENCH_GROWTH_FROM'];
(from ? Promise.resolve().then(() => rewriteFrom(from)) : main()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
