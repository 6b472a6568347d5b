/**
 * A ticket's SLA as Zendesk computes it (the `include=slas` sideload), and the name of the policy
 * that applies.
 *
 * The sideload carries each metric's `breach_at` and `stage` but does not name the policy. Zendesk
 * applies the first policy, by `position`, whose filter the ticket matches (SLA Policies API), so the
 * name comes from `slas/policies` (remembered by the client) matched against the ticket. A filter
 * condition this module cannot evaluate (a field the ticket model does not hold) makes that policy
 * not match: the name is then null rather than a guess.
 */
import type { ZSlaCondition, ZSlaPolicy } from './client';
import type { TicketModel, ZendeskSlaMetricModel, ZendeskSlaModel } from './mappers';

/** A ticket's SLA as the GraphQL type `ZendeskSla` serves it (codegen mapper); `policy` is resolved on demand from `ticket`. */
export interface ZendeskSlaView {
  /** The ticket the SLA belongs to: the policy's filter is matched against it. */
  ticket: TicketModel;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  breached: boolean;
  metrics: ZendeskSlaMetricModel[];
}

/** The view of a ticket's SLA sideload. */
export function slaView(ticket: TicketModel, sla: ZendeskSlaModel, now: number = Date.now()): ZendeskSlaView {
  return {
    ticket,
    firstResponseDueAt: dueOf(sla.metrics, 'first_reply_time'),
    resolutionDueAt: resolutionDueOf(sla.metrics),
    breached: isBreached(sla.metrics, now),
    metrics: sla.metrics,
  };
}

const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'];
const STATUS_ORDER = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];

/** The breach time of a metric, when the sideload holds it. */
export const dueOf = (metrics: readonly ZendeskSlaMetricModel[], metric: string): string | null => metrics.find((m) => m.metric === metric)?.breachAt ?? null;

/** Resolution due: `requester_wait_time`'s breach, else the latest breach of any metric. */
export function resolutionDueOf(metrics: readonly ZendeskSlaMetricModel[]): string | null {
  const wait = dueOf(metrics, 'requester_wait_time');
  if (wait !== null) return wait;
  const all = metrics.flatMap((m) => (m.breachAt === null ? [] : [m.breachAt])).sort();
  return all.at(-1) ?? null;
}

/** Whether a metric not yet achieved is past its breach time. */
export const isBreached = (metrics: readonly ZendeskSlaMetricModel[], now: number = Date.now()): boolean =>
  metrics.some((m) => m.stage !== 'achieved' && m.breachAt !== null && Date.parse(m.breachAt) <= now);

/** The value of a ticket field a filter names, in Zendesk's words; undefined when the model does not hold it. */
function fieldOf(t: TicketModel, field: string): string | number | null | string[] | undefined {
  switch (field) {
    case 'priority':
      return t.priority?.toLowerCase() ?? null;
    case 'status':
      return t.status.toLowerCase();
    case 'type':
    case 'ticket_type_id':
      return t.type?.toLowerCase() ?? null;
    case 'organization_id':
      return t.organizationId;
    case 'requester_id':
      return t.requesterId;
    case 'assignee_id':
      return t.assigneeId;
    case 'group_id':
      return t.groupId;
    case 'current_tags':
      return t.tags;
    default:
      return undefined;
  }
}

const ordinal = (field: string, v: unknown): number => (field === 'priority' ? PRIORITY_ORDER : STATUS_ORDER).indexOf(String(v));

/** Whether a ticket meets a condition; undefined when the condition cannot be evaluated here. */
function holds(t: TicketModel, c: ZSlaCondition): boolean | undefined {
  const actual = fieldOf(t, c.field);
  if (actual === undefined) return undefined;
  const wanted = c.value === null || c.value === undefined ? null : typeof c.value === 'number' ? c.value : String(c.value);
  if (Array.isArray(actual)) {
    const tags = typeof wanted === 'string' ? wanted.split(/\s+/).filter(Boolean) : [];
    if (c.operator === 'includes') return tags.some((x) => actual.includes(x));
    if (c.operator === 'not_includes') return !tags.some((x) => actual.includes(x));
    return undefined;
  }
  const same = actual === null || wanted === null ? actual === wanted : String(actual) === String(wanted);
  switch (c.operator) {
    case 'is':
      return same;
    case 'is_not':
      return !same;
    case 'less_than':
    case 'greater_than': {
      if (c.field !== 'priority' && c.field !== 'status') return undefined;
      const a = ordinal(c.field, actual);
      const w = ordinal(c.field, wanted);
      if (a < 0 || w < 0) return false;
      return c.operator === 'less_than' ? a < w : a > w;
    }
    default:
      return undefined;
  }
}

/** Whether a ticket matches a policy's filter: all of `all`, and one of `any` when there are any. */
function matches(t: TicketModel, p: ZSlaPolicy): boolean | undefined {
  const all = p.filter.all.map((c) => holds(t, c));
  if (all.some((v) => v === false)) return false;
  const any = p.filter.any.map((c) => holds(t, c));
  if (any.length > 0 && !any.some((v) => v === true) && any.every((v) => v === false)) return false;
  if (all.some((v) => v === undefined) || (any.length > 0 && !any.some((v) => v === true))) return undefined;
  return true;
}

/**
 * The title of the policy applying to the ticket: the first by position that matches, provided it
 * sets a target for each metric the sideload reports. Null when none matches or a policy before it
 * cannot be evaluated.
 */
export function policyTitleOf(t: TicketModel, metrics: readonly { metric: string }[], policies: readonly ZSlaPolicy[]): string | null {
  const ordered = [...policies].sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER));
  for (const p of ordered) {
    const m = matches(t, p);
    if (m === undefined) return null;
    if (!m) continue;
    const priority = t.priority?.toLowerCase();
    const targets = new Set(p.policy_metrics.filter((pm) => pm.priority === priority).map((pm) => pm.metric));
    return metrics.every((x) => targets.has(x.metric)) ? p.title : null;
  }
  return null;
}
