/** Every subgraph service by the name the supergraph gives it: what the launchers start (each with its upstream doctor at `GET /doctor`). */
import type { SubgraphDefinition } from '../schema/subgraphs';
import { UPSTREAM_DOCTORS } from './doctor';
import type { RunningSubgraph, SubgraphOptions } from './kit/server';
import { startOdooSubgraph } from './odoo/server';
import { startSalesforceSubgraph } from './salesforce/server';
import { startZendeskSubgraph } from './zendesk/server';

export const SUBGRAPH_STARTERS: Readonly<Record<SubgraphDefinition['name'], (options: SubgraphOptions) => Promise<RunningSubgraph>>> = {
  odoo: (options) => startOdooSubgraph({ doctor: UPSTREAM_DOCTORS.odoo, ...options }),
  salesforce: (options) => startSalesforceSubgraph({ doctor: UPSTREAM_DOCTORS.salesforce, ...options }),
  zendesk: (options) => startZendeskSubgraph({ doctor: UPSTREAM_DOCTORS.zendesk, ...options }),
};
