/** The committed supergraph, and questions asked of its public schema at start-up. */
import { buildASTSchema, isInterfaceType, isObjectType, parse } from 'graphql';

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
