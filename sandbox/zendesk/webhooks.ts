/**
 * The Webhooks API of the emulator (developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/):
 * webhooks per account, each with its own signing secret, readable through
 * `GET /api/v2/webhooks/{id}/signing_secret`.
 *
 * - `POST /api/v2/webhooks` `{"webhook": {name, endpoint, http_method, request_format, status,
 *   subscriptions}}` → 201 `{"webhook": {...}}`. A webhook subscribed to Zendesk events must use
 *   POST and json, as Zendesk requires.
 * - `GET /api/v2/webhooks` → `{"webhooks": [...], "meta", "links"}` (cursor-style keys, one page:
 *   an account holds at most a handful of webhooks).
 * - `GET|PUT|PATCH|DELETE /api/v2/webhooks/{id}`: show (200), update (204), delete (204).
 * - `GET /api/v2/webhooks/{id}/signing_secret` → `{"signing_secret": {"algorithm": "SHA256", "secret"}}`;
 *   `POST` there resets it.
 *
 * Simplifications (unconfirmed details of the real API): error bodies use the `{"errors": [{code,
 * title, detail}]}` envelope; the signing secret is never part of a shown webhook; `authentication`,
 * `custom_headers` and cloning are not supported; only admins may use these endpoints (403 else).
 * Webhooks live beside the account data: a data re-seed keeps them.
 */
import { randomBytes } from 'node:crypto';
import { jsonReply, type SandboxReply } from '../kit/emulator';
import { isRecord, isoSeconds } from './records';

/** The event types a webhook may subscribe to (`conditional_ticket_events` = connected to triggers, which the emulator does not run). */
export const CONDITIONAL_TICKET_EVENTS = 'conditional_ticket_events';

/** A webhook as the Webhooks API shows it (its signing secret is kept apart). */
export interface WebhookRecord {
  id: string;
  name: string;
  description: string | null;
  endpoint: string;
  http_method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  request_format: 'json' | 'xml' | 'form_encoded';
  status: 'active' | 'inactive';
  subscriptions: string[];
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

interface StoredWebhook {
  record: WebhookRecord;
  secret: string;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const FORMATS = ['json', 'xml', 'form_encoded'] as const;
const STATUSES = ['active', 'inactive'] as const;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id, as Zendesk's webhook ids are (`01F1KRFQ6BG29CNWFR60NK5FNY`). */
export function webhookId(now: number): string {
  let time = '';
  let t = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const random = [...randomBytes(16)].map((b) => CROCKFORD[b % 32]).join('');
  return time + random;
}

/** A fresh signing secret (used as the HMAC key exactly as shown, UPSTREAMS.md 3.4). */
const newSecret = (): string => randomBytes(32).toString('base64url');

/** The numeric account id Zendesk puts in `x-zendesk-account-id` and `account_id`: stable per tenant. */
export function accountIdOf(tenant: string): number {
  let h = 2166136261;
  for (const ch of tenant) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return 10_000_000 + (h % 89_999_999);
}

/** Every account's webhooks, kept across data re-seeds. */
export class WebhookRegistry {
  readonly #byTenant = new Map<string, Map<string, StoredWebhook>>();

  #of(tenant: string): Map<string, StoredWebhook> {
    let m = this.#byTenant.get(tenant);
    if (!m) this.#byTenant.set(tenant, (m = new Map()));
    return m;
  }

