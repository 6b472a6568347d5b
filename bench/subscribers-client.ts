/**
 * The subscriber side of `npm run bench:subscriptions`, run as a child process (child_process.fork)
 * so that the gateway process's memory is measured without the clients'. Driven over IPC by
 * bench/subscriptions.ts:
 *
 * - `open`: opens `connections` graphql-ws connections (at most `concurrency` handshakes at a time)
 *   and `perConnection` subscriptions of the same operation on each; answers `opened`.
 * - `progress`: answers with the pushes received so far.
 * - `measure`: starts measuring the process's event-loop delay (the push phase).
 * - `report`: given each event's `capturedAt` (epoch ms, keyed by the event's marker field), answers
 *   with the change → push latencies of every push (receipt `Date.now()` − capturedAt: the same
 *   wall clock as the parent's, one machine) and the fan-out spread per event.
 * - `close`: disposes every client, answers `closed` and exits.
 *
 * A push is attributed to its event by `changedFields[0]` (`bench-<k>`), which the parent sets.
 */
import { createClient, type Client } from 'graphql-ws/client';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface OpenCommand {
  type: 'open';
  url: string;
  token: string;
  query: string;
  variables: Record<string, unknown>;
  connections: number;
  perConnection: number;
  concurrency: number;
}

export type ParentMessage =
  OpenCommand | { type: 'progress' } | { type: 'report'; capturedAt: Record<string, number> } | { type: 'measure' } | { type: 'close' };

export interface LatencySummary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface ClientReport {
  /** Pushes received per event marker. */
  perEvent: Record<string, number>;
  /** Over all pushes of the reported events. */
  latency: LatencySummary;
  /** Per event: first receipt − capturedAt (ms: coalescing window + resolution + first write), summarised over events. */
  first: LatencySummary;
  /** Per event: last receipt − first receipt (ms), summarised over events. */
  spread: LatencySummary;
  /** Pushes that carried GraphQL errors. */
  withErrors: number;
  /** Pushes whose marker was not among the reported events (warm-up, unknown). */
  unattributed: number;
  /** The longest the subscriber process's event loop was held up since `measure` (ms): its share of the delays. */
  maxEventLoopDelayMs: number;
  /** One push, for a shape check. */
  sample: unknown;
}

export type ChildMessage =
  | { type: 'opened'; connections: number; subscriptions: number; failures: number; firstFailure?: string; ms: number }
  | { type: 'progress'; received: number; subscriptionErrors: number; closedEarly: number; firstError?: string; cpuMs: number }
  | { type: 'report'; report: ClientReport }
  | { type: 'closed'; ms: number };

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarise(values: number[] | Float64Array): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

interface Push {
  orderChanged?: { changedFields?: string[] };
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
};

function send(message: ChildMessage): void {
  process.send?.(message);
}

const clients: Client[] = [];
const disposers: Array<() => void> = [];
/** Receipt times (epoch ms) per event marker. */
const receipts = new Map<string, number[]>();
let received = 0;
let withErrors = 0;
let subscriptionErrors = 0;
let closedEarly = 0;
let firstError: string | undefined;
let sample: unknown;
let closing = false;
const lag = monitorEventLoopDelay({ resolution: 10 });

const describe = (err: unknown): string => {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'code' in err)
    return `close ${String((err as { code: unknown }).code)} ${String((err as { reason?: unknown }).reason ?? '')}`;
  try {
    return JSON.stringify(err).slice(0, 300);
  } catch {
    return String(err);
  }
};

function record(value: { data?: Push | null; errors?: unknown }): void {
  const now = Date.now();
  received += 1;
  if (value.errors) withErrors += 1;
  sample ??= value;
  const marker = value.data?.orderChanged?.changedFields?.[0] ?? '?';
  let times = receipts.get(marker);
  if (!times) receipts.set(marker, (times = []));
  times.push(now);
}

/** One connection: resolves once acknowledged and its subscriptions are sent, rejects when it fails first. */
function openConnection(cmd: OpenCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    let acked = false;
    const client = createClient({
      url: cmd.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${cmd.token}` },
      lazy: false,
      retryAttempts: 0,
      // An unanswered handshake counts as a failure instead of hanging the bench.
      connectionAckWaitTimeout: 30_000,
      onNonLazyError: (err) => {
        if (!acked) reject(new Error(describe(err)));
      },
      on: {
        connected: () => {
          acked = true;
          for (let i = 0; i < cmd.perConnection; i++) {
            disposers.push(
              client.subscribe<Push>(
                { query: cmd.query, variables: cmd.variables },
                {
                  next: record,
                  error: (err) => {
                    subscriptionErrors += 1;
                    firstError ??= describe(err);
                  },
                  complete: () => undefined,
                },
              ),
            );
          }
          resolve();
        },
        closed: (event) => {
          if (!acked) reject(new Error(describe(event)));
          else if (!closing) {
            closedEarly += 1;
            firstError ??= `connection closed: ${describe(event)}`;
          }
        },
      },
    });
    clients.push(client);
  });
}

async function open(cmd: OpenCommand): Promise<void> {
  const started = Date.now();
  let next = 0;
  let opened = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const worker = async () => {
    while (next < cmd.connections) {
      next += 1;
      try {
        await openConnection(cmd);
        opened += 1;
      } catch (err) {
        failures += 1;
        firstFailure ??= describe(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(cmd.concurrency, cmd.connections) }, worker));
  send({
    type: 'opened',
    connections: opened,
    subscriptions: opened * cmd.perConnection,
    failures,
    ...(firstFailure ? { firstFailure } : {}),
    ms: Date.now() - started,
  });
}

function report(capturedAt: Record<string, number>): ClientReport {
  const latencies: number[] = [];
  const spreads: number[] = [];
  const firsts: number[] = [];
  const perEvent: Record<string, number> = {};
  let unattributed = 0;
  for (const [marker, times] of receipts) {
    const at = capturedAt[marker];
    if (at === undefined) {
      unattributed += times.length;
      continue;
    }
    perEvent[marker] = times.length;
    let first = Infinity;
    let last = -Infinity;
    for (const t of times) {
      latencies.push(t - at);
      if (t < first) first = t;
      if (t > last) last = t;
    }
    spreads.push(last - first);
    firsts.push(first - at);
  }
  lag.disable();
  return {
    perEvent,
    latency: summarise(latencies),
    first: summarise(firsts),
    spread: summarise(spreads),
    withErrors,
    unattributed,
    maxEventLoopDelayMs: Math.round(lag.max / 1e6),
    sample,
  };
}

async function close(): Promise<void> {
  closing = true;
  const started = Date.now();
  for (const dispose of disposers.splice(0)) dispose();
  await Promise.all(clients.splice(0).map((c) => Promise.resolve(c.dispose()).catch(() => undefined)));
  send({ type: 'closed', ms: Date.now() - started });
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'open':
      void open(message);
      break;
    case 'progress':
      send({ type: 'progress', received, subscriptionErrors, closedEarly, ...(firstError ? { firstError } : {}), cpuMs: cpuMs() });
      break;
    case 'measure':
      lag.reset();
      lag.enable();
      break;
    case 'report':
      send({ type: 'report', report: report(message.capturedAt) });
      break;
    case 'close':
      void close().then(() => process.disconnect?.());
      break;
  }
});

// The parent going away (a crash, ^C) takes the clients with it.
process.on('disconnect', () => {
  closing = true;
  for (const c of clients) void c.dispose();
  setTimeout(() => process.exit(0), 200).unref();
});
