/** The Salesforce subgraph's entities: cache lifetimes and derived cache types (see kit/entities.ts). */
import { cacheFor, type EntityDescriptions } from '../kit/entities';

export const SALESFORCE_ENTITIES: EntityDescriptions = {
  Account: { cache: cacheFor(300, 3_600, 60), derived: ['AccountByExternalId', 'AccountsByName'] },
};
