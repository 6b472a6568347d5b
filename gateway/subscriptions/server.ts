/**
 * graphql-ws on the gateway's own HTTP server and path (`/graphql`, WebSocket upgrade).
 *
 * - `connection_init` carries the bearer token (`{ authorization: 'Bearer …' }`), verified exactly
 *   like an HTTP request's: none or a bad one closes with 4401, a disabled tenant with 4403, before
 *   anything is subscribed; no `connection_init` within `initTimeoutMs` closes with 4408.
 * - The connection closes with 4401 when its token expires, unless the client has sent a fresh
 *   token for the same tenant and subject in a `ping` payload (`{ authorization: 'Bearer …' }`).
 * - Subscriptions go to the hub (one resolution per event and group of identical subscribers);
 *   queries and mutations sent over the socket run through Apollo like HTTP ones.
 * - Limits: subscriptions per connection and per tenant (RATE_LIMITED); a subscriber too slow to
 *   take its pushes is closed with 1013 (Try Again Later).
 */
import type { IncomingMessage, Server } from 'node:http';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  getOperationAST,
  getVariableValues,
  getArgumentValues,
  parse,
  print,
  validate,
  visit,
  visitWithTypeInfo,
  specifiedRules,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode, type Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode } from '../../schema/error-codes';
import type { Identity } from '../../tenancy/identity';
import type { TenantConfig } from '../../tenancy/registry';
import { AuthenticationError, type Authenticated, type Authenticator } from '../auth';
import type { OriginPolicy } from '../cors';
import { SUBJECT_SCOPED_TYPES, SUBSCRIPTION_FIELDS } from './catalog';
import type { SubscriptionHub } from './hub';
import type { SubscriptionMetrics } from './metrics';
import { wireErrors, type FederatedResult, type PushOperation } from './resolve-push';

/** A standard WebSocket close code (RFC 6455 registry): the server is overloaded by this client. */
export const CLOSE_TRY_AGAIN_LATER = 1013;

export interface WsServerOptions {
  httpServer: Server;
  /** @default '/graphql' */
  path?: string;
  authenticate: Authenticator;
  /** The public (API) schema; read when each subscription starts, so a schema update applies to new ones. */
  schema: () => GraphQLSchema;
  /** The gateway's validation limits (depth, cost, aliases). */
  validationRules: readonly ValidationRule[];
  hub: SubscriptionHub;
  /** Runs a query or mutation sent over the socket, as Apollo does for HTTP. */
  execute: (query: string, variables: Record<string, unknown> | undefined, operationName: string | undefined, auth: Authenticated) => Promise<FederatedResult>;
  formatError: (error: GraphQLError) => ReturnType<GraphQLError['toJSON']>;
  metrics: SubscriptionMetrics;
  log: Logger;
  /** @default 3000 */
  initTimeoutMs?: number;
  /** @default 50 */
  maxSubscriptionsPerConnection?: number;
  /** Longest operation text accepted (characters). @default 20000 */
  maxOperationLength?: number;
  /** Tokens the parser reads before refusing an operation. @default 5000 */
  maxTokens?: number;
  /** Largest WebSocket message accepted (bytes); a larger one closes the socket (1009). @default 262144 */
  maxMessageBytes?: number;
  /** Strip "Did you mean …?" schema hints from validation errors (production, introspection off). @default false */
  hideSchemaDetails?: boolean;
  /**
   * Browser origins: an upgrade whose `Origin` no tenant lists is refused (HTTP 403), and one whose
   * token's tenant does not list it closes with 4403 at `connection_init`. No `Origin` = not a browser, allowed.
   * @default unset: origins are not checked
   */
  origins?: OriginPolicy;
}

interface Connection {
  auth: Authenticated;
  expiry: NodeJS.Timeout | undefined;
  subscriptions: number;
}

type Extra = { readonly socket: WebSocket; readonly request: IncomingMessage };

const coded = (message: string, code: ErrorCode): GraphQLError => new GraphQLError(message, { extensions: { code } });

/** Whether the operation reads a type only its requester may see (then subscribers share resolutions only within one subject). */
function readsSubjectScoped(schema: GraphQLSchema, document: DocumentNode): boolean {
  const info = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(info, {
      Field() {
        const type = info.getType();
        if (type && SUBJECT_SCOPED_TYPES.has(getNamedType(type).name)) found = true;
      },
    }),
  );
  return found;
}

type Checked = { document: DocumentNode; subjectScoped: boolean; key: string } | { errors: readonly GraphQLError[] };

