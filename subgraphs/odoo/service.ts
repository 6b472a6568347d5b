/**
 * Service context an agent can act on, from the ERP's records: each support plan's standing (renewal,
 * payment, service-level targets) and one verdict per customer with human-readable reasons. Pure
 * functions over the shapes of mappers.ts; amounts appear only in the finance-only fields.
 */
import type { EntitlementShape, InvoiceShape, Money, SupportTier } from './mappers';

export type RenewalStatus = 'ACTIVE' | 'EXPIRING_SOON' | 'EXPIRED' | 'RENEWED' | 'CANCELLED';
export type PaymentStanding = 'PAID' | 'OPEN' | 'PARTIAL' | 'OVERDUE' | 'NOT_INVOICED';

export interface SlaTargets {
  firstResponseHours: number;
  resolutionHours: number;
}

/** An entitlement with its standing. */
export interface EntitlementStanding extends EntitlementShape {
  tier: SupportTier | null;
  cancelled: boolean;
  renewalStatus: RenewalStatus;
  paymentStanding: PaymentStanding;
  /** Days the oldest overdue plan invoice is past due, when one is. */
  daysOverdue: number | null;
  /** The plan invoices past due (their numbers go into reasons; their amounts are finance-only). */
  overdueInvoices: InvoiceShape[];
  /** Still to pay on the plan's invoices (finance-only). */
  amountDue: Money | null;
  sla: SlaTargets | null;
}

const TIER_RANK: Readonly<Record<SupportTier, number>> = { BASIC: 1, STANDARD: 2, PREMIUM: 3 };
const STANDING_RANK: Readonly<Record<PaymentStanding, number>> = { PAID: 0, NOT_INVOICED: 1, OPEN: 2, PARTIAL: 3, OVERDUE: 4 };

/** Whole days from `from` to `to` (`YYYY-MM-DD`), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** `YYYY-MM-DD` moved by whole days. */
export function shiftDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** How the plan's customer invoices stand: paid, open, partly paid, overdue (with days), or none yet. */
export function paymentStandingOf(
  invoices: readonly InvoiceShape[],
  today: string,
): Pick<EntitlementStanding, 'paymentStanding' | 'daysOverdue' | 'overdueInvoices' | 'amountDue'> {
  // A fully reversed invoice is no longer owed nor paid: as if never invoiced.
  const posted = invoices.filter((i) => i.kind === 'INVOICE' && i.state === 'POSTED' && i.paymentState !== 'REVERSED');
  if (posted.length === 0) return { paymentStanding: 'NOT_INVOICED', daysOverdue: null, overdueInvoices: [], amountDue: null };
  const overdue = posted.filter((i) => i.overdue);
  const due = posted.reduce((sum, i) => sum + Math.max(0, i.amountResidual.amount), 0);
  const amountDue = { amount: Math.round(due * 100) / 100, currencyCode: posted[0]!.amountResidual.currencyCode };
  if (overdue.length) {
    const days = Math.max(...overdue.map((i) => (i.dueDate ? daysBetween(i.dueDate, today) : 0)));
    return { paymentStanding: 'OVERDUE', daysOverdue: days, overdueInvoices: overdue, amountDue };
  }
  const unpaid = posted.filter((i) => i.paymentState === 'NOT_PAID' || i.paymentState === 'PARTIAL' || i.paymentState === 'BLOCKED');
  const standing: PaymentStanding = unpaid.length === 0 ? 'PAID' : unpaid.some((i) => i.paymentState === 'PARTIAL') ? 'PARTIAL' : 'OPEN';
  return { paymentStanding: standing, daysOverdue: null, overdueInvoices: [], amountDue };
}

/** Renewal status: cancelled, renewed by a later plan, expired, ending within `soonDays`, or active. */
export function renewalStatusOf(e: EntitlementShape, cancelled: boolean, renewedLater: boolean, today: string, soonDays: number): RenewalStatus {
  if (cancelled) return 'CANCELLED';
  const ended = e.endsOn !== null && e.endsOn < today;
  if (ended) return renewedLater ? 'RENEWED' : 'EXPIRED';
  if (e.endsOn !== null && daysBetween(today, e.endsOn) <= soonDays) return renewedLater ? 'RENEWED' : 'EXPIRING_SOON';
  return 'ACTIVE';
}

