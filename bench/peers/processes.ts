/**
 * Process plumbing shared by `npm run bench:peers` (bench/peers/run.ts) and `npm run bench:growth`
 * (bench/growth.ts): the forked subgraphs process, the bench supergraph and tenant registry, this
 * gateway's process as it runs in production, and what /proc says about a process.
 *
 * Like the other files in bench/peers it imports no package the peers also carry (see env.ts).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mintLocalToken } from '../../gateway/local-tokens';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../sandbox/stack';
import { SUBGRAPHS, SUPERGRAPH_PATH } from '../../schema/subgraphs';
import { LIFTED_LIMITS } from '../../sandbox/lifted-limits';
import { parseRegistry } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';
import { BENCH_IDENTITY, INTERNAL_SECRET_ENV } from './identity-tokens';
import type { SubgraphsReady } from './subgraphs';

export const ROOT = resolve(__dirname, '..', '..');
export const PEERS_DIR = __dirname;

/** Acme ticket ids from a list and/or ranges (`1,3,6-25`). */
export function ticketsFrom(spec: string): string[] {
  const ids = spec.split(',').flatMap((part) => {
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!m) throw new Error(`BENCH_TICKETS: ${JSON.stringify(part)} is neither a ticket id nor a range like 6-25`);
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => String(from + i));
  });
  if (ids.length === 0 || ids.length > 1000) throw new Error('BENCH_TICKETS: 1 to 1000 ticket ids');
  return ids;
}

// ---------- processes ----------

export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last few KB the process wrote to stderr, for a failure's message. */
  stderrTail(): string;
}

export function watch(name: string, child: ChildProcess): Proc {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
  });
  return { name, child, stderrTail: () => tail };
}

/** Only what a Node process needs from this one; everything else is set explicitly, so a developer's shell cannot change a gateway's configuration. */
export const baseEnv = (): NodeJS.ProcessEnv => {
  const out: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[k] !== undefined) out[k] = process.env[k];
  return out;
};

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? res(address.port) : rej(new Error('no port'))));
    });
  });
}

export async function stopProc(proc: Proc): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  if (child.connected) child.disconnect();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Forks bench/peers/subgraphs.ts and waits for its {@link SubgraphsReady}. */
/** The 1, 5 and 15 minute load averages, as the bench tables print them. */
export const loadAverage = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/** A bench's temporary folder and child processes, with one cleanup (run on Ctrl-C too). */
export function benchWorkspace(prefix: string): { dir: string; procs: Proc[]; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const procs: Proc[] = [];
  const cleanup = async () => {
    for (const p of [...procs].reverse()) await stopProc(p).catch(() => undefined);
    procs.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  return { dir, procs, cleanup };
}

/** The load's bearer token: the bench identity as an agent, signed with the bench's client-token secret, valid a day. */
export function benchClientToken(authSecret: string): Promise<string> {
  return mintLocalToken(
    { tenant: BENCH_IDENTITY.tenant, role: 'agent', subject: BENCH_IDENTITY.subject, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, ttlSeconds: 24 * 3600 },
    new TextEncoder().encode(authSecret),
  );
}

export async function startSubgraphs(latencyMs: number, internalSecret: string): Promise<{ proc: Proc; ready: SubgraphsReady }> {
  const child = fork(join(PEERS_DIR, 'subgraphs.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...baseEnv(), NODE_ENV: 'production', [INTERNAL_SECRET_ENV]: internalSecret, BENCH_LATENCY_MS: String(latencyMs) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const proc = watch('subgraphs', child);
  const ready = await new Promise<SubgraphsReady>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`the subgraphs process did not start in 120 s\n${proc.stderrTail()}`)), 120_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      res(m as SubgraphsReady);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`the subgraphs process exited (${code})\n${proc.stderrTail()}`));
    });
  });
  return { proc, ready };
}

/** The committed supergraph with the running subgraphs' routing URLs: what both peers load. */
export function benchSupergraph(dir: string, urls: SubgraphsReady['subgraphs']): string {
  let sdl = readFileSync(SUPERGRAPH_PATH, 'utf8');
  for (const { name } of SUBGRAPHS) {
    const pattern = new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`);
    if (!pattern.test(sdl)) throw new Error(`the supergraph has no join__graph for ${name}`);
    sdl = sdl.replace(pattern, `$1${urls[name]}$2`);
  }
  const path = join(dir, 'supergraph.graphql');
  writeFileSync(path, sdl);
  return path;
}

/** The sandbox registry with acme's admission limits out of reach (validated like the gateway will). */
export function benchRegistry(dir: string): string {
  const raw = JSON.parse(readFileSync(SANDBOX_REGISTRY_PATH, 'utf8')) as { tenants: Array<Record<string, unknown>> };
  const edited = { ...raw, tenants: raw.tenants.map((t) => (t['id'] === BENCH_IDENTITY.tenant ? { ...t, limits: { ...LIFTED_LIMITS } } : t)) };
  parseRegistry(edited, 'bench registry');
  const path = join(dir, 'tenants.json');
  writeFileSync(path, JSON.stringify(edited, null, 2));
  return path;
}

export interface ThisGatewayOptions {
  port: number;
  /** Node flags before `--import tsx`. */
  nodeArgs: readonly string[];
  /** The tenant registry file (see {@link benchRegistry}). */
  registry: string;
  /** The HS256 secret the client tokens are signed with. */
  authSecret: string;
  /** The internal key's secret, the subgraphs process's too. */
  internalSecret: string;
  ready: SubgraphsReady;
}

/** This gateway, `gateway/main.ts` as in production (NODE_ENV=production, stdout to /dev/null, stderr piped), on 127.0.0.1:`port`. */
export function spawnThisGateway(o: ThisGatewayOptions): ChildProcess {
  return spawn(process.execPath, [...o.nodeArgs, '--import', 'tsx', 'gateway/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...baseEnv(),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(o.port),
      TENANTS_FILE: o.registry,
      AUTH_HS256_SECRET: o.authSecret,
      INTERNAL_TOKEN_SECRET: o.internalSecret,
      ODOO_SUBGRAPH_URL: o.ready.subgraphs.odoo,
      SALESFORCE_SUBGRAPH_URL: o.ready.subgraphs.salesforce,
      ZENDESK_SUBGRAPH_URL: o.ready.subgraphs.zendesk,
    },
  });
}

// ---------- /proc ----------

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of one process in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3 of the line, utime 14 and stime 15 (1-based).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Peak resident set (VmHWM) of one process in MB. */
export function peakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}
