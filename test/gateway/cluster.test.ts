/**
 * One gateway worker per core (gateway/cluster.ts), as real processes: two workers share one port,
 * a worker that dies is replaced, SIGTERM stops them all, and a worker that cannot start stops the
 * cluster instead of being restarted forever.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';

const ROOT = resolve(__dirname, '..', '..');
const TSX = resolve(ROOT, 'node_modules', '.bin', 'tsx');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

interface Running {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startCluster(env: Record<string, string>): Running {
  // Without REDIS_URL: in-process bus and admission windows (this test is about processes).
  const { REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(TSX, ['gateway/cluster.ts'], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      AUTH_HS256_SECRET: 'cluster-test-auth-secret-of-32-chars-or-more',
      INTERNAL_TOKEN_SECRET: 'cluster-test-internal-secret-of-32-chars-or-more',
      GATEWAY_RESPAWN_DELAY_MS: '100',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr?.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, lines, exited };
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const listeningPids = (lines: Array<Record<string, unknown>>) => new Set(lines.filter((l) => l['msg'] === 'gateway listening').map((l) => l['pid']));

let running: Running | undefined;
afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  running = undefined;
});

describe('gateway cluster', () => {
  it('should run two workers on one port, replace one that dies, and stop them all on SIGTERM', async () => {
    const port = await freePort();
    running = startCluster({ PORT: String(port), GATEWAY_WORKERS: '2' });
    const { lines, child, exited } = running;
    await until(() => listeningPids(lines).size === 2, 'two workers listening');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    const [victim] = [...listeningPids(lines)] as number[];
    process.kill(victim!, 'SIGKILL');
    await until(() => lines.some((l) => l['msg'] === 'gateway worker exited; starting another' && l['workerPid'] === victim), 'the exit noticed');
    await until(() => listeningPids(lines).size === 3, 'a replacement listening');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.some((l) => l['msg'] === 'stopping gateway workers' && l['workers'] === 2)).toBe(true);
  }, 120_000);

  it('should stop, not respawn forever, when a worker cannot start', async () => {
    running = startCluster({ PORT: String(await freePort()), GATEWAY_WORKERS: '2', AUTH_HS256_SECRET: 'too short' });
    expect(await running.exited).toBe(1);
    expect(running.lines.filter((l) => l['msg'] === 'gateway worker started').length).toBeLessThanOrEqual(2);
    expect(running.lines.some((l) => l['msg'] === 'a gateway worker failed to start; stopping')).toBe(true);
  }, 120_000);
});
