/**
 * Replays every recorded Odoo 18 exchange against the emulator (a fresh 'empty' database named
 * acme, login admin / password admin, as recorded) and compares the answers' shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningEmulator } from '../../sandbox/kit/emulator';
import { startOdooEmulator } from '../../sandbox/odoo';
import { errorDiff, loadOdooFixtures, shapeDiff, valueDiff, type RecordedExchange } from '../support/odoo-fixtures';

const fixtures = loadOdooFixtures();

/**
 * Recordings whose shape the emulator knowingly does not reproduce, with the reason. Keep empty
 * unless a difference truly cannot be emulated.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {};

let emulator: RunningEmulator;
let sessionCookie: string | undefined;
/** Value differences found while replaying, checked after the shapes. */
const valueDiffs = new Map<string, string[]>();

beforeAll(async () => {
  emulator = await startOdooEmulator({ port: 0, tenants: [{ tenant: 'fixtures', db: 'acme', login: 'admin', apiKey: 'admin', seed: 'empty' }] });
});
afterAll(async () => {
  await emulator?.close();
});

async function replay(x: RecordedExchange): Promise<{ status: number; headers: Headers; text: string }> {
  const recorded = new URL(x.request.url);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(x.request.headers)) {
    if (k.toLowerCase() === 'cookie') {
      if (sessionCookie) headers.cookie = sessionCookie;
    } else headers[k] = v;
  }
  const body = x.request.method === 'GET' ? undefined : (x.request.body_raw ?? JSON.stringify(x.request.body));
  const res = await fetch(`${emulator.url}${recorded.pathname}${recorded.search}`, {
    method: x.request.method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  const setCookie = res.headers.get('set-cookie');
  if (setCookie && recorded.pathname === '/web/session/authenticate') sessionCookie = setCookie.split(';')[0];
  return { status: res.status, headers: res.headers, text };
}

describe('Odoo emulator replays the recorded Odoo 18 exchanges', () => {
  it('has recordings to replay', () => {
    expect(fixtures.length).toBeGreaterThan(90);
  });

  it.each(fixtures.map((x) => [x.file, x] as const))('%s', async (file, x) => {
    const answer = await replay(x);
    const diffs: string[] = [];
    if (answer.status !== x.response.status) diffs.push(`status: expected ${x.response.status}, got ${answer.status}`);
    const recordedType = Object.entries(x.response.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    const type = answer.headers.get('content-type') ?? '';
    if (recordedType.split(';')[0]?.trim() !== type.split(';')[0]?.trim()) diffs.push(`content-type: expected ${recordedType}, got ${type}`);
    if (x.response.body !== null && x.response.body !== undefined) {
      let body: unknown;
      try {
        body = JSON.parse(answer.text);
      } catch {
        diffs.push(`body: not JSON: ${answer.text.slice(0, 80)}`);
      }
      diffs.push(...shapeDiff(x.response.body, body), ...errorDiff(x.response.body, body));
      valueDiffs.set(file, valueDiff(x.response.body, body));
      const requestId = (x.request.body as { id?: unknown } | null)?.id;
      const recordedId = (x.response.body as { id?: unknown }).id;
      if (recordedId === requestId && (body as { id?: unknown } | undefined)?.id !== requestId) diffs.push('id: not echoed');
    } else if (x.response.body_raw && x.response.body_raw.length < 100 && answer.text !== x.response.body_raw) {
      diffs.push(`body: expected ${JSON.stringify(x.response.body_raw)}, got ${JSON.stringify(answer.text.slice(0, 100))}`);
    }
    const recordedCookie = Object.keys(x.response.headers).some((k) => k.toLowerCase() === 'set-cookie' && /session_id/.test(String(x.response.headers[k])));
    if (recordedCookie && !/session_id=/.test(answer.headers.get('set-cookie') ?? '')) diffs.push('set-cookie: no session_id');
    if (KNOWN_DIFFERENCES[file]) return;
    expect(diffs).toEqual([]);
  });
});

describe('Odoo emulator replays the recorded business flow to the same values', () => {
  it.each(fixtures.filter((x) => x.response.body !== null && x.response.body !== undefined).map((x) => [x.file] as const))('%s', (file) => {
    expect(valueDiffs.get(file)).toEqual([]);
  });
});
