/**
 * Public webhook intake: `POST /webhooks/<upstream>/<tenant>` is handed, body and headers as they
 * came, to the subgraph that owns the upstream, which verifies the signature and publishes the
 * change (the gateway holds no upstream secret). The subgraph's status is the answer.
 */
import express from 'express';
import type { Logger } from 'pino';

const FORWARDED = /^(content-type|x-zendesk-.*|user-agent)$/i;

export function forwardWebhooks(app: express.Express, targets: Readonly<Record<string, string>>, log: Logger, limit = '512kb'): void {
  app.post('/webhooks/:upstream/:tenant', express.raw({ type: () => true, limit }), async (req, res) => {
    const upstream = String(req.params['upstream']);
    const base = Object.hasOwn(targets, upstream) ? targets[upstream] : undefined;
    if (!base) {
      res.status(404).json({ error: 'no such webhook' });
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (FORWARDED.test(name) && typeof value === 'string') headers[name] = value;
    try {
      const target = new URL(`/webhooks/${encodeURIComponent(upstream)}/${encodeURIComponent(String(req.params['tenant']))}`, base);
      const answer = await fetch(target, {
        method: 'POST',
        headers,
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        signal: AbortSignal.timeout(10_000),
      });
      const body = await answer.text();
      res
        .status(answer.status)
        .type(answer.headers.get('content-type') ?? 'application/json')
        .send(body);
    } catch (err) {
      log.warn({ upstream, err: err instanceof Error ? err.message : String(err) }, 'webhook could not be handed to its subgraph');
      res.status(503).json({ error: 'webhook intake unavailable' });
    }
  });
}