/** Parses (token-limited) and validates an operation text against the schema and the gateway's limits. */
function check(schema: GraphQLSchema, text: string, rules: readonly ValidationRule[], hideSchemaDetails: boolean, maxTokens: number): Checked {
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens });
  } catch (err) {
    return { errors: [coded(err instanceof GraphQLError ? err.message : 'Syntax error', ErrorCode.GRAPHQL_PARSE_FAILED)] };
  }
  const invalid = validate(schema, document, [...specifiedRules, ...rules]);
  if (invalid.length > 0)
    return {
      errors: invalid.map((e) => {
        const message = hideSchemaDetails ? e.message.replace(/ ?Did you mean (.+?)\?$/, '') : e.message;
        const code = typeof e.extensions['code'] === 'string' ? e.extensions['code'] : ErrorCode.GRAPHQL_VALIDATION_FAILED;
        return new GraphQLError(message, { nodes: e.nodes, extensions: { code } });
      }),
    };
  // Subscribers share resolutions by this key: the document as printed, so comments and spacing do not split groups.
  return { document, subjectScoped: readsSubjectScoped(schema, document), key: print(document) };
}

function bearerOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.['authorization'] ?? params?.['Authorization'];
  return typeof value === 'string' ? value : undefined;
}

export interface RunningWsServer {
  /** Idempotent: closes every connection (1001) and the WebSocket server. */
  dispose(): Promise<void>;
}