  list(tenant: string): WebhookRecord[] {
    return [...this.#of(tenant).values()].map((w) => w.record);
  }
  get(tenant: string, id: string): WebhookRecord | undefined {
    return this.#of(tenant).get(id)?.record;
  }
  secretOf(tenant: string, id: string): string | undefined {
    return this.#of(tenant).get(id)?.secret;
  }
  add(tenant: string, record: WebhookRecord): void {
    this.#of(tenant).set(record.id, { record, secret: newSecret() });
  }
  resetSecret(tenant: string, id: string): string | undefined {
    const w = this.#of(tenant).get(id);
    if (!w) return undefined;
    w.secret = newSecret();
    return w.secret;
  }
  delete(tenant: string, id: string): boolean {
    return this.#of(tenant).delete(id);
  }
  /** Active webhooks of an account subscribed to `eventType`, with their secrets. */
  subscribers(tenant: string, eventType: string): Array<{ webhook: WebhookRecord; secret: string }> {
    return [...this.#of(tenant).values()]
      .filter((w) => w.record.status === 'active' && w.record.subscriptions.includes(eventType))
      .map((w) => ({ webhook: w.record, secret: w.secret }));
  }
}

/** The Webhooks API's error envelope (shape unconfirmed, see the module comment). */
export const webhookError = (status: number, code: string, detail: string): SandboxReply =>
  jsonReply(status, { errors: [{ code, title: code.replace(/([a-z])([A-Z])/g, '$1 $2'), detail }] });

const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

/** The validated fields of a create or update, or the 400 answer. */
export type WebhookInput = { ok: true; fields: Partial<WebhookRecord> } | { ok: false; reply: SandboxReply };

/**
 * Reads `{"webhook": {...}}` of a create (`partial: false`, every mandatory field) or an update
 * (`partial: true`, PATCH: only the given fields; PUT sends them all anyway).
 */
export function readWebhookInput(rawBody: Buffer, partial: boolean): WebhookInput {
  let parsed: unknown;
  try {
    parsed = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
  } catch {
    return { ok: false, reply: webhookError(400, 'InvalidJSON', 'The request body is not valid JSON') };
  }
  if (!isRecord(parsed) || !isRecord(parsed.webhook)) return { ok: false, reply: webhookError(400, 'InvalidInput', 'webhook is required') };
  const w = parsed.webhook;
  const fields: Partial<WebhookRecord> = {};
  const problems: string[] = [];
  const want = (key: string): boolean => key in w || !partial;
  if (want('name')) {
    if (typeof w.name === 'string' && w.name.trim() !== '') fields.name = w.name;
    else problems.push('name is required');
  }
  if (want('endpoint')) {
    if (isHttpUrl(w.endpoint)) fields.endpoint = w.endpoint;
    else problems.push('endpoint must be an http(s) URL');
  }
  if (want('http_method')) {
    if (oneOf(HTTP_METHODS, w.http_method)) fields.http_method = w.http_method;
    else problems.push(`http_method must be one of ${HTTP_METHODS.join(', ')}`);
  }
  if (want('request_format')) {
    if (oneOf(FORMATS, w.request_format)) fields.request_format = w.request_format;
    else problems.push(`request_format must be one of ${FORMATS.join(', ')}`);
  }
  if (want('status')) {
    if (oneOf(STATUSES, w.status)) fields.status = w.status;
    else problems.push(`status must be one of ${STATUSES.join(', ')}`);
  }
  if ('subscriptions' in w) {
    if (Array.isArray(w.subscriptions) && w.subscriptions.every((s) => typeof s === 'string')) fields.subscriptions = [...new Set(w.subscriptions as string[])];
    else problems.push('subscriptions must be an array of strings');
  } else if (!partial) fields.subscriptions = [];
  if ('description' in w) {
    if (w.description === null || typeof w.description === 'string') fields.description = w.description;
    else problems.push('description must be a string');
  }
  if (problems.length > 0) return { ok: false, reply: webhookError(400, 'InvalidInput', problems.join('; ')) };
  return { ok: true, fields };
}

/** Event-subscribed webhooks must POST JSON (Zendesk refuses anything else); undefined when the webhook is consistent. */
export function webhookConflict(w: Pick<WebhookRecord, 'subscriptions' | 'http_method' | 'request_format'>): SandboxReply | undefined {
  const events = w.subscriptions.filter((s) => s !== CONDITIONAL_TICKET_EVENTS);
  if (events.length > 0 && w.subscriptions.includes(CONDITIONAL_TICKET_EVENTS)) {
    return webhookError(400, 'InvalidInput', 'A webhook connected to triggers cannot subscribe to Zendesk events');
  }
  if (events.length > 0 && (w.http_method !== 'POST' || w.request_format !== 'json')) {
    return webhookError(400, 'InvalidInput', 'A webhook subscribed to Zendesk events must use POST and json');
  }
  return undefined;
}

/** A new webhook record from a validated create. */
export function newWebhookRecord(fields: Partial<WebhookRecord>, actorId: number, now: number): WebhookRecord {
  const at = isoSeconds(now);
  return {
    id: webhookId(now),
    name: fields.name ?? '',
    description: fields.description ?? null,
    endpoint: fields.endpoint ?? '',
    http_method: fields.http_method ?? 'POST',
    request_format: fields.request_format ?? 'json',
    status: fields.status ?? 'active',
    subscriptions: fields.subscriptions ?? [],
    created_at: at,
    created_by: String(actorId),
    updated_at: at,
    updated_by: String(actorId),
  };
}
