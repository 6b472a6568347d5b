/**
 * The subgraph identity tokens of the peer gateways in `npm run bench:peers`. The subgraphs accept
 * nothing but a token signed with the internal key and addressed to them (tenancy/identity.ts), and
 * a peer gateway knows nothing of this project's client tokens, so each peer sends one fixed
 * identity (the bench's agent of acme) as a per-subgraph header.
 *
 * The tokens are real internal tokens: `signInternalToken` with its 60 s lifetime, never a later
 * `exp`. They are signed again every 30 s (half the lifetime, what this gateway's own token cache
 * does), so a run longer than a minute keeps working and a token in flight always has 30 s left.
 * A peer's per-fetch cost is then a header copy, as this gateway's is on a cache hit.
 */
import { INTERNAL_TOKEN_TTL_SECONDS, internalAudience, internalKey, signInternalToken, type Identity } from '../../tenancy/identity';

/** Who every peer speaks for: the identity this gateway derives from the bench's client token (`mintLocalToken` for acme's agent). */
export const BENCH_IDENTITY: Identity = { tenant: 'acme', subject: 'agent@acme.example', roles: ['agent'], scopes: [] };

/** The environment variable the bench hands the internal key's secret over in. */
export const INTERNAL_SECRET_ENV = 'BENCH_INTERNAL_SECRET';

export interface StaticIdentityTokens {
  /** The current token addressed to one subgraph (by its supergraph name). */
  get(subgraph: string): Promise<string>;
  /** Stops the renewal timer. */
  stop(): void;
}

/**
 * One token per subgraph, signed at its first `get` and again every half lifetime. Imports nothing
 * but tenancy/identity.ts: Hive Gateway loads this file as an ES module, where the repository's
 * CommonJS-only modules (those using `__dirname`) do not load.
 */
export function staticIdentityTokens(secret: string, identity: Identity = BENCH_IDENTITY): StaticIdentityTokens {
  const key = internalKey(secret);
  const tokens = new Map<string, Promise<string>>();
  const sign = (subgraph: string) => signInternalToken(identity, key, internalAudience(subgraph));
  const timer = setInterval(
    () => {
      for (const subgraph of tokens.keys()) {
        // Swap once the new token is signed, so a fetch never waits on a signature.
        const next = sign(subgraph);
        next.then(
          () => tokens.set(subgraph, next),
          () => undefined,
        );
      }
    },
    (INTERNAL_TOKEN_TTL_SECONDS * 1000) / 2,
  );
  timer.unref();
  return {
    get: (subgraph) => {
      let token = tokens.get(subgraph);
      if (!token) tokens.set(subgraph, (token = sign(subgraph)));
      return token;
    },
    stop: () => clearInterval(timer),
  };
}
