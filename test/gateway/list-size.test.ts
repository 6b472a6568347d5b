/**
 * `@listSize(assumedSize: N)` from the subgraphs reaches the gateway's cost estimate: a delivery's
 * three milestones count as three, not as the default ten of an unpaged list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildASTSchema, parse } from 'graphql';
import { estimateCost, UNPAGED_LIST_ESTIMATE } from '../../gateway/limits';
import { fieldListSizes } from '../../gateway/supergraph';

const supergraphSdl = readFileSync(join(__dirname, '../../schema/supergraph.graphql'), 'utf8');

describe('assumed list sizes', () => {
  it('should read the sizes the subgraphs declare from the supergraph', () => {
    const sizes = fieldListSizes(supergraphSdl);
    expect(sizes.get('Delivery.milestones')).toBe(3);
    expect(sizes.get('Delivery.exceptions')).toBe(2);
    expect(sizes.get('Delivery.moves')).toBe(5);
    expect(sizes.has('Order.lines')).toBe(false);
  });

  it('should estimate a declared list at its size and an undeclared one at the default', () => {
    const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
    const doc = parse('query($id: ID!) { order(id: $id) { deliveries { milestones { kind } moves { quantity } } } }');
    const sizes = fieldListSizes(supergraphSdl);
    // order 1 × (1 + deliveries 10 × (1 + milestones 3 × (1 + 1) + moves 5 × (1 + 1)))
    expect(estimateCost(schema, doc, new Map(), sizes)).toBe(1 + UNPAGED_LIST_ESTIMATE * (1 + 3 * 2 + 5 * 2));
    expect(estimateCost(schema, doc)).toBe(1 + UNPAGED_LIST_ESTIMATE * (1 + 2 * UNPAGED_LIST_ESTIMATE * 2));
  });
});
