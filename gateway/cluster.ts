/**
 * The gateway on every core: one process is single-threaded and saturates one core first (query
 * planning, JSON, token checks), so production runs one gateway worker per core behind the same
 * port (node:cluster; the primary hands connections out round-robin). Each worker is `gateway/main.ts`
 * with the same environment. `GATEWAY_WORKERS` sets how many (default: the cores Node may use).
 *
 * A worker that dies is replaced (after `GATEWAY_RESPAWN_DELAY_MS`, default 1 s, so a worker that
 * cannot start does not spin); SIGTERM/SIGINT stop every worker gracefully (each drains its
 * requests) and then the primary.
 *
 * Shared state is already outside the process (Redis: cache, bus, admission windows), so workers
 * are replicas like any other; the in-flight admission limit is per worker, as it is per replica.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseConfig } from '../platform/config';
import { createLogger } from '../platform/log';

const ClusterEnv = z.object({
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
  GATEWAY_RESPAWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
});

function runPrimary(): void {
  let config: z.infer<typeof ClusterEnv>;
  try {
    config = parseConfig(ClusterEnv, process.env);
  } catch (err) {
    process.stderr.write(`gateway cluster failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const log = createLogger('gateway-cluster');
  let stopping = false;
  const listening = new Set<number>();
  cluster.on('listening', (worker) => listening.add(worker.id));
  const fork = (): Worker => {
    const worker = cluster.fork();
    log.info({ worker: worker.id, workerPid: worker.process.pid }, 'gateway worker started');
    return worker;
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listening.has(worker.id)) {
      // It never listened: its configuration or environment is wrong, and the next would fail alike.
      log.error({ worker: worker.id, code }, 'a gateway worker failed to start; stopping');
      stop('SIGTERM', 1);
      return;
    }
    listening.delete(worker.id);
    log.warn({ worker: worker.id, workerPid: worker.process.pid, code, signal }, 'gateway worker exited; starting another');
    setTimeout(() => {
      if (!stopping) fork();
    }, config.GATEWAY_RESPAWN_DELAY_MS).unref();
  });
  function stop(signal: NodeJS.Signals, exitCode = 0): void {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    log.info({ signal, workers: workers.length }, 'stopping gateway workers');
    let left = workers.length;
    if (left === 0) process.exit(exitCode);
    for (const w of workers) {
      w.once('exit', () => {
        left -= 1;
        if (left === 0) process.exit(exitCode);
      });
      w.process.kill('SIGTERM');
    }
  }
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  log.info({ workers: config.GATEWAY_WORKERS }, 'starting gateway workers');
  for (let i = 0; i < config.GATEWAY_WORKERS; i++) fork();
}

if (cluster.isPrimary) runPrimary();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a worker runs the gateway's main module as it is
else require('./main');
