/**
 * The subscription hub of one gateway process: subscribers grouped by what they would see (tenant,
 * roles, operation text, variables; and subject when the operation reads something only its
 * requester may see), the tenants' event streams read from the bus, bursts coalesced, and one
 * resolution per event and group handed to every subscriber in it.
 */
import type { Logger } from 'pino';
import type { ChangeEvent, Disposable, EventBus } from '../../cache/events';
import type { Identity } from '../../tenancy/identity';
import { overlayHides, type TenantConfig } from '../../tenancy/registry';
import type { SubscriptionSpec } from './catalog';
import { ENTITY_ROOTS, SUBJECT_SCOPED_TYPES } from './catalog';
import { Coalescer, mergeEvents } from './coalesce';
import { ChangeEnvelope } from './envelope';
import type { SubscriptionMetrics } from './metrics';
import { resolvePush, type FederatedExecutor, type PushOperation, type PushResult } from './resolve-push';
import { SubscriberSink } from './sink';

export interface HubOptions {
  bus: EventBus;
  /** The tenants whose streams this gateway reads (the enabled ones). */
  tenants: readonly string[];
  /** Runs federated queries as `identity`. */
  executorFor: (identity: Identity, tenant: TenantConfig) => FederatedExecutor;
  /** The customer's email, read for matching its tickets (never sent to the subscriber); undefined when unknown. */
  customerEmail: (tenant: TenantConfig, customerId: string) => Promise<string | undefined>;
  metrics: SubscriptionMetrics;
  log: Logger;
  /** Burst window per entity (ms). @default 50 */
  coalesceMs?: number;
  /** Entities a slow subscriber may have waiting before it is cut off. @default 100 */
  maxPending?: number;
  /** Subscriptions per tenant on this gateway. @default 20000 */
  maxPerTenant?: number;
  /** Groups (distinct roles, operations, variables) per tenant on this gateway: each costs one resolution per event. @default 2000 */
  maxGroupsPerTenant?: number;
}

export interface SubscribeRequest {
  identity: Identity;
  tenant: TenantConfig;
  op: PushOperation;
  /** The operation's text, as the client sent it: part of the sharing key. */
  text: string;
  rootField: string;
  spec: SubscriptionSpec;
  /** The value of the spec's argument (the entity or customer id). */
  target: string;
  /** Whether the operation reads requester-scoped types (then subscribers share only within one subject). */
  subjectScoped: boolean;
  /** Ends the subscriber's connection when it falls too far behind. */
  onOverflow: () => void;
}

interface Group {
  readonly key: string;
  readonly tenant: TenantConfig;
  readonly request: SubscribeRequest;
  readonly run: FederatedExecutor;
  readonly sinks: Set<SubscriberSink>;
  email?: string;
  /**
   * Per entity: whether a resolution is running, and the (merged) event waiting for it. One at a
   * time per entity, so an older state never overtakes a newer one, and a slow upstream makes
   * changes merge instead of queueing.
   */
  readonly entities: Map<string, { waiting: ChangeEvent | undefined }>;
  /** Whether the tenant's policy hides a `Type.field` from every role of the group's identity. */
  readonly hidden: (path: string) => boolean;
}

/** The tenant's overlay for an identity: hidden when it hides the field from every role of it, as the subgraphs decide. */
function hiddenFor(tenant: TenantConfig, identity: Identity): (path: string) => boolean {
  return (path) => identity.roles.every((role) => overlayHides(tenant, role, path));
}

/** Subscribers handed a push before the hub yields to the event loop. */
const FAN_OUT_SLICE = 250;

