/**
 * Hive Gateway's configuration for `npm run bench:peers` (loaded by `hive-gateway supergraph <file>
 * --config-path bench/peers/gateway.config.ts`): every default kept, plus the subgraph identity
 * header, added per subgraph with `propagateHeaders.fromClientToSubgraphs` (Hive Gateway's
 * documented way to set a header on the requests to one subgraph). The tokens are the static
 * per-subgraph ones of identity-tokens.ts, renewed every 30 s.
 *
 * The type below is the part of `GatewayConfig` used here, written out so that the repository's
 * type check does not need `@graphql-hive/gateway` (installed on demand into bench/peers only).
 */
import { INTERNAL_IDENTITY_HEADER } from '../../tenancy/identity';
import { INTERNAL_SECRET_ENV, staticIdentityTokens } from './identity-tokens';

interface PeerGatewayConfig {
  propagateHeaders: {
    fromClientToSubgraphs: (payload: { request: Request; subgraphName: string }) => Promise<Record<string, string>>;
  };
}

const secret = process.env[INTERNAL_SECRET_ENV];
if (!secret) throw new Error(`${INTERNAL_SECRET_ENV} is required`);
const tokens = staticIdentityTokens(secret);

export const gatewayConfig: PeerGatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: async ({ subgraphName }) => ({ [INTERNAL_IDENTITY_HEADER]: await tokens.get(subgraphName) }),
  },
};
