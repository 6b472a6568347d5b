/**
 * The plain @apollo/gateway peer of `npm run bench:peers`: `ApolloGateway` over the bench's
 * supergraph (the committed one with the running subgraphs' URLs) inside `@apollo/server`'s
 * `startStandaloneServer`, every default kept (its fetcher, no query-plan tuning, no auth, no limits).
 * The only addition is the subgraph identity header: a `RemoteGraphQLDataSource` that sets the
 * static per-subgraph token (identity-tokens.ts). Started by bench/peers/run.ts as its own process.
 *
 * Environment: BENCH_SUPERGRAPH (path), BENCH_INTERNAL_SECRET, HOST (127.0.0.1), PORT.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { INTERNAL_IDENTITY_HEADER } from '../../tenancy/identity';
import { intFromEnv, stringFromEnv } from './env';
import { INTERNAL_SECRET_ENV, staticIdentityTokens } from './identity-tokens';

async function main(): Promise<void> {
  const tokens = staticIdentityTokens(stringFromEnv(INTERNAL_SECRET_ENV, 32));
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(stringFromEnv('BENCH_SUPERGRAPH'), 'utf8'),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest: async ({ request }) => {
          request.http?.headers.set(INTERNAL_IDENTITY_HEADER, await tokens.get(name));
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: process.env['HOST'] || '127.0.0.1', port: intFromEnv('PORT', 0, 0, 65535) } });
  process.stdout.write(`apollo gateway listening at ${url}\n`);
  const stop = () =>
    void server
      .stop()
      .finally(() => tokens.stop())
      .finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`apollo peer failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
