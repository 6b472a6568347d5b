/**
 * Odoo change capture's metrics, in the registry the subgraph serves at `/metrics`
 * (cache/metrics.ts `entityCacheRegistry`). Labelled by tenant (a bounded set: the registry's
 * tenants) and outcome or entity type, never by record.
 */
import { Counter, Histogram } from 'prom-client';
import { entityCacheRegistry } from '../../cache/metrics';

/** How a pass ended: `published` (at least one event), `idle` (nothing new), `standby` (another replica holds the lease), `error`. */
export type PassOutcome = 'published' | 'idle' | 'standby' | 'error';

export const odooCaptureMetrics = {
  passes: new Counter<'tenant' | 'outcome'>({
    name: 'odoo_capture_passes_total',
    help: 'Odoo change-capture passes, by tenant and outcome (published, idle, standby, error)',
    labelNames: ['tenant', 'outcome'],
    registers: [entityCacheRegistry],
  }),
  events: new Counter<'tenant' | 'type'>({
    name: 'odoo_capture_events_total',
    help: 'Change events published by Odoo change capture, by tenant and entity type',
    labelNames: ['tenant', 'type'],
    registers: [entityCacheRegistry],
  }),
  duration: new Histogram<'tenant'>({
    name: 'odoo_capture_pass_duration_seconds',
    help: 'Duration of the Odoo change-capture passes that polled (lease held), by tenant',
    labelNames: ['tenant'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [entityCacheRegistry],
  }),
};
