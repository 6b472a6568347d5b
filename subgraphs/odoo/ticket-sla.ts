/**
 * A ticket's service-level due times: the support desk's own SLA where it applies one, else the
 * customer's support plan targets counted from the ticket's creation. Pure.
 */
import { tierName, type SlaTargets } from './service';
import type { SupportTier } from './mappers';

export interface DeskSla {
  policy?: string | null;
  firstResponseDueAt?: string | null;
  resolutionDueAt?: string | null;
  breached?: boolean | null;
}

export interface TicketSlaShape {
  source: 'ZENDESK' | 'ENTITLEMENT';
  policy: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  breached: boolean;
}

const CLOSED_STATUSES = new Set(['SOLVED', 'CLOSED']);
const HOUR_MS = 3_600_000;

const plus = (iso: string, hours: number): string | null => {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : new Date(at + hours * HOUR_MS).toISOString();
};

export function ticketSlaOf(
  ticket: { createdAt?: string | null; status?: string | null; zendeskSla?: DeskSla | null },
  plan: { tier: SupportTier | null; sla: SlaTargets | null } | null,
  now: Date = new Date(),
): TicketSlaShape | null {
  const desk = ticket.zendeskSla;
  if (desk && (desk.firstResponseDueAt || desk.resolutionDueAt)) {
    return {
      source: 'ZENDESK',
      policy: desk.policy ?? null,
      firstResponseDueAt: desk.firstResponseDueAt ?? null,
      resolutionDueAt: desk.resolutionDueAt ?? null,
      breached: desk.breached === true,
    };
  }
  if (!plan?.sla || !ticket.createdAt) return null;
  const resolutionDueAt = plus(ticket.createdAt, plan.sla.resolutionHours);
  const open = !CLOSED_STATUSES.has(ticket.status ?? '');
  return {
    source: 'ENTITLEMENT',
    policy: plan.tier ? `${tierName(plan.tier)} plan` : null,
    firstResponseDueAt: plus(ticket.createdAt, plan.sla.firstResponseHours),
    resolutionDueAt,
    breached: open && resolutionDueAt !== null && Date.parse(resolutionDueAt) < now.getTime(),
  };
}
