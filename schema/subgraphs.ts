/**
 * The subgraphs the supergraph is composed from: name, schema file and default routing URL.
 * The gateway overrides routing URLs from its configuration; these are the defaults of `npm start`
 * and of docker-compose.yml.
 */
import { resolve } from 'node:path';

export interface SubgraphDefinition {
  name: 'odoo' | 'salesforce' | 'zendesk';
  schemaPath: string;
  defaultPort: number;
}

const root = resolve(__dirname, '..');

export const SUBGRAPHS: readonly SubgraphDefinition[] = [
  { name: 'odoo', schemaPath: resolve(root, 'subgraphs/odoo/schema.graphql'), defaultPort: 4001 },
  { name: 'salesforce', schemaPath: resolve(root, 'subgraphs/salesforce/schema.graphql'), defaultPort: 4002 },
  { name: 'zendesk', schemaPath: resolve(root, 'subgraphs/zendesk/schema.graphql'), defaultPort: 4003 },
];

export const SUPERGRAPH_PATH = resolve(root, 'schema/supergraph.graphql');

export const defaultRoutingUrl = (s: SubgraphDefinition): string => `http://127.0.0.1:${s.defaultPort}/graphql`;
