/**
 * A change payload's entity field (`orderChanged { order { ... } }`) becomes one federated query
 * (`query($__entityId: ID!) { order: order(id: $__entityId) { ... } }`) carrying the subscriber's
 * own selection, the fragments and the variables it uses: the query planner, the subgraphs and
 * their authorization rules see exactly what a query of the same selection would show.
 */
import {
  Kind,
  OperationTypeNode,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';

export const ENTITY_ID_VARIABLE = '__entityId';

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** Adds `__typename` to every selection set: the local re-execution tells abstract types apart by it. */
function withTypenames<T extends SelectionSetNode | FragmentDefinitionNode>(node: T): T {
  return visit(node, {
    SelectionSet(set) {
      const has = set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias);
      return has ? undefined : { ...set, selections: [...set.selections, TYPENAME] };
    },
  }) as T;
}

/** Names of the variables and fragments a node uses, fragments followed transitively. */
function usage(roots: readonly SelectionNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): { variables: Set<string>; fragments: Set<string> } {
  const variables = new Set<string>();
  const used = new Set<string>();
  const pending: Array<SelectionNode | FragmentDefinitionNode> = [...roots];
  while (pending.length > 0) {
    const node = pending.pop()!;
    visit(node, {
      Variable(v) {
        variables.add(v.name.value);
      },
      FragmentSpread(spread) {
        const name = spread.name.value;
        const def = fragments.get(name);
        if (!used.has(name) && def) {
          used.add(name);
          pending.push(def);
        }
      },
    });
  }
  return { variables, fragments: used };
}

export interface DelegatedQuery {
  /** The printed query; its only root field answers under `responseKey`. */
  readonly query: string;
  /** The subscriber's variables this query uses (the entity id is added per event). */
  readonly variableNames: readonly string[];
}

/**
 * The query that reads `rootField(id:)` with the selection of `fieldNodes` (all nodes of one
 * response key), for an operation of `document`.
 */
export function delegatedQuery(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  fieldNodes: readonly FieldNode[],
  rootField: string,
  responseKey: string,
): DelegatedQuery {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const selections = fieldNodes.flatMap((n) => n.selectionSet?.selections ?? []);
  const used = usage(selections, fragments);
  const variableDefinitions: VariableDefinitionNode[] = (operation.variableDefinitions ?? []).filter((d) => used.variables.has(d.variable.name.value));
  const idDefinition: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ENTITY_ID_VARIABLE } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  };
  const root: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: responseKey },
    name: { kind: Kind.NAME, value: rootField },
    arguments: [
      { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ENTITY_ID_VARIABLE } } },
    ],
    selectionSet: withTypenames({ kind: Kind.SELECTION_SET, selections }),
  };
  const doc: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        name: { kind: Kind.NAME, value: 'SubscriptionPush' },
        variableDefinitions: [idDefinition, ...variableDefinitions],
        selectionSet: { kind: Kind.SELECTION_SET, selections: [root] },
      },
      ...[...used.fragments].map((name) => withTypenames(fragments.get(name)!)),
    ],
  };
  return { query: print(doc), variableNames: variableDefinitions.map((d) => d.variable.name.value) };
}
