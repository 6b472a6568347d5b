/** graphql-ws test helpers: a client per token, subscriptions collected as they arrive, raw sockets for close codes. */
import { createClient, type Client, type FormattedExecutionResult as ExecutionResult } from 'graphql-ws/client';
import WebSocket from 'ws';

export function wsClient(url: string, token: string | undefined, extra: Record<string, unknown> = {}): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
    retryAttempts: 0,
    lazy: true,
  });
}

export interface Collected<T = Record<string, unknown>> {
  readonly results: Array<ExecutionResult<T, unknown>>;
  /** Resolves with the n-th (1-based) push, or rejects when the subscription errs first. */
  nth(n: number, timeoutMs?: number): Promise<ExecutionResult<T, unknown>>;
  readonly errors: unknown[];
  dispose(): void;
}

export function collect<T = Record<string, unknown>>(client: Client, query: string, variables: Record<string, unknown> = {}): Collected<T> {
  const results: Array<ExecutionResult<T, unknown>> = [];
  const errors: unknown[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        results.push(value);
        wake();
      },
      error: (err) => {
        errors.push(err);
        wake();
      },
      complete: () => wake(),
    },
  );
  return {
    results,
    errors,
    dispose,
    async nth(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length < n) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors[0])}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`push ${n} did not arrive within ${timeoutMs} ms (got ${results.length})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return results[n - 1]!;
    },
  };
}

/** Polls `check` until it holds (waiting for asynchronous work, never a timing assertion). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A raw graphql-transport-ws socket: sends `connection_init` with `payload` and resolves with the close code and reason (or 'acked'). */
export async function rawInit(
  url: string,
  payload: unknown,
  opts: { sendInit?: boolean; thenSubscribe?: string } = {},
): Promise<{ acked: boolean; code: number; reason: string; messages: unknown[] }> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: unknown[] = [];
  let acked = false;
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      if (opts.sendInit !== false) socket.send(JSON.stringify({ type: 'connection_init', ...(payload === undefined ? {} : { payload }) }));
      if (opts.thenSubscribe) socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: opts.thenSubscribe } }));
    });
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(String(data)) as { type?: string };
      messages.push(message);
      if (message.type === 'connection_ack') {
        acked = true;
        socket.close(1000, 'done');
      }
    });
    socket.once('close', (code: number, reason: Buffer) => resolve({ acked, code, reason: String(reason), messages }));
  });
}
