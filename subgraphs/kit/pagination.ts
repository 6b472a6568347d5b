/**
 * Cursor connections (`first`/`after`, `edges { node cursor }`, `pageInfo`) over offset-based
 * upstreams. A cursor is opaque to clients: base64url of `<prefix>:<offset>`; a cursor from another
 * list or a hand-made one is refused as BAD_USER_INPUT rather than silently misread.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../schema/paging';
import { badUserInput } from './errors';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface PageWindow {
  offset: number;
  limit: number;
}

export const encodeCursor = (prefix: string, offset: number): string => Buffer.from(`${prefix}:${offset}`, 'utf8').toString('base64url');

export function pageWindow(prefix: string, args: PageArgs): PageWindow {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  if (args.after == null) return { offset: 0, limit: first };
  const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
  const [p, n] = decoded.split(':');
  const at = Number(n);
  if (p !== prefix || !Number.isInteger(at) || at < 0) throw badUserInput('after is not a cursor of this list', 'after');
  return { offset: at + 1, limit: first };
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Builds a connection from one page of rows fetched at `window.offset` and the list's total size. */
export function toConnection<T>(prefix: string, window: PageWindow, rows: readonly T[], totalCount: number): Connection<T> {
  const edges = rows.slice(0, window.limit).map((node, i) => ({ cursor: encodeCursor(prefix, window.offset + i), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: window.offset + edges.length < totalCount,
      hasPreviousPage: window.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

/** A page read with one row more than its window (`hasMore`), and the list's size where it was counted. */
export interface PageRead {
  hasMore: boolean;
  /** Null when the query did not ask `totalCount` (see {@link selectsField}): nothing was counted. */
  total: number | null;
}

/**
 * Builds a connection from one page of rows fetched at `window.offset`. Without a count,
 * `totalCount` is not there to serve: reading it fails the field rather than answer a wrong number
 * (the page is read without a count only when the selection does not ask it).
 */
export function toPageConnection<T>(prefix: string, window: PageWindow, rows: readonly T[], read: PageRead): Connection<T> {
  const edges = rows.slice(0, window.limit).map((node, i) => ({ cursor: encodeCursor(prefix, window.offset + i), node }));
  const pageInfo = {
    hasNextPage: read.hasMore,
    hasPreviousPage: window.offset > 0,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  };
  if (read.total !== null) return { edges, pageInfo, totalCount: read.total };
  const connection = { edges, pageInfo } as Connection<T>;
  Object.defineProperty(connection, 'totalCount', {
    get: () => {
      throw new Error(`totalCount of ${prefix} was read but not counted`);
    },
  });
  return connection;
}

/** Whether the field being resolved selects `name` directly (through fragments too, whatever their directives). */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, name: string): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
