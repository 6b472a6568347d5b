/**
 * Security limits checked before any planning or upstream call: selection depth, estimated cost,
 * aliases, and fields at the root of an operation (fragments expanded). Each is a GraphQL
 * validation rule answering QUERY_TOO_COMPLEX; body size is limited by the HTTP layer.
 *
 * The cost estimates how many objects a query can make the subgraphs build and the upstreams
 * serve: every field costs 1, times the size of every list above it. A list's size is its `first`
 * argument (the page default of 20 when absent, the page maximum of 100 when given as a variable,
 * since validation runs before variables are known), or an estimate for lists without paging.
 * Fields that cost an upstream call per parent object weigh more: their subgraph declares it with
 * `@cost(weight: N)` (read from the supergraph by `fieldCostWeights`). Fragments are measured once
 * each, so a document cannot make the rule itself slow.
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../schema/error-codes';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../schema/paging';

export interface QueryLimits {
  /** Deepest field nesting (fragments expanded). @default 15 */
  maxDepth: number;
  /** Estimated objects one operation may ask for. @default 10_000 */
  maxCost: number;
  /** Aliased fields in one document. @default 30 */
  maxAliases: number;
  /** Fields at the root of one operation (fragments expanded). @default 10 */
  maxRootFields: number;
  /**
   * Tokens the parser reads before it gives up (GRAPHQL_PARSE_FAILED): a huge document is refused
   * while it is parsed, before it is validated whole. The ticket-context query has about 400.
   * @default 5_000
   */
  maxTokens: number;
  /**
   * Characters of the GraphQL document, checked before it is parsed (separately from the body limit,
   * which also bounds variables). The ticket-context query has about 2,000.
   * @default 20_000
   */
  maxDocumentLength: number;
  /**
   * Upstream calls one operation may cause that cannot be batched: fields whose subgraph declares
   * `@cost(weight:)` make one upstream call per parent object (a ticket's comments), so a page of
   * 100 tickets asking for comments is 100 calls. The ticket-context query makes none.
   * @default 40
   */
  maxUpstreamCalls: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxDepth: 15,
  maxCost: 10_000,
  maxAliases: 30,
  maxRootFields: 10,
  maxTokens: 5_000,
  maxDocumentLength: 20_000,
  maxUpstreamCalls: 40,
};

/** Size assumed for a list without a `first` argument (order lines, a customer's entitlements...). */
export const UNPAGED_LIST_ESTIMATE = 10;

/** Extra cost per `Type.field` beyond its 1, as the subgraphs declare it (`@cost`); see gateway/supergraph.ts. */
export type FieldWeights = ReadonlyMap<string, number>;

const tooComplex = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } });

interface Measure {
  depth: number;
  cost: number;
  rootFields: number;
  /** Upstream calls that cannot be batched (weighted fields, one per parent object). */
  calls: number;
}

/** Assumed sizes of unpaged lists per `Type.field` (`@listSize(assumedSize: N)`); see gateway/supergraph.ts. */
export type ListSizes = ReadonlyMap<string, number>;

function listSize(field: FieldNode, parentName: string, returnsList: boolean, hasFirst: boolean, assumed: number | undefined): number {
  if (hasFirst) {
    const first = field.arguments?.find((a) => a.name.value === 'first');
    if (!first) return DEFAULT_PAGE_SIZE;
    if (first.value.kind === Kind.INT) return Math.max(0, Number(first.value.value));
    return MAX_PAGE_SIZE;
  }
  // A connection's `edges` are already counted by the connection's `first`.
  if (returnsList && !(field.name.value === 'edges' && parentName.endsWith('Connection'))) return assumed ?? UNPAGED_LIST_ESTIMATE;
  return 1;
}

