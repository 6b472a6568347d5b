/**
 * The type of a subgraph's resolver map, taken from @apollo/subgraph's public API (the package keeps
 * `GraphQLResolverMap` under an internal path): what `buildSubgraphSchema([{ typeDefs, resolvers }])`
 * accepts. Each resolver still types its own parent, arguments and context.
 */
import type { buildSubgraphSchema } from '@apollo/subgraph';

type SchemaModule = Extract<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], { typeDefs: unknown }>;

export type SubgraphResolvers = NonNullable<SchemaModule['resolvers']>;
