/**
 * The one way a subgraph loads its SDL: `schema.graphql` beside its module (the Docker image copies
 * it there), else from the source tree (a build output run in place). Read and parsed once, at start-up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

export function loadSubgraphSchema(moduleDir: string, name: string): DocumentNode {
  const candidates = [resolve(moduleDir, 'schema.graphql'), resolve(moduleDir, '../../../subgraphs', name, 'schema.graphql')];
  return parse(readFileSync(candidates.find((p) => existsSync(p)) ?? candidates[0]!, 'utf8'));
}
