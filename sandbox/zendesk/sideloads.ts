/**
 * Side-loading (`include=users,organizations`): top-level `users` / `organizations` arrays next to
 * the tickets of an answer (UPSTREAMS.md 3.2).
 */
import type { TicketRecord } from './records';
import { renderOrganization, renderUser } from './render';
import type { RouteContext } from './routes';

/** A comma-separated query parameter as a list (empty items dropped). */
export const stringList = (raw: string | null): string[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Top-level `users` / `organizations` arrays for `include=users,organizations`. */
export function sideloads(ctx: RouteContext, tickets: readonly TicketRecord[]): Record<string, unknown> {
  const include = new Set(stringList(ctx.req.url.searchParams.get('include')));
  const out: Record<string, unknown> = {};
  if (include.has('users')) {
    const ids = new Set<number>();
    for (const t of tickets) {
      for (const id of [t.requester_id, t.submitter_id, t.assignee_id, ...t.collaborator_ids]) if (id !== null) ids.add(id);
    }
    out.users = [...ids]
      .sort((a, b) => a - b)
      .flatMap((id) => {
        const u = ctx.account.users.get(id);
        return u ? [renderUser(u, ctx.base)] : [];
      });
  }
  if (include.has('organizations')) {
    const ids = new Set<number>();
    for (const t of tickets) if (t.organization_id !== null) ids.add(t.organization_id);
    out.organizations = [...ids]
      .sort((a, b) => a - b)
      .flatMap((id) => {
        const o = ctx.account.organizations.get(id);
        return o ? [renderOrganization(o, ctx.base)] : [];
      });
  }
  return out;
}
