/**
 * The reconciler of the Odoo actions: actions left EXECUTING (the process died between the ERP write
 * and the log update, or its answer was lost for good) are executed again, which first looks for the
 * action's marker in Odoo and settles the action SUCCEEDED with the record found, or completes what
 * is missing; pending approvals past their time become EXPIRED. Run by the Odoo subgraph on a
 * schedule and by `npm run reconcile`.
 */
import type { Logger } from 'pino';
import { resumeAction } from '../../actions/pipeline';
import type { ActionStore } from '../../actions/types';
import type { EntityCache } from '../../cache';
import type { SecretSource } from '../../platform/secrets';
import type { TenantRegistry } from '../../tenancy/registry';
import { isUpstreamOutage } from '../kit/errors';
import { ODOO_ACTIONS } from './actions';
import { createTenantOdooClient } from './upstream';

/**
 * An EXECUTING action untouched this long is taken as abandoned: well past what a live attempt can
 * take (three attempts of a few upstream calls, each bounded by its timeout), so the reconciler never
 * runs an action its owner is still running.
 */
export const ABANDONED_AFTER_MS = 15 * 60_000;

export interface ReconcileOptions {
  store: ActionStore;
  registry: TenantRegistry;
  secrets: SecretSource;
  log: Logger;
  /** The entity cache to invalidate after a settled action. */
  cache?: EntityCache | undefined;
  /** An EXECUTING action untouched this long is taken as abandoned. @default ABANDONED_AFTER_MS */
  abandonedAfterMs?: number;
  now?: () => number;
}

export interface ReconcileReport {
  settled: number;
  failed: number;
  expired: number;
}

export async function reconcileOdooActions(opts: ReconcileOptions): Promise<ReconcileReport> {
  const now = opts.now?.() ?? Date.now();
  const report: ReconcileReport = { settled: 0, failed: 0, expired: 0 };
  const tenants = new Map(opts.registry.tenants.filter((t) => t.enabled).map((t) => [t.id, t]));

  for (const action of await opts.store.due('PENDING_APPROVAL', new Date(now), 'expiresAt', 500)) {
    if (!tenants.has(action.tenant)) continue;
    if (await opts.store.transition(action.tenant, action.id, ['PENDING_APPROVAL'], { status: 'EXPIRED' })) {
      report.expired += 1;
      await opts.store.audit({
        tenant: action.tenant,
        actionId: action.id,
        kind: action.kind,
        actor: 'reconciler',
        event: 'expired',
        outcome: 'expired',
        detail: null,
      });
    }
  }

  // Oldest first; actions of other subgraphs' kinds or of unknown tenants are passed over.
  const abandoned = (await opts.store.due('EXECUTING', new Date(now - (opts.abandonedAfterMs ?? ABANDONED_AFTER_MS)), 'updatedAt', 500)).filter(
    (a) => tenants.has(a.tenant) && ODOO_ACTIONS.has(a.kind),
  );
  for (const action of abandoned.slice(0, 100)) {
    const tenant = tenants.get(action.tenant)!;
    const log = opts.log.child({ tenant: tenant.id, action: action.id });
    try {
      const client = createTenantOdooClient(tenant, opts.secrets, log);
      const identity = { tenant: tenant.id, subject: 'reconciler', roles: ['admin' as const], scopes: [] };
      const outcome = await resumeAction(
        ODOO_ACTIONS,
        { tenant, identity, store: opts.store, log, isTransient: isUpstreamOutage, deps: { client, tenant, identity, cache: opts.cache, log } },
        action,
        ['EXECUTING'],
      );
      if (outcome.action?.status === 'SUCCEEDED') report.settled += 1;
      else report.failed += 1;
      log.info({ status: outcome.action?.status ?? null }, 'reconciled an abandoned action');
    } catch (err) {
      // One action must not stop the others (nor every later pass).
      report.failed += 1;
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'could not reconcile an action');
    }
  }
  return report;
}