/** Stable JSON: object keys sorted, so equal variables give equal keys. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export class SubscriptionHub {
  readonly #groups = new Map<string, Group>();
  readonly #byTenant = new Map<string, Set<Group>>();
  readonly #counts = new Map<string, number>();
  readonly #coalescer: Coalescer;
  readonly #subscription: Disposable;
  readonly #options: Required<Pick<HubOptions, 'coalesceMs' | 'maxPending' | 'maxPerTenant' | 'maxGroupsPerTenant'>> & HubOptions;

  constructor(options: HubOptions) {
    this.#options = { coalesceMs: 50, maxPending: 100, maxPerTenant: 20_000, maxGroupsPerTenant: 2_000, ...options };
    this.#coalescer = new Coalescer(this.#options.coalesceMs, (event) => this.#dispatch(event));
    this.#subscription = options.bus.subscribe(options.tenants, (event) => {
      this.#options.metrics.events.inc({ source: event.source });
      this.#coalescer.add(event);
    });
  }

  /** Subscriptions of a tenant on this gateway. */
  count(tenant: string): number {
    return this.#counts.get(tenant) ?? 0;
  }

  /** Groups (distinct resolutions per event) of a tenant: for tests and the bench. */
  groups(tenant: string): number {
    return this.#byTenant.get(tenant)?.size ?? 0;
  }

  /** A new subscriber, or `undefined` when its tenant is at its limit. */
  subscribe(request: SubscribeRequest): SubscriberSink | undefined {
    const tenantId = request.tenant.id;
    if (this.count(tenantId) >= this.#options.maxPerTenant) return undefined;
    const { identity } = request;
    const key = JSON.stringify([
      tenantId,
      [...identity.roles].sort(),
      [...identity.scopes].sort(),
      request.subjectScoped ? identity.subject : '',
      request.op.operation.name?.value ?? '',
      stable(request.op.variables),
      request.text,
    ]);
    let group = this.#groups.get(key);
    if (!group && this.groups(tenantId) >= this.#options.maxGroupsPerTenant) return undefined;
    if (!group) {
      const created: Group = {
        key,
        tenant: request.tenant,
        // The group outlives its first subscriber: keep nothing of that subscriber's socket.
        request: { ...request, onOverflow: () => undefined },
        run: this.#options.executorFor(identity, request.tenant),
        sinks: new Set(),
        entities: new Map(),
        hidden: hiddenFor(request.tenant, identity),
      };
      if (request.spec.kind === 'customer') {
        this.#options
          .customerEmail(request.tenant, request.target)
          .then((email) => {
            if (email) created.email = email.toLowerCase();
          })
          .catch(() => undefined);
      }
      this.#groups.set(key, created);
      let set = this.#byTenant.get(tenantId);
      if (!set) this.#byTenant.set(tenantId, (set = new Set()));
      set.add(created);
      group = created;
    }
    const owner = group;
    const { metrics } = this.#options;
    const sink = new SubscriberSink({
      maxPending: this.#options.maxPending,
      onOverflow: () => {
        metrics.refused.inc({ reason: 'slow_consumer' });
        request.onOverflow();
      },
      onEnd: () => this.#remove(owner, sink),
      onSent: (capturedAt) => {
        metrics.pushes.inc({ tenant: tenantId });
        metrics.latency.observe(Math.max(0, Date.now() - capturedAt) / 1000);
      },
    });
    group.sinks.add(sink);
    this.#counts.set(tenantId, this.count(tenantId) + 1);
    metrics.subscriptions.inc({ tenant: tenantId });
    return sink;
  }

  /** Idempotent: stops reading the bus and ends every subscriber. */
  close(): void {
    this.#subscription.dispose();
    this.#coalescer.clear();
    for (const group of [...this.#groups.values()]) for (const sink of [...group.sinks]) void sink.return();
  }

  #remove(group: Group, sink: SubscriberSink): void {
    if (!group.sinks.delete(sink)) return;
    const tenantId = group.tenant.id;
    this.#counts.set(tenantId, Math.max(0, this.count(tenantId) - 1));
    this.#options.metrics.subscriptions.dec({ tenant: tenantId });
    if (group.sinks.size === 0) {
      this.#groups.delete(group.key);
      this.#byTenant.get(tenantId)?.delete(group);
    }
  }

  #matches(group: Group, event: ChangeEvent): boolean {
    const { spec, target } = group.request;
    if (spec.kind === 'entity') return event.type === spec.type && event.id === target;
    if (event.customer?.id !== undefined) return event.customer.id === target;
    return group.email !== undefined && event.customer?.email?.toLowerCase() === group.email;
  }

  #dispatch(event: ChangeEvent): void {
    const groups = this.#byTenant.get(event.tenant);
    if (!groups) return;
    const entity = `${event.type}:${event.id}`;
    for (const group of groups) {
      // The bus hands a tenant's streams only; the check is the last line of defence all the same.
      if (group.tenant.id !== event.tenant || !this.#matches(group, event)) continue;
      const running = group.entities.get(entity);
      if (running) {
        running.waiting = running.waiting ? mergeEvents(running.waiting, event) : event;
        continue;
      }
      const slot: { waiting: ChangeEvent | undefined } = { waiting: undefined };
      group.entities.set(entity, slot);
      void this.#drain(group, entity, slot, event);
    }
  }

  async #drain(group: Group, entity: string, slot: { waiting: ChangeEvent | undefined }, first: ChangeEvent): Promise<void> {
    let next: ChangeEvent | undefined = first;
    while (next) {
      await this.#resolveAndPush(group, next, entity);
      next = slot.waiting;
      slot.waiting = undefined;
    }
    group.entities.delete(entity);
  }

  /** Whether the group's identity may see the changed entity at all (an action is its requester's): probed only for such types. */
  async #visible(group: Group, event: ChangeEvent): Promise<boolean> {
    const root = ENTITY_ROOTS[event.type];
    if (!SUBJECT_SCOPED_TYPES.has(event.type) || !root) return true;
    const probe = await group.run(`query SubscriptionVisibility($id: ID!) { entity: ${root}(id: $id) { __typename } }`, { id: event.id });
    return probe.data?.['entity'] != null;
  }

  async #resolveAndPush(group: Group, event: ChangeEvent, entity: string): Promise<void> {
    if (group.sinks.size === 0) return;
    const customerId = group.request.spec.kind === 'customer' ? group.request.target : undefined;
    let result: PushResult;
    try {
      // A change to something the subscriber may not see is not pushed at all: not even that it changed.
      if (!(await this.#visible(group, event))) return;
      result = await resolvePush(group.request.op, new ChangeEnvelope(event, customerId), group.run, group.hidden);
    } catch (err) {
      this.#options.log.error({ err: err instanceof Error ? err.message : String(err), tenant: group.tenant.id }, 'push resolution failed');
      return;
    }
    this.#options.metrics.resolutions.inc({ tenant: group.tenant.id });
    // Fan out in slices, yielding between them: the sockets' writes of one slice go out before the
    // next, and other work (queries, new connections, timers) is never held for a whole fan-out.
    const sinks = [...group.sinks];
    for (let i = 0; i < sinks.length; i += FAN_OUT_SLICE) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const sink of sinks.slice(i, i + FAN_OUT_SLICE)) sink.push(entity, result, event.capturedAt);
    }
  }
}
