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

export interface ReconcileOptions {
  store: ActionStore;
  registry: TenantRegistry;
  secrets: SecretSource;
  log: Logger;
  /** The entity cache to invalidate after a settled action. */
  cache?: EntityCache | undefined;
  /** An EXECUTING action untouched this long is taken as abandoned. @default 60 000 */
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

  const abandoned = await opts.store.due('EXECUTING', new Date(now - (opts.abandonedAfterMs ?? 60_000)), 'updatedAt', 100);
  for (const action of abandoned) {
    const tenant = tenants.get(action.tenant);
    if (!tenant || !ODOO_ACTIONS.has(action.kind)) continue;
    const log = opts.log.child({ tenant: tenant.id, action: action.id });
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
    log.info({ status: outcome.action?.status }, 'reconciled an abandoned action');
  }
  return report;
}