function createMeasurer(schema: GraphQLSchema, fragments: ReadonlyMap<string, FragmentDefinitionNode>, weights: FieldWeights, sizes: ListSizes) {
  const memo = new Map<string, Measure>();
  const inProgress = new Set<string>();

  const measure = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined): Measure => {
    const out: Measure = { depth: 0, cost: 0, rootFields: 0, calls: 0 };
    if (!set) return out;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        out.rootFields += 1;
        const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : undefined;
        const def = fields?.[sel.name.value];
        const type = def ? getNullableType(def.type) : undefined;
        const key = `${parent?.name ?? ''}.${sel.name.value}`;
        const size = listSize(
          sel,
          parent?.name ?? '',
          type !== undefined && isListType(type),
          def?.args.some((a) => a.name === 'first') ?? false,
          sizes.get(key),
        );
        const weight = 1 + (weights.get(key) ?? 0);
        const child = measure(sel.selectionSet, def ? getNamedType(def.type) : undefined);
        out.depth = Math.max(out.depth, child.depth + 1);
        // The field's own upstream call (weight - 1 beyond its 1) is paid once per parent, not per item.
        out.cost += weight - 1 + size * (1 + child.cost);
        out.calls += (weight > 1 ? 1 : 0) + size * child.calls;
      } else {
        let inner: Measure;
        if (sel.kind === Kind.INLINE_FRAGMENT) {
          inner = measure(sel.selectionSet, sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) ?? undefined) : parent);
        } else {
          const name = sel.name.value;
          const cached = memo.get(name);
          const fragment = fragments.get(name);
          if (cached) inner = cached;
          else if (!fragment || inProgress.has(name))
            inner = { depth: 0, cost: 0, rootFields: 0, calls: 0 }; // unknown or cyclic: standard rules report it
          else {
            inProgress.add(name);
            inner = measure(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined);
            inProgress.delete(name);
            memo.set(name, inner);
          }
        }
        out.depth = Math.max(out.depth, inner.depth);
        out.cost += inner.cost;
        out.rootFields += inner.rootFields;
        out.calls += inner.calls;
      }
    }
    return out;
  };
  return measure;
}

export function queryLimitRules(limits: QueryLimits = DEFAULT_LIMITS, weights: FieldWeights = new Map(), sizes: ListSizes = new Map()): ValidationRule[] {
  const operationRule: ValidationRule = (ctx: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      ctx
        .getDocument()
        .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    const measure = createMeasurer(ctx.getSchema(), fragments, weights, sizes);
    return {
      OperationDefinition(op) {
        const root =
          op.operation === 'query'
            ? ctx.getSchema().getQueryType()
            : op.operation === 'mutation'
              ? ctx.getSchema().getMutationType()
              : ctx.getSchema().getSubscriptionType();
        const m = measure(op.selectionSet, root ?? undefined);
        if (m.depth > limits.maxDepth) ctx.reportError(tooComplex(`Query is nested deeper than ${limits.maxDepth} levels`));
        if (m.rootFields > limits.maxRootFields)
          ctx.reportError(tooComplex(`Operation asks for ${m.rootFields} root fields; at most ${limits.maxRootFields} are allowed`));
        if (m.cost > limits.maxCost)
          ctx.reportError(tooComplex(`Query would cost about ${m.cost} objects; at most ${limits.maxCost} are allowed (ask for smaller pages)`));
        if (m.calls > limits.maxUpstreamCalls)
          ctx.reportError(
            tooComplex(
              `Query would make about ${m.calls} upstream calls that cannot be batched; at most ${limits.maxUpstreamCalls} are allowed (ask for smaller pages, or for comments of fewer tickets)`,
            ),
          );
      },
    };
  };
  const aliasRule: ValidationRule = (ctx: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
      },
      Document: {
        leave() {
          if (aliases > limits.maxAliases) ctx.reportError(tooComplex(`Document uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`));
        },
      },
    };
  };
  return [operationRule, aliasRule];
}

/** The estimated cost of a document's operations under the rules above (for tests and tooling). */
export function estimateCost(schema: GraphQLSchema, document: DocumentNode, weights: FieldWeights = new Map(), sizes: ListSizes = new Map()): number {
  return estimate(schema, document, weights, sizes).cost;
}

/** The estimated upstream calls that cannot be batched, for a document's operations. */
export function estimateUpstreamCalls(schema: GraphQLSchema, document: DocumentNode, weights: FieldWeights = new Map(), sizes: ListSizes = new Map()): number {
  return estimate(schema, document, weights, sizes).calls;
}

function estimate(schema: GraphQLSchema, document: DocumentNode, weights: FieldWeights, sizes: ListSizes, operationName?: string | null): Measure {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const measure = createMeasurer(schema, fragments, weights, sizes);
  const total: Measure = { depth: 0, cost: 0, rootFields: 0, calls: 0 };
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION || (operationName != null && d.name?.value !== operationName)) continue;
    const root = d.operation === 'query' ? schema.getQueryType() : d.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    const m = measure(d.selectionSet, root ?? undefined);
    total.cost += m.cost;
    total.calls += m.calls;
  }
  return total;
}

/**
 * The cost charged against a tenant's budget for the operation that runs (admission control), memoized per parsed document:
 * Apollo Server reuses the validated document of a repeated query, so a repeated query is measured once.
 */
export function operationCoster(
  weights: FieldWeights,
  sizes: ListSizes,
): (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined) => number {
  const memo = new WeakMap<DocumentNode, Map<string, number>>();
  return (schema, document, operationName) => {
    let byName = memo.get(document);
    if (!byName) memo.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let cost = byName.get(key);
    if (cost === undefined) byName.set(key, (cost = estimate(schema, document, weights, sizes, operationName ?? null).cost));
    return cost;
  };
}
