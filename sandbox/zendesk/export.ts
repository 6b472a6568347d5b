/**
 * The cursor-based incremental ticket export
 * (developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/):
 *
 * `GET /api/v2/incremental/tickets/cursor.json?start_time=<unix seconds>` starts at the tickets
 * changed at or after `start_time`; `?cursor=<after_cursor>` goes on from a previous answer. Tickets
 * come ordered by `updated_at` (then id), at most `per_page` (default and max 1000) per answer:
 *
 * ```json
 * {"tickets": [...], "after_url": "…/incremental/tickets/cursor.json?cursor=xyz", "after_cursor": "xyz",
 *  "before_url": null, "before_cursor": null, "end_of_stream": true}
 * ```
 *
 * A ticket changed again later comes again (at its new place). As on Zendesk, changes younger than
 * the lag (one minute; tests set 0) are left out, so a second cannot gain a ticket after the cursor
 * passed it, and a `start_time` inside the lag is refused (400). With a lag of 0 the current second
 * is still left out, for the same reason (timestamps have whole seconds). `after_cursor` is always
 * set: at the end of the stream it is where the next poll starts. `include=users,organizations`
 * side-loads as elsewhere. Simplified: `before_*` are always null, and deleted tickets (which Zendesk
 * exports with status `deleted`) do not exist in the emulator. The endpoint's own rate limit (10
 * requests per minute) is applied by the emulator (index.ts), not here.
 */
import { jsonReply, type SandboxReply } from '../kit/emulator';
import { badRequest } from './errors';
import type { TicketRecord } from './records';
import { renderTicket } from './render';
import type { Route, RouteContext } from './routes';
import { sideloads } from './sideloads';

/** Default and maximum `per_page`. */
export const EXPORT_PAGE_MAX = 1000;
/** Zendesk leaves out changes younger than a minute. */
export const DEFAULT_EXPORT_LAG_SECONDS = 60;
/** The operation name of the export (stats, fault rules, its own rate limit). */
export const EXPORT_OP = 'GET /api/v2/incremental/tickets/cursor';

/** A place in the (updated_at, id) order: after `seconds`/`id`. */
interface Position {
  seconds: number;
  id: number;
}

const encodeCursor = (p: Position): string => Buffer.from(`zdx:${p.seconds}:${p.id}`).toString('base64url');
function decodeCursor(raw: string): Position | undefined {
  const m = /^zdx:(\d+):(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  return m ? { seconds: Number(m[1]), id: Number(m[2]) } : undefined;
}

const secondsOf = (t: TicketRecord): number => Math.floor(Date.parse(t.updated_at) / 1000);
const after = (t: TicketRecord, p: Position): boolean => secondsOf(t) > p.seconds || (secondsOf(t) === p.seconds && t.id > p.id);

function exportTickets(ctx: RouteContext): SandboxReply {
  const params = ctx.req.url.searchParams;
  const nowSeconds = Math.floor((ctx.now ?? Date.now()) / 1000);
  const lag = ctx.exportLagSeconds ?? DEFAULT_EXPORT_LAG_SECONDS;
  const newest = nowSeconds - lag; // only tickets changed strictly before this second
  const perPageRaw = params.get('per_page');
  const perPage = perPageRaw === null ? EXPORT_PAGE_MAX : /^\d+$/.test(perPageRaw) ? Number(perPageRaw) : NaN;
  if (!(perPage >= 1 && perPage <= EXPORT_PAGE_MAX)) return badRequest('InvalidPaginationParameter', `per_page must be between 1 and ${EXPORT_PAGE_MAX}`);

  let from: Position;
  const cursor = params.get('cursor');
  const startTime = params.get('start_time');
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (!decoded) return badRequest('InvalidCursor', 'cursor is not valid');
    from = decoded;
  } else if (startTime !== null) {
    if (!/^\d+$/.test(startTime)) return badRequest('InvalidValue', 'start_time must be a Unix epoch time in seconds');
    if (Number(startTime) >= newest) return badRequest('InvalidValue', 'Too recent start_time. Use a start_time older than one minute.');
    from = { seconds: Number(startTime), id: 0 };
  } else return badRequest('InvalidValue', 'start_time or cursor is required');

  const eligible = [...ctx.account.tickets.values()]
    .filter((t) => secondsOf(t) < newest && after(t, from))
    .sort((a, b) => secondsOf(a) - secondsOf(b) || a.id - b.id);
  const page = eligible.slice(0, perPage);
  const last = page.at(-1);
  const afterCursor = encodeCursor(last ? { seconds: secondsOf(last), id: last.id } : from);
  const carried = new URLSearchParams();
  carried.set('cursor', afterCursor);
  if (perPageRaw !== null) carried.set('per_page', String(perPage));
  const include = params.get('include');
  if (include !== null) carried.set('include', include);
  return jsonReply(200, {
    tickets: page.map((t) => renderTicket(t, ctx.base)),
    ...sideloads(ctx, page),
    after_url: `${ctx.base}/incremental/tickets/cursor.json?${carried.toString()}`,
    after_cursor: afterCursor,
    before_url: null,
    before_cursor: null,
    end_of_stream: eligible.length <= perPage,
  });
}

/** `/api/v2/incremental/tickets/cursor` */
export const EXPORT_ROUTES: Route[] = [{ method: 'GET', pattern: /^incremental\/tickets\/cursor$/, op: EXPORT_OP, handle: exportTickets }];
