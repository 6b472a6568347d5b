/**
 * ERP actions publish their own change events, at once: every status transition the store
 * commits (created, pending approval, approved, executing, succeeded, failed...) becomes an `Action`
 * event on the bus, so `actionChanged` and `customerActivity` subscribers see it without polling.
 * A publish failure is logged and never fails the action (the action log stays the truth).
 */
import type { Logger } from 'pino';
import type { ChangeEvent, EventBus } from '../../cache/events';
import type { ActionRecord, ActionStore } from '../../actions/types';

function eventOf(action: ActionRecord, kind: ChangeEvent['kind'], changedFields: readonly string[]): ChangeEvent {
  return {
    tenant: action.tenant,
    type: 'Action',
    id: action.id,
    kind,
    changedFields,
    source: 'gateway',
    at: new Date(action.updatedAt).toISOString(),
    capturedAt: Date.now(),
    ...(action.customerId ? { customer: { id: action.customerId } } : {}),
  };
}

/** The public `Action` fields a transition's patch changes (the store's names → the schema's). */
const PATCH_FIELDS: Readonly<Record<string, string>> = {
  status: 'status',
  approver: 'approver',
  reason: 'reason',
  erpRecords: 'records',
  attempts: 'attempts',
  incrementAttempts: 'attempts',
  expiresAt: 'expiresAt',
};

function changedBy(patch: object): string[] {
  return [...new Set([...Object.keys(patch).flatMap((k) => (PATCH_FIELDS[k] ? [PATCH_FIELDS[k]] : [])), 'updatedAt'])];
}

/** The same store, publishing an `Action` event after each committed creation and transition. */
export function publishingActionStore(store: ActionStore, bus: EventBus, log: Logger): ActionStore {
  const publish = (event: ChangeEvent) =>
    bus
      .publish(event)
      .catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err), action: event.id }, 'action event not published'));
  return {
    kind: store.kind,
    async create(a) {
      const out = await store.create(a);
      if (out.created) await publish(eventOf(out.action, 'created', ['status']));
      return out;
    },
    get: (tenant, id) => store.get(tenant, id),
    getByKey: (tenant, kind, key) => store.getByKey(tenant, kind, key),
    async transition(tenant, id, from, patch) {
      const updated = await store.transition(tenant, id, from, patch);
      if (updated) await publish(eventOf(updated, 'updated', changedBy(patch)));
      return updated;
    },
    list: (tenant, filter, page) => store.list(tenant, filter, page),
    due: (status, before, by, limit) => store.due(status, before, by, limit),
    audit: (entry) => store.audit(entry),
    auditTrail: (tenant, opts) => store.auditTrail(tenant, opts),
    purge: (before) => store.purge(before),
    close: () => store.close(),
  };
}
