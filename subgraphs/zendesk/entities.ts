/** The Zendesk subgraph's entities: cache lifetimes and derived cache types (see kit/entities.ts). Tickets move fast. */
import { cacheFor, type EntityDescriptions } from '../kit/entities';

export const ZENDESK_ENTITIES: EntityDescriptions = {
  Ticket: { cache: cacheFor(30, 600, 15) },
  ZendeskUser: { cache: cacheFor(300, 3_600, 60), derived: ['ZendeskUserByExternalId'] },
  Organization: { cache: cacheFor(600, 3_600, 60), derived: ['OrganizationByExternalId'] },
};
