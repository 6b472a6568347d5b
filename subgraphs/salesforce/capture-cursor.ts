/**
 * The position of Salesforce change capture in one object's history: the last (SystemModstamp, Id)
 * read, persisted in the capture state, and the SOQL WHERE clauses that read on from it.
 *
 * Salesforce stores dateTime values to the second and compares them to the second, so the cursor is
 * in whole seconds and many records may share one; ties are broken by Id (keyset pagination). A
 * record whose transaction commits after a later one was read carries an older SystemModstamp, so
 * every pass starts again `overlapMs` before the cursor (re-read records are told apart by their
 * snapshot, capture-records.ts), except when the previous pass stopped on a full backlog: then it
 * reads on from the cursor itself, so a burst larger than one pass can read still makes progress.
 */
import { z } from 'zod';

/** Where capture of one object stands (stored with {@link encodeCursor}). */
export interface Cursor {
  /** SystemModstamp of the last record read, epoch ms (whole seconds). */
  readonly at: number;
  /** Its Id ('' before any record was read). */
  readonly id: string;
  /** Where capture began (epoch ms, whole seconds): the overlap never reaches before it (no history replay). */
  readonly floor: number;
  /** Whether the last pass stopped with more records to read. */
  readonly behind: boolean;
}

/** Epoch ms → whole seconds (Salesforce's precision). */
export const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** A fresh cursor at `now`: capture starts there, nothing before is replayed. */
export function cursorAt(now: number): Cursor {
  const at = toSecond(now);
  return { at, id: '', floor: at, behind: false };
}

const ZCursor = z.object({ at: z.iso.datetime(), id: z.string(), floor: z.iso.datetime(), behind: z.boolean() });

/** The stored form (JSON, ISO datetimes). */
export const encodeCursor = (c: Cursor): string =>
  JSON.stringify({ at: new Date(c.at).toISOString(), id: c.id, floor: new Date(c.floor).toISOString(), behind: c.behind });

/** A stored cursor, or undefined when absent or unreadable. */
export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = ZCursor.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    return { at: Date.parse(parsed.data.at), id: parsed.data.id, floor: Date.parse(parsed.data.floor), behind: parsed.data.behind };
  } catch {
    return undefined;
  }
}

/** A SOQL dateTime literal, unquoted, UTC, whole seconds: `2026-11-30T05:00:00Z`. */
export const soqlDateTime = (ms: number): string => new Date(toSecond(ms)).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Salesforce ids are letters and digits only: safe inside a quoted SOQL literal as they are. */
const isIdText = (id: string): boolean => /^[A-Za-z0-9]{15,18}$/.test(id);

/** Records after (at, id) in (SystemModstamp, Id) order; every record at `at` when there is no id. */
export function after(at: number, id: string): string {
  const t = soqlDateTime(at);
  if (!isIdText(id)) return `SystemModstamp >= ${t}`;
  return `SystemModstamp >= ${t} AND (SystemModstamp > ${t} OR Id > '${id}')`;
}

/** The WHERE clause of a pass's first page. */
export function firstPageWhere(cursor: Cursor, overlapMs: number): string {
  if (cursor.behind && cursor.id !== '') return after(cursor.at, cursor.id);
  return `SystemModstamp >= ${soqlDateTime(Math.max(cursor.at - overlapMs, cursor.floor))}`;
}

/** Orders two positions (at, id). */
export function comparePositions(a: { at: number; id: string }, b: { at: number; id: string }): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
