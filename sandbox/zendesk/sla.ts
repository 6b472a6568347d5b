/**
 * SLA policies and the per-ticket SLA sideload (`include=slas`).
 *
 * Wire shapes:
 * - `GET /api/v2/slas/policies` → `{"sla_policies":[{id,url,title,description,position,filter:{all,any},
 *   policy_metrics:[{priority,metric,target,business_hours}],created_at,updated_at}],"next_page":null,
 *   "previous_page":null,"count":N}` (developer.zendesk.com/api-reference/ticketing/business-rules/sla_policies/).
 * - `include=slas` on tickets embeds, in each ticket, `"slas":{"policy_metrics":[{"breach_at":"…Z",
 *   "stage":"active"|"paused"|"achieved","metric":"first_reply_time","hours":21}]}`: one countdown unit
 *   (`days`, `hours` or `minutes`, negative once the breach is past). The sideload does not name the
 *   policy. An account without SLA policies answers its tickets without `slas`; a ticket no policy
 *   applies to (no priority) carries `"policy_metrics":[]`.
 *
 * Which accounts have policies: {@link SLA_TENANTS}. Deterministic: breach_at is the ticket's
 * `created_at` plus the target (calendar hours, pauses not deducted); the countdown is relative to
 * the emulator's clock.
 */
import type { CommentRecord, TicketPriority, TicketRecord } from './records';
import { isoSeconds } from './records';
import type { ZendeskAccount } from './store';

export type SlaMetric = 'first_reply_time' | 'requester_wait_time';
export type SlaStage = 'active' | 'paused' | 'achieved';

export interface SlaCondition {
  field: 'priority';
  operator: 'is' | 'is_not';
  value: TicketPriority;
}

export interface SlaPolicyRecord {
  id: number;
  title: string;
  description: string;
  position: number;
  filter: { all: SlaCondition[]; any: SlaCondition[] };
  policy_metrics: Array<{ priority: TicketPriority; metric: SlaMetric; target: number; business_hours: boolean }>;
  created_at: string;
  updated_at: string;
}

/** Tenants whose Zendesk account has SLA policies; every other account (e.g. globex) has none. */
export const SLA_TENANTS: ReadonlySet<string> = new Set(['acme', 'initech']);

const POLICY_DATE = '2025-01-01T00:00:00Z';

const metrics = (priority: TicketPriority, firstReply: number, requesterWait: number): SlaPolicyRecord['policy_metrics'] => [
  { priority, metric: 'first_reply_time', target: firstReply, business_hours: false },
  { priority, metric: 'requester_wait_time', target: requesterWait, business_hours: false },
];

/** The policies of an SLA account, by position: urgent/high tickets get Premium, normal/low Standard. */
export const SLA_POLICIES: readonly SlaPolicyRecord[] = [
  {
    id: 9001,
    title: 'Premium support',
    description: 'Urgent and high priority tickets: first reply within 1 hour, resolution within 8 hours.',
    position: 1,
    filter: {
      all: [],
      any: [
        { field: 'priority', operator: 'is', value: 'urgent' },
        { field: 'priority', operator: 'is', value: 'high' },
      ],
    },
    policy_metrics: [...metrics('urgent', 60, 480), ...metrics('high', 60, 480)],
    created_at: POLICY_DATE,
    updated_at: POLICY_DATE,
  },
  {
    id: 9002,
    title: 'Standard support',
    description: 'Normal and low priority tickets: first reply within 8 hours, resolution within 2 or 4 days.',
    position: 2,
    filter: {
      all: [],
      any: [
        { field: 'priority', operator: 'is', value: 'normal' },
        { field: 'priority', operator: 'is', value: 'low' },
      ],
    },
    policy_metrics: [...metrics('normal', 480, 2880), ...metrics('low', 480, 5760)],
    created_at: POLICY_DATE,
    updated_at: POLICY_DATE,
  },
];

/** The account's SLA policies (none for an account outside {@link SLA_TENANTS}). */
export const slaPoliciesOf = (account: ZendeskAccount): readonly SlaPolicyRecord[] => (SLA_TENANTS.has(account.tenant) ? SLA_POLICIES : []);

const conditionHolds = (t: TicketRecord, c: SlaCondition): boolean => (c.operator === 'is' ? t.priority === c.value : t.priority !== c.value);

/** The first policy (by position) whose filter the ticket matches. */
export function policyOf(account: ZendeskAccount, t: TicketRecord): SlaPolicyRecord | undefined {
  return [...slaPoliciesOf(account)]
    .sort((a, b) => a.position - b.position)
    .find((p) => p.filter.all.every((c) => conditionHolds(t, c)) && (p.filter.any.length === 0 || p.filter.any.some((c) => conditionHolds(t, c))));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Zendesk's countdown: one unit, the largest that fits, truncated towards zero; negative once past. */
function countdown(breachMs: number, now: number): { days: number } | { hours: number } | { minutes: number } {
  const diff = breachMs - now;
  const abs = Math.abs(diff);
  const sign = diff < 0 ? -1 : 1;
  if (abs >= DAY) return { days: sign * Math.floor(abs / DAY) };
  if (abs >= HOUR) return { hours: sign * Math.floor(abs / HOUR) };
  return { minutes: sign * Math.floor(abs / MINUTE) || 0 };
}

function stageOf(metric: SlaMetric, t: TicketRecord, comments: readonly CommentRecord[], account: ZendeskAccount): SlaStage {
  const done = t.status === 'solved' || t.status === 'closed';
  if (metric === 'first_reply_time') {
    const replied = comments.slice(1).some((c) => c.public && account.users.get(c.author_id)?.role !== 'end-user');
    return replied || done ? 'achieved' : 'active';
  }
  // requester_wait_time: fulfilled when solved, paused while pending (waiting for the requester).
  return done ? 'achieved' : t.status === 'pending' ? 'paused' : 'active';
}

/** The `slas` object of one ticket, or undefined when the account has no SLA policies. */
export function slasOf(account: ZendeskAccount, t: TicketRecord, now: number): { policy_metrics: Array<Record<string, unknown>> } | undefined {
  if (slaPoliciesOf(account).length === 0) return undefined;
  const policy = policyOf(account, t);
  const comments = account.comments.get(t.id) ?? [];
  const created = Date.parse(t.created_at);
  const policyMetrics = (policy?.policy_metrics ?? [])
    .filter((m) => m.priority === t.priority)
    .map((m) => {
      const breachMs = created + m.target * MINUTE;
      return { breach_at: isoSeconds(breachMs), stage: stageOf(m.metric, t, comments, account), metric: m.metric, ...countdown(breachMs, now) };
    });
  return { policy_metrics: policyMetrics };
}
