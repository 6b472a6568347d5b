/**
 * Security limits checked before any planning or upstream call: selection depth, aliases, and
 * top-level fields per operation (the batch of work one request can ask for). Each is a GraphQL
 * validation rule answering QUERY_TOO_COMPLEX; body size is limited by the HTTP layer.
 */
import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { ErrorCode } from '../schema/error-codes';

export interface QueryLimits {
  /** Deepest field nesting (fragments expanded). @default 15 */
  maxDepth: number;
  /** Aliased fields in one document. @default 30 */
  maxAliases: number;
  /** Fields at the root of one operation. @default 10 */
  maxRootFields: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 15, maxAliases: 30, maxRootFields: 10 };

const tooComplex = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } });

function depthOf(set: SelectionSetNode | undefined, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen: Set<string>, limit: number, at = 0): number {
  if (!set || at > limit) return at;
  let deepest = at;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue; // introspection meta fields
      deepest = Math.max(deepest, sel.selectionSet ? depthOf(sel.selectionSet, fragments, seen, limit, at + 1) : at + 1);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(sel.selectionSet, fragments, seen, limit, at));
    } else {
      const name = sel.name.value;
      const frag = fragments.get(name);
      if (!frag || seen.has(name)) continue; // unknown or cyclic fragments are reported by the standard rules
      seen.add(name);
      deepest = Math.max(deepest, depthOf(frag.selectionSet, fragments, seen, limit, at));
      seen.delete(name);
    }
    if (deepest > limit) break;
  }
  return deepest;
}

export function queryLimitRules(limits: QueryLimits = DEFAULT_LIMITS): ValidationRule[] {
  const depthRule: ValidationRule = (ctx: ValidationContext): ASTVisitor => ({
    OperationDefinition(op) {
      const fragments = new Map(ctx.getDocument().definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
      const depth = depthOf(op.selectionSet, fragments, new Set(), limits.maxDepth);
      if (depth > limits.maxDepth) ctx.reportError(tooComplex(`Query is nested deeper than ${limits.maxDepth} levels`));
      const roots = op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && !s.name.value.startsWith('__')).length;
      if (roots > limits.maxRootFields) ctx.reportError(tooComplex(`Operation asks for ${roots} root fields; at most ${limits.maxRootFields} are allowed`));
    },
  });
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
  return [depthRule, aliasRule];
}
