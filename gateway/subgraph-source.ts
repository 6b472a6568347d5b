/**
 * How the gateway calls a subgraph: over Node's keep-alive pool (undici's fetch instead of the
 * gateway's default make-fetch-happen), with a time budget, carrying the caller's identity as a
 * short-lived token signed by the gateway (the only thing a subgraph accepts). A subgraph that
 * cannot be reached becomes a coded error on its fields; what the subgraph reports as served stale
 * is collected for the client's `extensions.stale`.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../schema/error-codes';
import { INTERNAL_IDENTITY_HEADER, internalAudience, signInternalToken } from '../tenancy/identity';
import type { GatewayContext } from './context';

/** Global fetch with a per-call deadline. */
export function keepAliveFetcher(timeoutMs: number): Fetcher {
  const fetcher = (url: string, init?: Record<string, unknown>) => fetch(url, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) });
  return fetcher as unknown as Fetcher;
}

const isGatewayContext = (c: unknown): c is GatewayContext => typeof c === 'object' && c !== null && 'identity' in c && 'stale' in c;

export class IdentityForwardingSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly #key: Uint8Array;
  readonly #audience: string;

  /** Signs the caller's identity for this subgraph alone, fresh for every fetch. */
  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    if (isGatewayContext(context)) request.http?.headers.set(INTERNAL_IDENTITY_HEADER, await signInternalToken(context.identity, this.#key, this.#audience));
  }

  override async didReceiveResponse({ response, context }: { response: GatewayGraphQLResponse; context: GatewayContext }): Promise<GatewayGraphQLResponse> {
    const stale = response.extensions?.['stale'];
    if (Array.isArray(stale) && isGatewayContext(context)) {
      for (const s of stale) context.stale.push({ ...(s as Record<string, unknown>), subgraph: this.name });
    }
    return response;
  }

  override didEncounterError(error: Error, _req: unknown, res?: FetcherResponse): void {
    if (error instanceof GraphQLError && typeof error.extensions['code'] === 'string') throw error;
    throw new GraphQLError(`The ${this.name} service is unavailable`, {
      originalError: error,
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.name, ...(res ? { status: res.status } : {}) },
    });
  }

  constructor(
    readonly name: string,
    url: string,
    fetcher: Fetcher,
    internalKey: Uint8Array,
  ) {
    super({ url, fetcher });
    this.#key = internalKey;
    this.#audience = internalAudience(name);
  }
}
