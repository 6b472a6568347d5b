/**
 * How the gateway calls a subgraph: a lean data source (no per-fetch Headers, Request or Response
 * objects) posting over its own keep-alive `node:http(s)` agent, bounded in sockets per subgraph,
 * with a deadline per call, carrying the caller's identity as a short-lived token signed by the
 * gateway for that subgraph alone (the only thing a subgraph accepts). The signed token is reused
 * for the same identity and subgraph for half its lifetime (tenancy/identity.ts; 30 of 60 s), so a
 * request does not pay a signature per subgraph call.
 *
 * Answers keep @apollo/gateway's RemoteGraphQLDataSource semantics: a 401/403 from a subgraph is
 * UNAUTHENTICATED/FORBIDDEN, any other failure (unreachable, timeout, non-2xx, a body that is not a
 * JSON object) is SUBGRAPH_UNAVAILABLE on that subgraph's fields. What the subgraph reports as
 * served stale is collected for the client's `extensions.stale`. Each call carries the request id
 * and the trace context, so the subgraph's logs and spans join the gateway's.
 *
 * Identical reads in flight at the same moment for the same identity are sent once and their answer
 * shared (Hive Gateway's in-flight deduplication, keyed here by the whole identity, not the tenant
 * alone: a subgraph's answer may depend on the subject, e.g. whose actions are visible).
 *
 * Keep-alive sockets idle for {@link IDLE_SOCKET_MS} are closed by the gateway, before a subgraph's
 * server would (Node's default is 5 s), and a read whose reused socket turns out closed by the
 * server (reset before any answer: the server closed it as the request left) is sent again once on a
 * fresh socket, as Node's documentation advises; a mutation never is.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { ErrorCode } from '../schema/error-codes';
import { REQUEST_ID_HEADER, injectTraceContext } from '../platform/tracing';
import { INTERNAL_IDENTITY_HEADER, INTERNAL_TOKEN_TTL_SECONDS, internalAudience, signInternalToken, type Identity } from '../tenancy/identity';
import type { GatewayContext } from './context';

export interface SubgraphSourceOptions {
  /** Deadline of one call, connection included (ms). */
  timeoutMs: number;
  /** Sockets to this subgraph at most; further calls queue in the agent. @default 128 */
  maxSockets?: number;
  /** Signed identity tokens, shared by every subgraph's source. */
  tokens: IdentityTokenCache;
}

/**
 * Identity tokens per (subgraph, tenant, subject, roles, scopes), reused until half their lifetime
 * has passed: a token in flight always has at least 30 s left, and is still addressed to one subgraph.
 */
export class IdentityTokenCache {
  readonly #key: Uint8Array;
  readonly #now: () => number;
  readonly #tokens: LRUCache<string, { token: Promise<string>; renewAt: number }>;

  constructor(key: Uint8Array, options: { max?: number; now?: () => number } = {}) {
    this.#key = key;
    this.#now = options.now ?? Date.now;
    this.#tokens = new LRUCache({ max: options.max ?? 10_000 });
  }

