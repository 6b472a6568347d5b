/** Ports of the embedded stack: the fixed defaults of `npm start`, or ephemeral ones for tests. */
import { SUBGRAPHS } from '../schema/subgraphs';

const subgraphPort = (name: string): number => SUBGRAPHS.find((s) => s.name === name)!.defaultPort;

export interface StackPorts {
  odoo: number;
  salesforce: number;
  zendesk: number;
  odooSubgraph: number;
  salesforceSubgraph: number;
  zendeskSubgraph: number;
  gateway: number;
}

/** The ports `npm start` uses. */
export const DEFAULT_PORTS: StackPorts = {
  odoo: 8069,
  salesforce: 8070,
  zendesk: 8071,
  odooSubgraph: subgraphPort('odoo'),
  salesforceSubgraph: subgraphPort('salesforce'),
  zendeskSubgraph: subgraphPort('zendesk'),
  gateway: 4000,
};
/** Every part on an ephemeral port (tests, benchmarks). */
export const EPHEMERAL_PORTS: StackPorts = { odoo: 0, salesforce: 0, zendesk: 0, odooSubgraph: 0, salesforceSubgraph: 0, zendeskSubgraph: 0, gateway: 0 };
