/** Listening and stopping, the same way for the gateway, the subgraphs and the emulators. */
import type { Server } from 'node:http';

/** Listens on `port` (0: an ephemeral one) and `host`; resolves with the bound port, rejects on a listen error (port in use). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('the server has no TCP address'));
      else resolve(address.port);
    });
  });
}

/** A stop that runs once: later calls get the first call's promise. */
export function onceOnly(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}

/**
 * A service's `main`: runs `start`, then stops it on SIGINT/SIGTERM (exit 0 once stopped); a start
 * that fails prints `<what> failed to start: <message>` (never a stack) and exits 1.
 */
export function runService(what: string, start: () => Promise<() => Promise<unknown>>): void {
  start().then(
    (stop) => {
      const onSignal = () => void stop().finally(() => process.exit(0));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    },
    (err: unknown) => {
      process.stderr.write(`${what} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
