/** The Odoo subgraph's SDL (schema.graphql beside this file), parsed once at start-up. */
import { loadSubgraphSchema } from '../kit/schema';

export const typeDefs = loadSubgraphSchema(__dirname, 'odoo');
