/** Small HTTP helpers for tests: GraphQL over POST and emulator stats, against real servers. */

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  extensions?: Record<string, unknown>;
}

export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: Omit<GraphQLResponse<T>, 'status'>;
  try {
    body = JSON.parse(text) as Omit<GraphQLResponse<T>, 'status'>;
  } catch {
    throw new Error(`non-JSON answer (HTTP ${res.status}): ${text.slice(0, 200)}`);
  }
  return { status: res.status, ...body };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

export type StatsCounts = Record<string, Record<string, number>>;

export async function emulatorStats(baseUrl: string): Promise<StatsCounts> {
  const res = await fetch(`${baseUrl}/__sandbox/stats`);
  const body = (await res.json()) as { requests: StatsCounts };
  return body.requests;
}

export async function resetEmulator(baseUrl: string, opts: { faults?: boolean } = {}): Promise<void> {
  await fetch(`${baseUrl}/__sandbox/reset${opts.faults ? '?faults=1' : ''}`, { method: 'POST' });
}

export async function injectFault(baseUrl: string, rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${baseUrl}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  if (!res.ok) throw new Error(`fault rejected: ${await res.text()}`);
}

/** Total calls per tenant in a stats snapshot. */
export const totalFor = (stats: StatsCounts, tenant: string): number => Object.values(stats[tenant] ?? {}).reduce((a, b) => a + b, 0);
