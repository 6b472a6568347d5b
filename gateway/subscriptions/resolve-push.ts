/**
 * One push: the subscriber's own subscription document executed against the public schema with the
 * change envelope as its root value. Envelope fields are answered from the event; entity fields
 * (`order`, `customer`, ...) are read with one federated query each, through the same planner,
 * subgraphs and authorization as any query, with the subscriber's identity; below them every
 * value is taken from that answer by response key, so aliases, fragments and directives behave as
 * in the query.
 */
import {
  execute,
  getNamedType,
  isObjectType,
  responsePathAsArray,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../../schema/error-codes';
import { ENTITY_ROOTS } from './catalog';
import { delegatedQuery, ENTITY_ID_VARIABLE, type DelegatedQuery } from './delegate';
import { ChangeEnvelope } from './envelope';

/** A federated query's answer, errors already formatted for clients. */
export interface FederatedResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Runs a query with the subscriber's identity (the group's). */
export type FederatedExecutor = (query: string, variables: Record<string, unknown>) => Promise<FederatedResult>;

/** What a push sends: `next`'s payload. */
export interface PushResult {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

export interface PushOperation {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Formats an error raised by the local execution (masking unexpected ones). */
  readonly formatError: (error: GraphQLError) => GraphQLFormattedError;
}

interface PushContext {
  readonly run: FederatedExecutor;
  readonly errors: GraphQLFormattedError[];
  /** Whether the tenant's policy hides `Type.field` from the subscriber (for the fields the gateway answers itself). */
  readonly hidden: (path: string) => boolean;
}

/**
 * Delegated queries of a document, by the set of field nodes merged into the entity field (which
 * @skip/@include decide per subscriber's variables) and root: printed once per document and shape.
 */
const queries = new WeakMap<DocumentNode, Map<string, DelegatedQuery>>();

function delegatedFor(op: PushOperation, nodes: readonly FieldNode[], root: string, key: string): DelegatedQuery {
  let byShape = queries.get(op.document);
  if (!byShape) queries.set(op.document, (byShape = new Map()));
  const shape = `${root}:${key}:${nodes.map((n) => n.loc?.start ?? -1).join(',')}`;
  let q = byShape.get(shape);
  if (!q) {
    q = delegatedQuery(op.document, op.operation, nodes, root, key);
    byShape.set(shape, q);
  }
  return q;
}

function resolver(op: PushOperation): GraphQLFieldResolver<unknown, PushContext> {
  const subscriptionType = op.schema.getSubscriptionType();
  return (source, _args, ctx, info) => {
    if (info.parentType === subscriptionType) return source;
    if (source instanceof ChangeEnvelope) {
      if (ctx.hidden(`${info.parentType.name}.${info.fieldName}`))
        throw new GraphQLError('This field is not available to your role', { extensions: { code: ErrorCode.FORBIDDEN } });
      const scalar = source.scalar(info.fieldName);
      if (scalar !== undefined) return scalar;
      const type = getNamedType(info.returnType);
      const root = ENTITY_ROOTS[type.name];
      if (!root || !isObjectType(type)) return null;
      const id = source.entityId(type.name);
      if (id === null) return null;
      const key = String(info.path.key);
      const q = delegatedFor(op, info.fieldNodes, root, key);
      const variables: Record<string, unknown> = { [ENTITY_ID_VARIABLE]: id };
      for (const name of q.variableNames) variables[name] = op.variables[name];
      const prefix = responsePathAsArray(info.path).slice(0, -1);
      return ctx.run(q.query, variables).then((result) => {
        for (const error of result.errors ?? []) ctx.errors.push(error.path ? { ...error, path: [...prefix, ...error.path] } : error);
        return result.data?.[key] ?? null;
      });
    }
    // Below an entity: the federated answer, keyed by response key (alias or name).
    if (source === null || typeof source !== 'object') return null;
    return (source as Record<string, unknown>)[String(info.path.key)];
  };
}

/**
 * graphql-ws serialises each error with `toJSON()` (it expects GraphQLError instances); formatted
 * errors are plain objects, so they get one that returns themselves.
 */
export function wireErrors<T extends { errors?: readonly GraphQLFormattedError[] | undefined }>(result: T): T {
  if (!result.errors) return result;
  return { ...result, errors: result.errors.map((e) => ({ ...e, toJSON: () => e })) };
}

/** Resolves the push of `envelope` for a subscription operation. Never rejects: failures become errors in the result. */
export async function resolvePush(
  op: PushOperation,
  envelope: ChangeEnvelope,
  run: FederatedExecutor,
  hidden: (path: string) => boolean = () => false,
): Promise<PushResult> {
  const ctx: PushContext = { run, errors: [], hidden };
  try {
    const result = await execute({
      schema: op.schema,
      document: op.document,
      operationName: op.operation.name?.value,
      rootValue: envelope,
      contextValue: ctx,
      variableValues: op.variables,
      fieldResolver: resolver(op),
    });
    // Errors the subgraphs reported are already formatted; completion errors (a null where the
    // schema promises a value, after a subgraph error) are formatted here.
    const delegatedPaths = new Set(ctx.errors.map((e) => JSON.stringify(e.path ?? [])));
    const local = (result.errors ?? []).filter((e) => !delegatedPaths.has(JSON.stringify(e.path ?? []))).map(op.formatError);
    const errors = [...ctx.errors, ...local];
    return wireErrors({ data: (result.data as Record<string, unknown> | null | undefined) ?? null, ...(errors.length ? { errors } : {}) });
  } catch (err) {
    return wireErrors({
      data: null,
      errors: [op.formatError(err instanceof GraphQLError ? err : new GraphQLError('push failed', { originalError: err as Error }))],
    });
  }
}
