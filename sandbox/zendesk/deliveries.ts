/**
 * Outbound webhook requests of the emulator: each payload is POSTed, signed, to every active
 * webhook of its account subscribed to its event type, with the headers Zendesk sends
 * (developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/, UPSTREAMS.md 3.4):
 *
 * ```
 * content-type: application/json; charset=utf-8
 * user-agent: Zendesk Webhook
 * x-zendesk-account-id, x-zendesk-webhook-id, x-zendesk-webhook-invocation-id
 * x-zendesk-webhook-signature: base64(HMAC_SHA256(signing secret, timestamp + raw body))
 * x-zendesk-webhook-signature-timestamp: 2021-03-25T05:09:27Z
 * ```
 *
 * Deliveries run in the background, never block or fail the API call that caused them, go out in
 * order per webhook, and give up after a short timeout. Zendesk retries failed requests; the
 * emulator does not (a lost delivery stays lost, which is what the subgraph's recovery poller is
 * for). Every delivery is recorded for tests, and the last one can be sent again verbatim (same
 * timestamp, signature and body) to prove that the receiver refuses replays: a method of the running
 * emulator, not an HTTP route.
 */
import { createHmac, randomInt } from 'node:crypto';
import { isoSeconds } from './records';
import type { TicketEventPayload } from './ticket-events';
import type { WebhookRecord } from './webhooks';

/** One request sent to a webhook endpoint. */
export interface WebhookDelivery {
  readonly tenant: string;
  readonly webhookId: string;
  readonly invocationId: string;
  /** The payload's `id` and `type`. */
  readonly eventId: string;
  readonly eventType: string;
  readonly ticketId: number;
  readonly endpoint: string;
  /** Exactly the headers sent (signature included: these are sandbox secrets). */
  readonly headers: Readonly<Record<string, string>>;
  /** Exactly the body sent. */
  readonly body: string;
  /** The answer's HTTP status; `timeout` / `error` when none came; `pending` while on the way. */
  status: number | 'timeout' | 'error' | 'pending';
}

/** What tests see of the deliveries of a running emulator. */
export interface WebhookDeliveries {
  /** Deliveries so far (of one tenant), oldest first (the most recent 1000 are kept). */
  list(tenant?: string): readonly WebhookDelivery[];
  count(tenant?: string): number;
  last(tenant?: string): WebhookDelivery | undefined;
  /** Resolves once every delivery queued so far has its answer (or gave up). */
  settled(): Promise<void>;
  /**
   * Sends the last delivery (of one tenant) again, byte for byte, and resolves the answer's status;
   * the replay is not recorded as a delivery. Rejects when there was none.
   */
  replayLast(tenant?: string): Promise<number | 'timeout' | 'error'>;
}

/** The signature Zendesk puts in `x-zendesk-webhook-signature`. */
export const signWebhook = (secret: string, timestamp: string, body: string): string =>
  createHmac('sha256', secret)
    .update(timestamp + body)
    .digest('base64');

const MAX_KEPT = 1000;

export interface DispatcherOptions {
  /** Budget per request in ms. @default 5000 */
  timeoutMs?: number;
  /** Clock for the signature timestamp. @default Date.now */
  now?: () => number;
}

/** Sends and records webhook deliveries; one per emulator. */
export class WebhookDispatcher implements WebhookDeliveries {
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #closed = new AbortController();
  readonly #records: WebhookDelivery[] = [];
  readonly #queues = new Map<string, Promise<void>>();
  #invocation = randomInt(1_000_000_000, 2_000_000_000);

  constructor(opts: DispatcherOptions = {}) {
    this.#timeoutMs = opts.timeoutMs ?? 5_000;
    this.#now = opts.now ?? Date.now;
  }

  /** Queues one signed request per payload to `webhook`; returns at once. */
  dispatch(tenant: string, accountId: number, webhook: WebhookRecord, secret: string, payloads: readonly TicketEventPayload[]): void {
    if (this.#closed.signal.aborted) return;
    for (const payload of payloads) {
      const body = JSON.stringify(payload);
      const timestamp = isoSeconds(this.#now());
      const invocationId = String(this.#invocation++);
      const delivery: WebhookDelivery = {
        tenant,
        webhookId: webhook.id,
        invocationId,
        eventId: payload.id,
        eventType: payload.type,
        ticketId: Number(payload.detail['id']),
        endpoint: webhook.endpoint,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Zendesk Webhook',
          'x-zendesk-account-id': String(accountId),
          'x-zendesk-webhook-id': webhook.id,
          'x-zendesk-webhook-invocation-id': invocationId,
          'x-zendesk-webhook-signature': signWebhook(secret, timestamp, body),
          'x-zendesk-webhook-signature-timestamp': timestamp,
        },
        body,
        status: 'pending',
      };
      this.#records.push(delivery);
      if (this.#records.length > MAX_KEPT) this.#records.splice(0, this.#records.length - MAX_KEPT);
      const previous = this.#queues.get(webhook.id) ?? Promise.resolve();
      const next = previous.then(async () => {
        delivery.status = await this.#send(delivery);
      });
      this.#queues.set(webhook.id, next);
      void next.finally(() => {
        if (this.#queues.get(webhook.id) === next) this.#queues.delete(webhook.id);
      });
    }
  }

  async #send(d: Pick<WebhookDelivery, 'endpoint' | 'headers' | 'body'>): Promise<number | 'timeout' | 'error'> {
    if (this.#closed.signal.aborted) return 'error';
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    try {
      const res = await fetch(d.endpoint, {
        method: 'POST',
        headers: d.headers,
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.any([deadline, this.#closed.signal]),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch {
      return deadline.aborted ? 'timeout' : 'error';
    }
  }

  list(tenant?: string): readonly WebhookDelivery[] {
    return tenant === undefined ? [...this.#records] : this.#records.filter((d) => d.tenant === tenant);
  }
  count(tenant?: string): number {
    return this.list(tenant).length;
  }
  last(tenant?: string): WebhookDelivery | undefined {
    return this.list(tenant).at(-1);
  }
  async settled(): Promise<void> {
    while (this.#queues.size > 0) await Promise.allSettled([...this.#queues.values()]);
  }
  async replayLast(tenant?: string): Promise<number | 'timeout' | 'error'> {
    const last = this.last(tenant);
    if (!last) throw new Error(`no webhook delivery${tenant ? ` for ${tenant}` : ''} to replay`);
    return this.#send(last);
  }

  /** Aborts deliveries on the way and sends no more. Idempotent. */
  close(): void {
    this.#closed.abort();
  }
}
