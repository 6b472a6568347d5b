/**
 * The lean subgraph data source: identity tokens reused for half their lifetime and never shared
 * across identities or subgraphs, and a subgraph's failures mapped as @apollo/gateway maps them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { IdentityTokenCache, SubgraphSource } from '../../gateway/subgraph-source';
import { internalAudience, internalKey, verifyInternalToken, type Identity } from '../../tenancy/identity';

const key = internalKey('k'.repeat(40));
const agent: Identity = { tenant: 'acme', subject: 'alice', roles: ['agent'], scopes: [] };

describe('identity token cache', () => {
  it('should reuse a token for 30 s of its 60, then sign a fresh one', async () => {
    let clock = 1_700_000_000_000;
    const cache = new IdentityTokenCache(key, { now: () => clock });
    const first = await cache.get(agent, internalAudience('odoo'));
    expect(await cache.get(agent, internalAudience('odoo'))).toBe(first);
    clock += 29_000;
    expect(await cache.get(agent, internalAudience('odoo'))).toBe(first);
    clock += 2_000;
    const second = await cache.get(agent, internalAudience('odoo'));
    expect(second).not.toBe(first);
  });

  it('should never hand one identity’s token to another identity or another subgraph', async () => {
    const cache = new IdentityTokenCache(key);
    const odoo = internalAudience('odoo');
    const tokens = await Promise.all([
      cache.get(agent, odoo),
      cache.get({ ...agent, tenant: 'globex' }, odoo),
      cache.get({ ...agent, roles: ['finance'] }, odoo),
      cache.get({ ...agent, subject: 'bob' }, odoo),
      cache.get({ ...agent, scopes: ['actions'] }, odoo),
      cache.get(agent, internalAudience('zendesk')),
    ]);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(await verifyInternalToken(tokens[1], key, odoo)).toMatchObject({ tenant: 'globex', subject: 'alice' });
    expect(await verifyInternalToken(tokens[2], key, odoo)).toMatchObject({ roles: ['finance'] });
    await expect(verifyInternalToken(tokens[5], key, odoo)).rejects.toThrow();
  });
});

describe('subgraph source', () => {
  let server: Server;
  let url: string;
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  let answer: { status: number; body: string } = { status: 200, body: '{"data":{"ok":true}}' };
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  const call = (source: SubgraphSource) =>
    source.process({
      kind: GraphQLDataSourceRequestKind.HEALTH_CHECK,
      request: { query: '{ ok }' },
      context: { identity: agent, tenant: {} as never, stale: [], requestId: 'req-1' },
    });

  it('should post with the identity token and request id, and map 401, 5xx and non-JSON answers to coded errors', async () => {
    const source = new SubgraphSource('odoo', url, { timeoutMs: 2_000, tokens: new IdentityTokenCache(key) });
    try {
      answer = { status: 200, body: '{"data":{"ok":true},"extensions":{"stale":[{"type":"Order"}]}}' };
      expect(await call(source)).toMatchObject({ data: { ok: true } });
      const headers = seen.at(-1)!;
      expect(await verifyInternalToken(headers['x-gateway-identity'] as string, key, internalAudience('odoo'))).toMatchObject({ tenant: 'acme' });
      expect(headers['x-request-id']).toBe('req-1');
      answer = { status: 401, body: '{"errors":[]}' };
      await expect(call(source)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', serviceName: 'odoo' } });
      answer = { status: 503, body: 'upstream proxy error' };
      await expect(call(source)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', status: 503 } });
      answer = { status: 200, body: '[1,2]' };
      await expect(call(source)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    } finally {
      source.close();
    }
  });

  it('should send identical concurrent reads of one identity once, and never share across tenants, roles, subjects or mutations', async () => {
    const source = new SubgraphSource('odoo', url, { timeoutMs: 2_000, tokens: new IdentityTokenCache(key) });
    const read = (identity: Identity, operation: 'query' | 'mutation' = 'query', query = '{ ok }') =>
      source.process({
        kind: 'incoming operation',
        request: { query },
        incomingRequestContext: { operation: { operation } },
        context: { identity, tenant: {} as never, stale: [] },
      } as never);
    try {
      answer = { status: 200, body: '{"data":{"ok":true},"extensions":{"stale":[{"type":"Order"}]}}' };
      const before = seen.length;
      const same = await Promise.all([read(agent), read(agent), read(agent)]);
      expect(seen.length - before).toBe(1);
      expect(source.sharedCalls).toBe(2);
      // Each caller gets its own object.
      expect(same[0]).toEqual(same[1]);
      expect(same[0]).not.toBe(same[1]);
      const mark = seen.length;
      await Promise.all([
        read(agent),
        read({ ...agent, tenant: 'globex' }),
        read({ ...agent, roles: ['finance'] }),
        read({ ...agent, subject: 'bob' }),
        read(agent, 'query', '{ ok other }'),
      ]);
      expect(seen.length - mark).toBe(5);
      const beforeMutation = seen.length;
      await Promise.all([read(agent, 'mutation'), read(agent, 'mutation')]);
      expect(seen.length - beforeMutation).toBe(2);
    } finally {
      source.close();
    }
  });

  it('should answer SUBGRAPH_UNAVAILABLE when nothing listens', async () => {
    const source = new SubgraphSource('zendesk', 'http://127.0.0.1:1/graphql', { timeoutMs: 2_000, tokens: new IdentityTokenCache(key) });
    await expect(call(source)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'zendesk' } });
    source.close();
  });

  it('should send a read again on a fresh socket when its reused keep-alive socket was closed by the server, and never a mutation', async () => {
    // A server that answers the first request of each connection and drops the connection at the
    // second: what a client sees when the server closes an idle socket as a request leaves on it.
    let requests = 0;
    const dropper = createServer((req, res) => {
      requests += 1;
      const n = ((req.socket as { served?: number }).served ?? 0) + 1;
      (req.socket as { served?: number }).served = n;
      if (n > 1) {
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"ok":true}}'));
    });
    await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', r));
    const at = `http://127.0.0.1:${(dropper.address() as AddressInfo).port}/graphql`;
    const source = new SubgraphSource('odoo', at, { timeoutMs: 2_000, tokens: new IdentityTokenCache(key) });
    const send = (operation: 'query' | 'mutation') =>
      source.process({
        kind: 'incoming operation',
        request: { query: operation === 'query' ? '{ ok }' : 'mutation { ok }' },
        incomingRequestContext: { operation: { operation } },
        context: { identity: agent, tenant: {} as never, stale: [] },
      } as never);
    try {
      expect(await send('query')).toMatchObject({ data: { ok: true } }); // opens a pooled socket
      expect(await send('query')).toMatchObject({ data: { ok: true } }); // dropped on the reused socket, then sent again on a connection of its own
      expect(requests).toBe(3);
      expect(source.resentCalls).toBe(1);
      expect(await send('query')).toMatchObject({ data: { ok: true } }); // a new pooled socket
      await expect(send('mutation')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }); // dropped on it: not sent again
      expect(requests).toBe(5);
      expect(source.resentCalls).toBe(1);
    } finally {
      source.close();
      await new Promise((r) => dropper.close(r));
    }
  });
});
