import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANONYMOUS, jsonReply, startEmulator, type EmulatorDefinition, type RunningEmulator } from '../../sandbox/kit/emulator';
import { FaultTable } from '../../sandbox/kit/faults';

/** A minimal emulator: the tenant is the `x-tenant` header, the op is the path. */
const echo: EmulatorDefinition = {
  name: 'echo',
  classify: (req) => ({ tenant: typeof req.headers['x-tenant'] === 'string' ? req.headers['x-tenant'] : ANONYMOUS, op: `GET ${req.url.pathname}` }),
  handle: (req) => jsonReply(200, { path: req.url.pathname }),
  faultReply: (kind) =>
    kind === 'error' ? jsonReply(500, { error: 'upstream error envelope' }) : jsonReply(429, { error: 'slow down' }, { 'retry-after': '7' }),
};

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator(echo, { port: 0 });
});
afterAll(async () => {
  await emu.close();
  await emu.close(); // idempotent
});

const get = (path: string, tenant = 'acme') => fetch(`${emu.url}${path}`, { headers: { 'x-tenant': tenant } });
const admin = (path: string, method = 'GET', body?: unknown) =>
  fetch(`${emu.url}/__sandbox/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('emulator shell', () => {
  it('should count requests per tenant and operation, and zero them on reset', async () => {
    await admin('reset', 'POST');
    await get('/a');
    await get('/a');
    await get('/b', 'globex');
    expect(await (await admin('stats')).json()).toEqual({ requests: { acme: { 'GET /a': 2 }, globex: { 'GET /b': 1 } } });
    const timeline = (await (await admin('timeline')).json()) as { requests: Array<{ tenant: string; op: string }> };
    expect(timeline.requests.map((r) => `${r.tenant} ${r.op}`)).toEqual(['acme GET /a', 'acme GET /a', 'globex GET /b']);
    await admin('reset', 'POST');
    expect(await (await admin('stats')).json()).toEqual({ requests: {} });
  });

  it('should inject faults for one tenant and operation only, and retire them after `times`', async () => {
    await admin('faults', 'POST', { tenant: 'acme', op: 'GET /x', fault: 'error', times: 1 });
    expect((await get('/x')).status).toBe(500);
    expect((await get('/x')).status).toBe(200);
    await admin('faults', 'POST', [{ tenant: 'globex', fault: 'rate_limit' }]);
    const limited = await get('/y', 'globex');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await get('/y', 'acme')).status).toBe(200);
    await admin('faults', 'DELETE');
    expect((await get('/y', 'globex')).status).toBe(200);
  });

  it('should answer 5xx, malformed bodies and resets as told', async () => {
    await admin('faults', 'PUT', { fault: 'http5xx', status: 502, times: 1 });
    expect((await get('/z')).status).toBe(502);
    await admin('faults', 'PUT', { fault: 'malformed', times: 1 });
    await expect((await get('/z')).json()).rejects.toThrow();
    await admin('faults', 'PUT', { fault: 'reset', times: 1 });
    await expect(get('/z')).rejects.toThrow();
    await admin('faults', 'PUT', { fault: 'down', op: 'GET /down' });
    await expect(get('/down')).rejects.toThrow();
    expect((await get('/up')).status).toBe(200);
    await admin('faults', 'DELETE');
  });

  it('should refuse a bad fault rule with the field named', async () => {
    const res = await admin('faults', 'POST', { fault: 'explode' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/fault/);
  });

  it('should set a base latency for every call', async () => {
    expect(await (await admin('latency', 'POST', { ms: 5 })).json()).toEqual({ latencyMs: 5 });
    expect(await (await admin('faults')).json()).toMatchObject({ latencyMs: 5 });
    expect((await admin('latency', 'POST', { ms: -1 })).status).toBe(400);
    await admin('latency', 'POST', { ms: 0 });
  });
});

describe('reset_after', () => {
  /** An emulator whose every request is a write: it counts the requests it handled. */
  let handled = 0;
  let writer: RunningEmulator;
  beforeAll(async () => {
    writer = await startEmulator({ ...echo, name: 'writer', handle: () => jsonReply(200, { handled: ++handled }) }, { port: 0 });
  });
  afterAll(async () => {
    await writer.close();
  });
  const post = () => fetch(`${writer.url}/w`, { method: 'POST', headers: { 'x-tenant': 'acme' } });

  it('should handle the request, then drop the connection instead of answering', async () => {
    writer.faults.add([{ op: 'GET /w', fault: 'reset_after', times: 1 }]);
    await expect(post()).rejects.toThrow();
    expect(handled).toBe(1);
    expect(await (await post()).json()).toEqual({ handled: 2 });
  });

  it('should differ from reset, which drops the connection without handling the request', async () => {
    writer.faults.add([{ fault: 'reset', times: 1 }]);
    await expect(post()).rejects.toThrow();
    expect(handled).toBe(2);
    expect(writer.faults.list()).toEqual([]);
  });
});

describe('FaultTable', () => {
  it('should add the latency of every matching rule and pick the first failure', () => {
    const table = new FaultTable(
      [{ fault: 'slow', latencyMs: 10 }, { tenant: 'acme', op: 'sale.order.*', fault: 'error', latencyMs: 5 }, { fault: 'http5xx' }],
      20,
    );
    expect(table.decide('acme', 'sale.order.search_read')).toMatchObject({ latencyMs: 35, failure: { fault: 'error' } });
    expect(table.decide('globex', 'sale.order.search_read')).toMatchObject({ latencyMs: 30, failure: { fault: 'http5xx' } });
  });
});
