/**
 * Recorded Odoo 18 exchanges (shared/fixtures/odoo): loading them in an order that replays the
 * recorded business flow, and comparing an answer's shape with the recorded one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the recordings live; override with ODOO_FIXTURES_DIR. */
export const ODOO_FIXTURES_DIR = process.env['ODOO_FIXTURES_DIR'] ?? resolve(__dirname, '..', 'fixtures', 'odoo');

export interface RecordedExchange {
  /** Path relative to the fixtures folder, e.g. `setup/01-res.partner.create.company.json`. */
  file: string;
  request: { method: string; url: string; headers: Record<string, string>; body: unknown; body_raw?: string | null };
  response: { status: number; headers: Record<string, string>; body: unknown; body_raw?: string | null };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseExchange(file: string, raw: unknown): RecordedExchange {
  if (!isRecord(raw) || !isRecord(raw.request) || !isRecord(raw.response)) throw new Error(`${file}: not a recorded exchange`);
  const req = raw.request;
  const res = raw.response;
  return {
    file,
    request: { method: String(req.method), url: String(req.url), headers: isRecord(req.headers) ? (req.headers as Record<string, string>) : {}, body: req.body, body_raw: typeof req.body_raw === 'string' ? req.body_raw : null },
    response: { status: Number(res.status), headers: isRecord(res.headers) ? (res.headers as Record<string, string>) : {}, body: res.body, body_raw: typeof res.body_raw === 'string' ? res.body_raw : null },
  };
}

const requestId = (x: RecordedExchange): number => (isRecord(x.request.body) && typeof x.request.body.id === 'number' ? x.request.body.id : 0);
const isWeb = (x: RecordedExchange): boolean => new URL(x.request.url).pathname.startsWith('/web/');

/**
 * Every recording, in replay order: setup/ by number, then the others as recorded (by JSON-RPC id
 * of the main session); the `/web/` session's calls come last, as they were made after the setup.
 */
export function loadOdooFixtures(dir = ODOO_FIXTURES_DIR): RecordedExchange[] {
  if (!existsSync(dir)) return [];
  const load = (rel: string): RecordedExchange => parseExchange(rel, JSON.parse(readFileSync(join(dir, rel), 'utf8')) as unknown);
  const setup = readdirSync(join(dir, 'setup')).filter((f) => f.endsWith('.json')).sort().map((f) => load(`setup/${f}`));
  const rest = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'SERVER.json').map(load);
  rest.sort((a, b) => Number(isWeb(a)) - Number(isWeb(b)) || requestId(a) - requestId(b) || a.file.localeCompare(b.file));
  return [...setup, ...rest];
}

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Python-ish message pattern: the recorded text with every number free. */
export function messagePattern(message: string): RegExp {
  const escaped = message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+');
  return new RegExp(`^${escaped}$`, 's');
}

/**
 * Differences in shape between a recorded value and an answer: value kinds, object keys, array
 * lengths, `false` where Odoo said false. Ids, names, dates and amounts may differ.
 */
export function shapeDiff(expected: unknown, actual: unknown, path = '$'): string[] {
  const ek = kind(expected);
  const ak = kind(actual);
  if (ek !== ak) return [`${path}: expected ${ek} ${JSON.stringify(expected)?.slice(0, 60)}, got ${ak} ${JSON.stringify(actual)?.slice(0, 60)}`];
  if (expected === false && actual !== false) return [`${path}: expected false, got ${JSON.stringify(actual)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: string[] = [];
    if (expected.length !== actual.length) out.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) out.push(...shapeDiff(expected[i], actual[i], `${path}[${i}]`));
    return out;
  }
  if (isRecord(expected) && isRecord(actual)) {
    const out: string[] = [];
    for (const k of Object.keys(expected)) if (!(k in actual)) out.push(`${path}.${k}: missing`);
    for (const k of Object.keys(actual)) if (!(k in expected)) out.push(`${path}.${k}: unexpected`);
    for (const k of Object.keys(expected)) if (k in actual) out.push(...shapeDiff(expected[k], actual[k], `${path}.${k}`));
    return out;
  }
  return [];
}

/** Extra checks on an error envelope: `error.code`, `message`, `data.name`, `data.message` pattern. */
export function errorDiff(expected: unknown, actual: unknown): string[] {
  if (!isRecord(expected) || !isRecord(expected.error)) return [];
  if (!isRecord(actual) || !isRecord(actual.error)) return ['$.error: missing'];
  const e = expected.error;
  const a = actual.error;
  const out: string[] = [];
  if (e.code !== a.code) out.push(`error.code: expected ${String(e.code)}, got ${String(a.code)}`);
  if (e.message !== a.message) out.push(`error.message: expected ${String(e.message)}, got ${String(a.message)}`);
  const ed = isRecord(e.data) ? e.data : {};
  const ad = isRecord(a.data) ? a.data : {};
  if (ed.name !== ad.name) out.push(`error.data.name: expected ${String(ed.name)}, got ${String(ad.name)}`);
  if (typeof ed.message === 'string' && !messagePattern(ed.message).test(String(ad.message))) out.push(`error.data.message: expected ${JSON.stringify(ed.message)}, got ${JSON.stringify(ad.message)}`);
  return out;
}

/** Paths whose values legitimately differ from the recording (clock, server address, chatter ids, tokens). */
const VOLATILE = /date|debug|access_token|cache_hashes|web\.base\.url|message_ids|message_follower_ids|session_id/;

/**
 * Differences in value between a recorded answer and the emulator's, for a replay of the same flow
 * on a fresh database: amounts, states, names and ids must agree; dates and tokens may not.
 */
export function valueDiff(expected: unknown, actual: unknown, path = '$'): string[] {
  if (VOLATILE.test(path)) return [];
  if (Array.isArray(expected) && Array.isArray(actual)) return expected.flatMap((e, i) => valueDiff(e, actual[i], `${path}[${i}]`));
  if (isRecord(expected) && isRecord(actual)) return Object.keys(expected).flatMap((k) => valueDiff(expected[k], actual[k], `${path}.${k}`));
  if (typeof expected === 'string' && /^\d{4}-\d\d-\d\d/.test(expected)) return [];
  return expected === actual ? [] : [`${path}: recorded ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
