import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { buildASTSchema, parse, validate } from 'graphql';
import { DEFAULT_LIMITS, estimateCost as estimateWith, estimateUpstreamCalls, operationCoster, queryLimitRules } from '../../gateway/limits';
import { TICKET_CONTEXT_QUERY } from '../../sandbox/queries';
import { fieldCostWeights, fieldListSizes } from '../../gateway/supergraph';
import { SUPERGRAPH_PATH } from '../../schema/subgraphs';

const sdl = readFileSync(SUPERGRAPH_PATH, 'utf8');
const schema = buildASTSchema(parse(sdl), { assumeValid: true, assumeValidSDL: true });
const weights = fieldCostWeights(sdl);
const sizes = fieldListSizes(sdl);
const codesOf = (query: string) => validate(schema, parse(query), queryLimitRules(DEFAULT_LIMITS, weights, sizes)).map((e) => e.extensions['code']);
const estimateCost = (s: typeof schema, doc: ReturnType<typeof parse>) => estimateWith(s, doc, weights, sizes);

describe('query cost', () => {
  it("should read each subgraph's own per-parent call weights from the supergraph (@cost), naming none in the gateway", () => {
    expect(Object.fromEntries(weights)).toEqual({ 'Ticket.comments': 25, 'Customer.tickets': 25 });
  });

  it('should accept the ticket-context query well inside the budget', () => {
    const cost = estimateCost(schema, parse(TICKET_CONTEXT_QUERY));
    expect(cost).toBeLessThan(DEFAULT_LIMITS.maxCost / 5);
    expect(codesOf(TICKET_CONTEXT_QUERY)).toEqual([]);
  });

  it('should charge a per-parent upstream call once per parent, not once per item it returns', () => {
    // A customer's last 20 tickets with their last 20 comments: 21 upstream calls, 400 comments.
    const q = '{ ticket(id: "1") { customer { tickets(first: 20) { edges { node { id subject comments(first: 20) { edges { node { body } } } } } } } } }';
    expect(estimateCost(schema, parse(q))).toBeLessThan(3_000);
    expect(codesOf(q)).toEqual([]);
  });

  it('should count the upstream calls that cannot be batched: none for the ticket context, 21 for 20 tickets with comments, 300 for the fan-out attack (refused)', () => {
    expect(estimateUpstreamCalls(schema, parse(TICKET_CONTEXT_QUERY), weights, sizes)).toBe(0);
    const twenty = '{ ticket(id: "1") { customer { tickets(first: 20) { edges { node { comments(first: 20) { totalCount } } } } } } }';
    expect(estimateUpstreamCalls(schema, parse(twenty), weights, sizes)).toBe(21);
    const attack = `{ ${['a', 'b', 'c'].map((a) => `${a}: tickets(first: 100) { edges { node { comments(first: 0) { totalCount } } } }`).join(' ')} }`;
    expect(estimateCost(schema, parse(attack))).toBeLessThan(DEFAULT_LIMITS.maxCost);
    expect(estimateUpstreamCalls(schema, parse(attack), weights, sizes)).toBe(300);
    const codes = validate(schema, parse(attack), queryLimitRules(DEFAULT_LIMITS, weights, sizes)).map((e) => [e.extensions['code'], e.message]);
    expect(codes).toEqual([['QUERY_TOO_COMPLEX', expect.stringMatching(/about 300 upstream calls/)]]);
    // Through fragments as well.
    const viaFragment = `{ tickets(first: 50) { edges { node { ...C } } } } fragment C on Ticket { comments(first: 1) { totalCount } }`;
    expect(estimateUpstreamCalls(schema, parse(viaFragment), weights, sizes)).toBe(50);
    expect(codesOf(viaFragment)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('should charge only the operation that runs, measured once per document', () => {
    const costOf = operationCoster(weights, sizes);
    const doc = parse(`query Small { ticket(id: "1") { id } } query Context($id: ID!) { ${TICKET_CONTEXT_QUERY.slice(TICKET_CONTEXT_QUERY.indexOf('{') + 1)}`);
    const small = costOf(schema, doc, 'Small');
    const context = costOf(schema, doc, 'Context');
    expect(small).toBeLessThan(5);
    expect(context).toBe(estimateCost(schema, parse(TICKET_CONTEXT_QUERY)));
    expect(costOf(schema, doc, 'Context')).toBe(context);
  });

  it('should multiply nested pages and refuse what explodes', () => {
    const level = (inner: string) => `orders(first: 100) { edges { node { id customer { ${inner} } } } }`;
    const q = `{ customer(id: "1") { ${level(level('orders(first: 100) { edges { node { id } } }'))} } }`;
    expect(estimateCost(schema, parse(q))).toBeGreaterThan(1_000_000);
    expect(codesOf(q)).toContain('QUERY_TOO_COMPLEX');
  });

  it('should count a variable page size as the largest page', () => {
    const asVariable = estimateCost(schema, parse('query($n: Int) { tickets(first: $n) { edges { node { id } } } }'));
    const asMax = estimateCost(schema, parse('{ tickets(first: 100) { edges { node { id } } } }'));
    expect(asVariable).toBe(asMax);
  });
});
