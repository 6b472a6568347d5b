/**
 * The subgraphs process of `npm run bench:peers`: the three sandbox emulators (with BENCH_LATENCY_MS
 * injected into every upstream call) and the three subgraphs, wired as `startStack` wires them (the
 * sandbox registry with freshly minted credentials, one in-process entity cache, the durable action
 * log in an embedded PGlite) but without a gateway: the gateways under test run in their own
 * processes and all call these subgraphs. Forked by bench/peers/run.ts; once listening it sends its
 * parent one IPC message, {@link SubgraphsReady}, and it stops when the parent disconnects. It counts
 * the GraphQL requests its subgraphs receive (Node's `http.server.request.start` diagnostics channel,
 * paths under `/graphql`; the emulators serve other paths) and answers `{type: 'count'}` with
 * {@link SubgraphCalls}.
 *
 * Environment: BENCH_INTERNAL_SECRET (the key the subgraphs verify identity tokens with),
 * BENCH_LATENCY_MS (20).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { actionStoreOptionsFromEnv, createActionStore } from '../../actions';
import { createEntityCache } from '../../cache';
import { createLogger, logLevelFrom } from '../../platform/log';
import { SUBGRAPHS, type SubgraphDefinition } from '../../schema/subgraphs';
import { SUBGRAPH_STARTERS } from '../../subgraphs';
import { startSandboxUpstreams } from '../../sandbox/emulators';
import { internalKey } from '../../tenancy/identity';
import { intFromEnv, stringFromEnv } from './env';
import { INTERNAL_SECRET_ENV } from './identity-tokens';

/** What the subgraphs process tells its parent once everything listens. */
export interface SubgraphsReady {
  type: 'ready';
  /** `/graphql` URL per subgraph name. */
  subgraphs: Record<SubgraphDefinition['name'], string>;
  /** Base URL per emulator (`/__sandbox/stats` counts the upstream calls). */
  emulators: Record<SubgraphDefinition['name'], string>;
}

/** The answer to `{type: 'count'}`: GraphQL requests the subgraphs received since the start. */
export interface SubgraphCalls {
  type: 'count';
  subgraphCalls: number;
}

async function main(): Promise<void> {
  let subgraphCalls = 0;
  subscribe('http.server.request.start', (message) => {
    if ((message as { request: IncomingMessage }).request.url?.startsWith('/graphql')) subgraphCalls += 1;
  });
  const secret = stringFromEnv(INTERNAL_SECRET_ENV, 32);
  const latencyMs = intFromEnv('BENCH_LATENCY_MS', 20, 0, 10_000);
  const log = createLogger('bench-subgraphs', logLevelFrom(process.env, 'warn'));
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  const upstreams = await startSandboxUpstreams({ latencyMs });
  stops.push(() => upstreams.stop());
  const cache = createEntityCache({});
  stops.push(() => cache.close());
  const actionStore = await createActionStore(actionStoreOptionsFromEnv());
  stops.push(() => actionStore.close());
  const identityKey = internalKey(secret);
  const urls = {} as SubgraphsReady['subgraphs'];
  for (const { name } of SUBGRAPHS) {
    const running = await SUBGRAPH_STARTERS[name]({ registry: upstreams.registry, secrets: upstreams.secrets, identityKey, cache, actionStore, log });
    stops.push(() => running.stop());
    urls[name] = running.url;
  }
  const { odoo, salesforce, zendesk } = upstreams.emulators;
  const ready: SubgraphsReady = { type: 'ready', subgraphs: urls, emulators: { odoo: odoo.url, salesforce: salesforce.url, zendesk: zendesk.url } };
  const exit = () => void stopAll().finally(() => process.exit(0));
  process.once('disconnect', exit);
  process.once('SIGTERM', exit);
  process.once('SIGINT', exit);
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'count') process.send?.({ type: 'count', subgraphCalls } satisfies SubgraphCalls);
  });
  if (process.send) process.send(ready);
  else process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench subgraphs failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
