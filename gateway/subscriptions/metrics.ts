/** Prometheus metrics of live subscriptions, in the gateway's registry (tenant labels: bounded by the registry). */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface SubscriptionMetrics {
  readonly connections: Gauge<'tenant'>;
  readonly subscriptions: Gauge<'tenant'>;
  readonly events: Counter<'source'>;
  readonly resolutions: Counter<'tenant'>;
  readonly pushes: Counter<'tenant'>;
  readonly latency: Histogram;
  readonly refused: Counter<'reason'>;
}

export function createSubscriptionMetrics(registry: Registry): SubscriptionMetrics {
  const registers = [registry];
  return {
    connections: new Gauge({ name: 'gateway_ws_connections', help: 'Open graphql-ws connections by tenant', labelNames: ['tenant'], registers }),
    subscriptions: new Gauge({ name: 'gateway_subscriptions', help: 'Active subscriptions by tenant', labelNames: ['tenant'], registers }),
    events: new Counter({
      name: 'gateway_change_events_total',
      help: 'Change events received from the bus, by source system',
      labelNames: ['source'],
      registers,
    }),
    resolutions: new Counter({
      name: 'gateway_subscription_resolutions_total',
      help: 'Push resolutions (one per event and group of subscribers sharing tenant, roles, operation and variables)',
      labelNames: ['tenant'],
      registers,
    }),
    pushes: new Counter({ name: 'gateway_subscription_pushes_total', help: 'Pushes handed to subscribers', labelNames: ['tenant'], registers }),
    latency: new Histogram({
      name: 'gateway_change_to_push_seconds',
      help: 'From change captured to push sent',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    refused: new Counter({
      name: 'gateway_subscriptions_refused_total',
      help: 'Connections and subscriptions refused, by reason',
      labelNames: ['reason'],
      registers,
    }),
  };
}
