/** Every subgraph service by the name the supergraph gives it: what the launchers start. */
import type { SubgraphDefinition } from '../schema/subgraphs';
import type { RunningSubgraph, SubgraphOptions } from './kit/server';
import { startOdooSubgraph } from './odoo/server';
import { startSalesforceSubgraph } from './salesforce/server';
import { startZendeskSubgraph } from './zendesk/server';

export const SUBGRAPH_STARTERS: Readonly<Record<SubgraphDefinition['name'], (options: SubgraphOptions) => Promise<RunningSubgraph>>> = {
  odoo: startOdooSubgraph,
  salesforce: startSalesforceSubgraph,
  zendesk: startZendeskSubgraph,
};