/**
 * Standings of a customer's plans. A later plan renews an earlier one when it starts within the
 * warning window before the earlier one's last day, or after it (an upgrade mid-term is no renewal).
 */
export function standingsOf(
  plans: ReadonlyArray<{ entitlement: EntitlementShape; tier: SupportTier | null; cancelled: boolean; invoices: readonly InvoiceShape[]; today: string }>,
  soonDays: number,
  slaOf: (tier: SupportTier | null) => SlaTargets | null,
): EntitlementStanding[] {
  return plans.map(({ entitlement, tier, cancelled, invoices, today }) => {
    // A renewal is bought near the end: a later plan starting within the warning window before this one's last day, or after it.
    const renewalFrom = entitlement.endsOn === null ? null : shiftDays(entitlement.endsOn, -soonDays);
    const renewedLater =
      renewalFrom !== null &&
      plans.some(
        (other) =>
          !other.cancelled &&
          other.entitlement.id !== entitlement.id &&
          (other.entitlement.startsOn ?? '') > (entitlement.startsOn ?? '') &&
          (other.entitlement.startsOn ?? '') >= renewalFrom,
      );
    return {
      ...entitlement,
      tier,
      cancelled,
      renewalStatus: renewalStatusOf(entitlement, cancelled, renewedLater, today, soonDays),
      ...paymentStandingOf(invoices, today),
      sla: slaOf(tier),
    };
  });
}

export interface SupportStatus {
  entitled: boolean;
  tier: SupportTier | null;
  sla: SlaTargets | null;
  paymentStanding: PaymentStanding | null;
  reasons: string[];
  /** What is overdue on plan invoices (finance-only). */
  amountOverdue: Money | null;
}

/** `Premium` for PREMIUM; `Support` when the plan has no tier. */
export const tierName = (tier: SupportTier | null): string => (tier ? `${tier.charAt(0)}${tier.slice(1).toLowerCase()}` : 'Support');

/** One verdict for the sidebar: entitled or not, at which tier and SLA, how payments stand, and why. */
export function supportStatusOf(standings: readonly EntitlementStanding[], today: string): SupportStatus {
  const current = standings.filter((s) => s.active && (s.renewalStatus === 'ACTIVE' || s.renewalStatus === 'EXPIRING_SOON' || s.renewalStatus === 'RENEWED'));
  const best = [...current].sort((a, b) => (b.tier ? TIER_RANK[b.tier] : 0) - (a.tier ? TIER_RANK[a.tier] : 0))[0];
  const reasons: string[] = [];
  // Two plan lines of one order share its invoices: each invoice is reported (and summed) once.
  const reported = new Set<number>();
  if (standings.length === 0) reasons.push('No support plan was sold to this customer');
  for (const s of standings) {
    const name = `${tierName(s.tier)} plan`;
    if (s.renewalStatus === 'EXPIRED') reasons.push(`${name} expired on ${s.endsOn ?? '?'}`);
    if (s.renewalStatus === 'EXPIRING_SOON' && s.endsOn) reasons.push(`${name} ends on ${s.endsOn} (in ${daysBetween(today, s.endsOn)} days)`);
    if (s.renewalStatus === 'CANCELLED') reasons.push(`${name} was cancelled`);
    for (const inv of s.overdueInvoices.filter((i) => !reported.has(i.odooId))) {
      reported.add(inv.odooId);
      if (inv.dueDate) reasons.push(`invoice ${inv.number ?? `#${inv.id}`} is ${daysBetween(inv.dueDate, today)} days overdue`);
    }
  }
  if (standings.length > 0 && current.length === 0) reasons.push('No support plan covers today');
  const standing = current.length ? current.map((s) => s.paymentStanding).reduce((w, s) => (STANDING_RANK[s] > STANDING_RANK[w] ? s : w)) : null;
  const overdue = [...new Map(standings.flatMap((s) => s.overdueInvoices).map((i) => [i.odooId, i])).values()];
  const amountOverdue = overdue.length
    ? {
        amount: Math.round(overdue.reduce((sum, i) => sum + Math.max(0, i.amountResidual.amount), 0) * 100) / 100,
        currencyCode: overdue[0]!.amountResidual.currencyCode,
      }
    : null;
  return { entitled: current.length > 0, tier: best?.tier ?? null, sla: best?.sla ?? null, paymentStanding: standing, reasons, amountOverdue };
}
