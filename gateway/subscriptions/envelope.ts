/**
 * The part of a push the gateway answers itself: what changed, when, from which system, and which
 * entity. Built per (coalesced) event and subscription; the entity fields are read by delegation.
 */
import type { ChangeEvent } from '../../cache/events';
import { ACTIVITY_ENTITY } from './catalog';

/** Upper-cased, as the public enums spell them. */
const upper = (s: string): string => s.toUpperCase();

export class ChangeEnvelope {
  constructor(
    readonly event: ChangeEvent,
    /** The customer a `customerActivity` subscription names (its argument); undefined for the others. */
    readonly customerId: string | undefined,
  ) {}

  /** The value of an envelope field that is not an entity, or `undefined` when `field` is not one of them. */
  scalar(field: string): unknown {
    switch (field) {
      case 'changedFields':
        return this.event.changedFields;
      case 'at':
        return this.event.at;
      case 'source':
        return upper(this.event.source);
      case 'kind':
        return upper(this.event.kind);
      case 'entity':
        return ACTIVITY_ENTITY[this.event.type] ?? null;
      case 'entityId':
        return this.event.id;
      default:
        return undefined;
    }
  }

  /** The id to read an entity field of type `type` with, or null when this change is not about one. */
  entityId(type: string): string | null {
    if (type === 'Customer') return this.customerId ?? this.event.customer?.id ?? null;
    return this.event.type === type ? this.event.id : null;
  }
}