export function startWsServer(options: WsServerOptions): RunningWsServer {
  const {
    httpServer,
    path = '/graphql',
    authenticate,
    hub,
    metrics,
    log,
    initTimeoutMs = 3_000,
    maxSubscriptionsPerConnection = 50,
    maxOperationLength = 20_000,
    maxMessageBytes = 256 * 1024,
    hideSchemaDetails = false,
    maxTokens = 5_000,
  } = options;
  const connections = new WeakMap<object, Connection>();
  // Parsed and validated once per operation text and schema: a thousand sidebars send the same
  // subscription, and share its document (memory) and its validation (CPU).
  const documents = new LRUCache<string, Checked>({ max: 500 });
  let documentsSchema: GraphQLSchema | undefined;
  const checkedDocument = (schema: GraphQLSchema, text: string): Checked => {
    if (schema !== documentsSchema) {
      documents.clear();
      documentsSchema = schema;
    }
    let checked = documents.get(text);
    if (!checked) {
      checked = check(schema, text, options.validationRules, hideSchemaDetails, maxTokens);
      documents.set(text, checked);
    }
    return checked;
  };
  // graphql-ws messages are small; ws's default would buffer 100 MiB from anyone, signed in or not.
  const { origins } = options;
  const wss = new WebSocketServer({
    server: httpServer,
    path,
    maxPayload: maxMessageBytes,
    ...(origins
      ? {
          verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, status?: number, message?: string) => void) => {
            const origin = req.headers.origin;
            if (origin === undefined || origins.known(origin)) return done(true);
            metrics.refused.inc({ reason: 'origin' });
            done(false, 403, 'Forbidden');
          },
        }
      : {}),
  });

  const armExpiry = (socket: WebSocket, conn: Connection) => {
    if (conn.expiry) clearTimeout(conn.expiry);
    const ms = Math.min(Math.max(conn.auth.expiresAt - Date.now(), 0), 2_147_000_000);
    conn.expiry = setTimeout(() => socket.close(CloseCode.Unauthorized, 'Token expired'), ms);
    conn.expiry.unref();
  };

  const refuse = (socket: WebSocket, err: unknown) => {
    const disabled = err instanceof AuthenticationError && err.tenantDisabled;
    metrics.refused.inc({ reason: disabled ? 'tenant_disabled' : 'unauthenticated' });
    if (err instanceof AuthenticationError) log.info({ reason: err.reason }, 'graphql-ws connection refused');
    else log.error({ err: err instanceof Error ? err.message : String(err) }, 'graphql-ws authentication failed');
    socket.close(disabled ? CloseCode.Forbidden : CloseCode.Unauthorized, disabled ? 'Forbidden' : 'Unauthorized');
  };

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: initTimeoutMs,
      onConnect: async (ctx: Context<Record<string, unknown> | undefined, Extra>) => {
        let auth: Authenticated;
        try {
          auth = await authenticate(bearerOf(ctx.connectionParams));
        } catch (err) {
          refuse(ctx.extra.socket, err);
          return false; // already closing with the code above; graphql-ws's own 4403 is ignored
        }
        // The socket may have closed while the token was being verified (onClose already ran).
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        const origin = ctx.extra.request.headers.origin;
        if (origins && origin !== undefined && !origins.allows(auth.tenant, origin)) {
          metrics.refused.inc({ reason: 'origin' });
          log.info({ origin, tenant: auth.tenant.id }, "graphql-ws connection refused: origin not listed by the token's tenant");
          ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden');
          return false;
        }
        const conn: Connection = { auth, expiry: undefined, subscriptions: 0 };
        connections.set(ctx, conn);
        armExpiry(ctx.extra.socket, conn);
        metrics.connections.inc({ tenant: auth.tenant.id });
        return true;
      },
      onPing: async (ctx, payload) => {
        const conn = connections.get(ctx);
        const header = bearerOf(payload);
        if (!conn || !header) return;
        try {
          const fresh = await authenticate(header);
          const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join(' ') === [...b].sort().join(' ');
          // Subscriptions run with the identity they started with: a fresh token may extend it, never change it.
          if (
            ctx.extra.socket.readyState !== ctx.extra.socket.OPEN ||
            fresh.tenant.id !== conn.auth.tenant.id ||
            fresh.identity.subject !== conn.auth.identity.subject ||
            !same(fresh.identity.roles, conn.auth.identity.roles) ||
            !same(fresh.identity.scopes, conn.auth.identity.scopes)
          ) {
            ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden');
            return;
          }
          conn.auth = fresh;
          armExpiry(ctx.extra.socket, conn);
        } catch (err) {
          refuse(ctx.extra.socket, err);
        }
      },
      onClose: (ctx) => {
        const conn = connections.get(ctx);
        if (!conn) return;
        if (conn.expiry) clearTimeout(conn.expiry);
        metrics.connections.dec({ tenant: conn.auth.tenant.id });
        connections.delete(ctx);
      },
      onSubscribe: (ctx, _id, payload) => {
        const conn = connections.get(ctx);
        if (!conn) return [coded('Authentication required: send a valid bearer token', ErrorCode.UNAUTHENTICATED)];
        if (typeof payload.query !== 'string' || payload.query.length > maxOperationLength)
          return [coded(`The operation must be a string of at most ${maxOperationLength} characters`, ErrorCode.QUERY_TOO_COMPLEX)];
        const schema = options.schema();
        const checked = checkedDocument(schema, payload.query);
        if ('errors' in checked) return checked.errors;
        const { document, subjectScoped, key } = checked;
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (!operation) return [coded('Name the operation to run (operationName)', ErrorCode.GRAPHQL_VALIDATION_FAILED)];
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
        if (coerced.errors) return coerced.errors.map((e) => new GraphQLError(e.message, { extensions: { code: ErrorCode.BAD_USER_INPUT } }));
        const variables = coerced.coerced;
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: variables,
          contextValue: { conn, text: payload.query, variables: payload.variables ?? undefined },
        };
        if (operation.operation !== 'subscription') return args;

        const root = operation.selectionSet.selections[0];
        const spec = root?.kind === Kind.FIELD ? SUBSCRIPTION_FIELDS[root.name.value] : undefined;
        const fieldDef = root?.kind === Kind.FIELD ? schema.getSubscriptionType()?.getFields()[root.name.value] : undefined;
        if (!spec || !fieldDef || root?.kind !== Kind.FIELD)
          return [coded('Select one subscription field at the root, without fragments', ErrorCode.GRAPHQL_VALIDATION_FAILED)];
        if (conn.subscriptions >= maxSubscriptionsPerConnection) {
          metrics.refused.inc({ reason: 'connection_limit' });
          return [coded(`At most ${maxSubscriptionsPerConnection} subscriptions per connection`, ErrorCode.RATE_LIMITED)];
        }
        const target = String(getArgumentValues(fieldDef, root as FieldNode, variables)[spec.arg] ?? '');
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(target)) return [coded(`${spec.arg} is not an identifier`, ErrorCode.BAD_USER_INPUT)];
        const op: PushOperation = { schema, document, operation, variables, formatError: (e) => options.formatError(e) };
        const identity: Identity = conn.auth.identity;
        const tenant: TenantConfig = conn.auth.tenant;
        const sink = hub.subscribe({
          identity,
          tenant,
          op,
          text: key,
          rootField: root.name.value,
          spec,
          target,
          subjectScoped,
          onOverflow: () => ctx.extra.socket.close(CLOSE_TRY_AGAIN_LATER, 'Subscriber too slow'),
        });
        if (!sink) {
          metrics.refused.inc({ reason: 'tenant_limit' });
          return [coded('The tenant has reached its subscription limit on this gateway (subscriptions or distinct operations)', ErrorCode.RATE_LIMITED)];
        }
        conn.subscriptions += 1;
        const release = () => {
          conn.subscriptions = Math.max(0, conn.subscriptions - 1);
        };
        return { ...args, contextValue: { conn, sink, release } };
      },
      subscribe: (args) => {
        const { sink, release } = args.contextValue as { sink: AsyncIterableIterator<unknown>; release: () => void };
        const done = sink.return?.bind(sink);
        // graphql-ws calls return() on complete or close: release the connection's slot then.
        sink.return = async (value?: unknown) => {
          release();
          return (await done?.(value)) ?? { value: undefined, done: true };
        };
        return sink as never;
      },
      execute: async (args) => {
        const { conn, text, variables } = args.contextValue as { conn: Connection; text: string; variables: Record<string, unknown> | undefined };
        return wireErrors(await options.execute(text, variables, args.operationName ?? undefined, conn.auth)) as never;
      },
    },
    wss,
  );

  let disposing: Promise<void> | undefined;
  return {
    dispose() {
      disposing ??= Promise.resolve(server.dispose()).catch(() => undefined);
      return disposing;
    },
  };
}
