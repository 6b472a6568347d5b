/** The committed supergraph, and questions asked of its public schema at start-up. */
import { buildASTSchema, isInterfaceType, isObjectType, parse } from 'graphql';

/** Whether `Type.field` exists in the supergraph (object and interface types). */
export function supergraphFieldChecker(supergraphSdl: string): (typeName: string, fieldName: string) => boolean {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValid: true, assumeValidSDL: true });
  return (typeName, fieldName) => {
    const type = schema.getType(typeName);
    return (isObjectType(type) || isInterfaceType(type)) && fieldName in type.getFields();
  };
}