  get(identity: Identity, audience: string): Promise<string> {
    const id = JSON.stringify([audience, identity.tenant, identity.subject, identity.roles, identity.scopes]);
    const now = this.#now();
    const held = this.#tokens.get(id);
    if (held && now < held.renewAt) return held.token;
    const token = signInternalToken(identity, this.#key, audience, Math.floor(now / 1000));
    this.#tokens.set(id, { token, renewAt: now + (INTERNAL_TOKEN_TTL_SECONDS * 1000) / 2 });
    token.catch(() => this.#tokens.delete(id));
    return token;
  }
}

/** How long a keep-alive socket may sit idle before the gateway closes it (below Node servers' 5 s default). */
export const IDLE_SOCKET_MS = 4_000;

/** A socket error that, on a reused keep-alive socket before any answer, means the server had closed it. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

const isGatewayContext = (c: unknown): c is GatewayContext => typeof c === 'object' && c !== null && 'identity' in c && 'stale' in c;

interface RawAnswer {
  status: number;
  statusMessage: string;
  body: string;
}

export class SubgraphSource implements GraphQLDataSource<GatewayContext> {
  readonly #url: URL;
  readonly #agent: HttpAgent;
  readonly #send: typeof httpRequest;
  readonly #audience: string;
  readonly #options: SubgraphSourceOptions;
  readonly #inFlight = new Map<string, Promise<RawAnswer>>();
  #shared = 0;
  #resent = 0;

  constructor(
    readonly name: string,
    url: string,
    options: SubgraphSourceOptions,
  ) {
    this.#url = new URL(url);
    const https = this.#url.protocol === 'https:';
    // `timeout` closes idle sockets (and lets a server's shorter `Keep-Alive: timeout=` hint win); a
    // call's own deadline is separate.
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 128, scheduling: 'lifo' as const, timeout: IDLE_SOCKET_MS };
    this.#agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.#send = https ? httpsRequest : httpRequest;
    this.#audience = internalAudience(name);
    this.#options = options;
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (isGatewayContext(context)) {
      headers[INTERNAL_IDENTITY_HEADER] = await this.#options.tokens.get(context.identity, this.#audience);
      if (context.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
    }
    injectTraceContext((name, value) => {
      headers[name] = value;
    });
    const body = JSON.stringify({
      query: request.query,
      ...(request.operationName ? { operationName: request.operationName } : {}),
      ...(request.variables ? { variables: request.variables } : {}),
      ...(request.extensions ? { extensions: request.extensions } : {}),
    });

    // Identical reads in flight at once are sent once: same subgraph, same identity (tenant,
    // subject, roles, scopes: what a subgraph's answer may depend on) and the exact same request.
    // Only for client queries: a mutation's calls, and reads made during one, always go out.
    const isRead = 'incomingRequestContext' in options && options.incomingRequestContext.operation?.operation === 'query';
    const shareable = isRead && isGatewayContext(context);
    const sharedKey = shareable
      ? JSON.stringify([context.identity.tenant, context.identity.subject, context.identity.roles, context.identity.scopes, body])
      : undefined;
    let answer: RawAnswer;
    try {
      answer = await this.#postOnce(sharedKey, body, headers, isRead);
    } catch (error) {
      throw this.#unavailable(error);
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new GraphQLError(`${answer.status}: ${answer.statusMessage}`, {
        extensions: { code: answer.status === 401 ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN, serviceName: this.name },
      });
    }
    if (answer.status < 200 || answer.status >= 300) throw this.#unavailable(new Error(`HTTP ${answer.status}`), answer.status);
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch (error) {
      throw this.#unavailable(error, answer.status);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw this.#unavailable(new Error('not a JSON object'), answer.status);
    const response = parsed as GatewayGraphQLResponse;
    const stale = response.extensions?.['stale'];
    if (Array.isArray(stale) && isGatewayContext(context)) {
      for (const s of stale) context.stale.push({ ...(s as Record<string, unknown>), subgraph: this.name });
    }
    return response;
  }

  /** Closes the idle keep-alive sockets (the gateway's stop). */
  close(): void {
    this.#agent.destroy();
  }

  #unavailable(cause: unknown, status?: number): GraphQLError {
    return new GraphQLError(`The ${this.name} service is unavailable`, {
      originalError: cause instanceof Error ? cause : new Error(String(cause)),
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.name, ...(status !== undefined ? { status } : {}) },
    });
  }

  /** Joins an identical call in flight (each caller parses the body itself: no shared objects). */
  #postOnce(sharedKey: string | undefined, body: string, headers: Record<string, string>, isRead: boolean): Promise<RawAnswer> {
    const deadlineAt = Date.now() + this.#options.timeoutMs;
    if (sharedKey === undefined) return this.#post(body, headers, deadlineAt, isRead);
    const pending = this.#inFlight.get(sharedKey);
    if (pending) {
      this.#shared += 1;
      return pending;
    }
    const call = this.#post(body, headers, deadlineAt, isRead).finally(() => this.#inFlight.delete(sharedKey));
    this.#inFlight.set(sharedKey, call);
    return call;
  }

  /** Calls that joined an identical one in flight instead of being sent (tests and the bench). */
  get sharedCalls(): number {
    return this.#shared;
  }

  /** One POST within the call's deadline; a read found on a socket the server had closed goes once more on a fresh one. */
  #post(body: string, headers: Record<string, string>, deadlineAt: number, resendOnStaleSocket: boolean, isResend = false): Promise<RawAnswer> {
    const options: RequestOptions = {
      method: 'POST',
      // The resend opens its own connection: the pool might hand it another socket being closed.
      agent: isResend ? false : this.#agent,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    };
    return new Promise<RawAnswer>((resolve, reject) => {
      let answered = false;
      const req = this.#send(this.#url, options, (res: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${this.#options.timeoutMs} ms`)), Math.max(0, deadlineAt - Date.now()));
      req.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(deadline);
        if (resendOnStaleSocket && req.reusedSocket && !answered && STALE_SOCKET_CODES.has(err.code ?? '')) {
          this.#resent += 1;
          resolve(this.#post(body, headers, deadlineAt, false, true));
          return;
        }
        reject(err);
      });
      req.end(body);
    });
  }

  /** Reads sent again after their reused socket turned out closed by the server (tests and the bench). */
  get resentCalls(): number {
    return this.#resent;
  }
}
