/** The committed supergraph must be what composing the subgraphs' schemas gives today, without errors. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { buildASTSchema, parse } from 'graphql';
import { composeSupergraph } from '../../schema/composition';
import { SUPERGRAPH_PATH } from '../../schema/subgraphs';

describe('schema/supergraph.graphql', () => {
  it('should compose without errors and match the committed file (run `npm run compose` if not)', () => {
    const outcome = composeSupergraph();
    if (!outcome.ok) throw new Error(`composition failed:\n${outcome.errors.join('\n')}`);
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(outcome.supergraphSdl);
  });

  it('should describe every type and field of the public API', () => {
    const outcome = composeSupergraph();
    if (!outcome.ok) throw new Error('composition failed');
    const schema = buildASTSchema(parse(outcome.supergraphSdl), { assumeValid: true, assumeValidSDL: true });
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (/^(__|_|join__|link__|federation__)/.test(type.name) || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if ('getFields' in type) for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
    }
    expect(missing).toEqual([]);
  });
});
