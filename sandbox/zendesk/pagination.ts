/**
 * Zendesk's two pagination schemes (developer.zendesk.com/api-reference/introduction/pagination/).
 *
 * - Cursor: `page[size]` (max 100), `page[after]`, `page[before]`; answers `meta.{has_more,
 *   after_cursor, before_cursor}` and `links.{next, prev}` as absolute URLs. `links.next` is null on
 *   the last page, because node-zendesk follows it and ignores `has_more`; `links.prev` is null on
 *   the first page (what Zendesk sends there is unconfirmed). Cursors are opaque base64url strings.
 * - Offset: `page` (from 1) and `per_page` (max 100); answers `next_page`, `previous_page` (absolute
 *   URLs or null) and `count`.
 */
import { badRequest } from './errors';
import type { SandboxReply } from '../kit/emulator';

export const MAX_PAGE_SIZE = 100;

export type Paged<T> = { ok: true; items: T[]; body: Record<string, unknown> } | { ok: false; reply: SandboxReply };

const encodeCursor = (id: number): string => Buffer.from(`zd:${id}`).toString('base64url');
function decodeCursor(cursor: string): number | undefined {
  const m = /^zd:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** The request's other query parameters (include, query, ...), to carry over to page links. */
function carriedParams(url: URL, drop: (key: string) => boolean): string {
  const out = new URLSearchParams();
  for (const [k, v] of url.searchParams) if (!drop(k)) out.append(k, v);
  const s = out.toString();
  return s ? `&${s}` : '';
}

function positiveInt(raw: string | null): number | undefined | null {
  if (raw === null) return undefined;
  return /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
}

/** Whether the request asks for cursor pagination. */
export const wantsCursor = (url: URL): boolean => [...url.searchParams.keys()].some((k) => k.startsWith('page['));

/** One cursor page of `items` (sorted by id), under the resource key `key` at `path` (e.g. `tickets`). */
export function cursorPage<T extends { id: number }>(items: readonly T[], url: URL, base: string, path: string): Paged<T> {
  const size = positiveInt(url.searchParams.get('page[size]'));
  if (size === null) return { ok: false, reply: badRequest('InvalidPaginationParameter', 'page[size] must be a positive integer') };
  const pageSize = size ?? MAX_PAGE_SIZE;
  if (pageSize > MAX_PAGE_SIZE)
    return { ok: false, reply: badRequest('InvalidPaginationParameter', `page[size] must be less than or equal to ${MAX_PAGE_SIZE}`) };
  const afterRaw = url.searchParams.get('page[after]');
  const beforeRaw = url.searchParams.get('page[before]');
  const after = afterRaw ? decodeCursor(afterRaw) : undefined;
  const before = beforeRaw ? decodeCursor(beforeRaw) : undefined;
  if ((afterRaw && after === undefined) || (beforeRaw && before === undefined)) {
    return { ok: false, reply: badRequest('InvalidPaginationParameter', 'page[after] / page[before] is not a valid cursor') };
  }

  let page: T[];
  if (before !== undefined) {
    const earlier = items.filter((i) => i.id < before);
    page = earlier.slice(Math.max(0, earlier.length - pageSize));
  } else {
    const start = after === undefined ? 0 : items.findIndex((i) => i.id > after);
    page = start < 0 ? [] : items.slice(start, start + pageSize);
  }
  const first = page[0];
  const last = page[page.length - 1];
  const moreAfter = last !== undefined && items.some((i) => i.id > last.id);
  const moreBefore = first !== undefined && items.some((i) => i.id < first.id);
  const hasMore = before !== undefined ? moreBefore : moreAfter;
  const afterCursor = last ? encodeCursor(last.id) : null;
  const beforeCursor = first ? encodeCursor(first.id) : null;
  const rest = carriedParams(url, (k) => k.startsWith('page['));
  const link = (dir: 'after' | 'before', cursor: string): string => `${base}/${path}.json?page[size]=${pageSize}&page[${dir}]=${cursor}${rest}`;
  return {
    ok: true,
    items: page,
    body: {
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
      links: {
        next: moreAfter && afterCursor ? link('after', afterCursor) : null,
        prev: moreBefore && beforeCursor ? link('before', beforeCursor) : null,
      },
    },
  };
}

/** One offset page of `items` at `path` (e.g. `search`, `tickets/1/comments`). */
export function offsetPage<T>(items: readonly T[], url: URL, base: string, path: string): Paged<T> {
  const pageNo = positiveInt(url.searchParams.get('page'));
  const perPage = positiveInt(url.searchParams.get('per_page'));
  if (pageNo === null || perPage === null) return { ok: false, reply: badRequest('InvalidPaginationParameter', 'page and per_page must be positive integers') };
  const n = pageNo ?? 1;
  const size = Math.min(perPage ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const page = items.slice((n - 1) * size, n * size);
  const rest = carriedParams(url, (k) => k === 'page' || k === 'per_page');
  const link = (p: number): string => `${base}/${path}.json?page=${p}&per_page=${size}${rest}`;
  return {
    ok: true,
    items: page,
    body: {
      next_page: n * size < items.length ? link(n + 1) : null,
      previous_page: n > 1 ? link(n - 1) : null,
      count: items.length,
    },
  };
}
