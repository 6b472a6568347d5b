/** The committed supergraph, and questions asked of its public schema at start-up. */
import { buildASTSchema, isInterfaceType, isObjectType, Kind, parse } from 'graphql';

const inaccessible = (node: { directives?: ReadonlyArray<{ name: { value: string } }> } | null | undefined): boolean =>
  node?.directives?.some((d) => d.name.value === 'inaccessible') ?? false;

/**
 * Whether `Type.field` is a field of the public API (object and interface types; `@inaccessible`
 * fields, which exist only for the subgraphs to meet, are not).
 */
export function supergraphFieldChecker(supergraphSdl: string): (typeName: string, fieldName: string) => boolean {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValid: true, assumeValidSDL: true });
  return (typeName, fieldName) => {
    const type = schema.getType(typeName);
    if (!(isObjectType(type) || isInterfaceType(type)) || inaccessible(type.astNode)) return false;
    const field = type.getFields()[fieldName];
    return field !== undefined && !inaccessible(field.astNode);
  };
}

/**
 * Extra cost per field, as each subgraph declares it on the field itself with `@cost(weight: N)`
 * (federation 2.9, composed into the supergraph): e.g. a field that costs one upstream call per
 * parent object. The gateway knows no subgraph's fields by name; it reads them here.
 */
export function fieldCostWeights(supergraphSdl: string): ReadonlyMap<string, number> {
  const weights = new Map<string, number>();
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of def.fields ?? []) {
      const cost = field.directives?.find((d) => d.name.value === 'cost');
      const weight = cost?.arguments?.find((a) => a.name.value === 'weight')?.value;
      if (weight?.kind === Kind.INT) weights.set(`${def.name.value}.${field.name.value}`, Number(weight.value));
    }
  }
  return weights;
}

/**
 * Assumed sizes of unpaged lists, as each subgraph declares them with `@listSize(assumedSize: N)`
 * (federation 2.9): a delivery's three milestones are not ten. Lists without one are estimated at
 * `UNPAGED_LIST_ESTIMATE` (gateway/limits.ts).
 */
export function fieldListSizes(supergraphSdl: string): ReadonlyMap<string, number> {
  const sizes = new Map<string, number>();
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of def.fields ?? []) {
      const listSize = field.directives?.find((d) => d.name.value === 'listSize');
      const assumed = listSize?.arguments?.find((a) => a.name.value === 'assumedSize')?.value;
      if (assumed?.kind === Kind.INT) sizes.set(`${def.name.value}.${field.name.value}`, Number(assumed.value));
    }
  }
  return sizes;
}
