/** A minimal Odoo wire client for the emulator tests: JSON-RPC envelopes and JSON-2 calls, answers as `unknown`. */

export interface OdooCreds {
  db: string;
  uid: number;
  password: string;
}

export interface RpcAnswer {
  status: number;
  /** The JSON body, or `{ text }` for a non-JSON answer (a proxy's 5xx page). */
  body: Record<string, unknown>;
}

let seq = 0;

export async function jsonRpc(url: string, params: Record<string, unknown>, path = '/jsonrpc', headers: Record<string, string> = {}): Promise<RpcAnswer> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: ++seq, params }),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { text };
  }
  return { status: res.status, body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {} };
}

export function executeKw(url: string, c: OdooCreds, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<RpcAnswer> {
  return jsonRpc(url, { service: 'object', method: 'execute_kw', args: [c.db, c.uid, c.password, model, method, args, kwargs] });
}

/** `result` of a successful call; throws with the Odoo error otherwise. */
export async function call<T = unknown>(
  url: string,
  c: OdooCreds,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
): Promise<T> {
  const { body } = await executeKw(url, c, model, method, args, kwargs);
  if ('error' in body) throw new Error(`${model}.${method}: ${JSON.stringify((body.error as { data?: unknown }).data)}`);
  return body.result as T;
}

/** The `error.data` of an answer (or undefined). */
export function errorData(a: RpcAnswer): { name?: unknown; message?: unknown } | undefined {
  const e = a.body.error;
  return typeof e === 'object' && e !== null ? ((e as { data?: { name?: unknown; message?: unknown } }).data ?? undefined) : undefined;
}

export async function json2(url: string, key: string, model: string, method: string, body: unknown, db?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/json/2/${model}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `bearer ${key}`, ...(db ? { 'x-odoo-database': db } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // non-JSON answers stay text
  }
  return { status: res.status, body: parsed };
}
