/**
 * Zendesk's webhook signature (developer.zendesk.com/documentation/webhooks/verifying/, UPSTREAMS.md
 * 3.4): `x-zendesk-webhook-signature` is `base64(HMAC_SHA256(signing secret, timestamp + raw body))`,
 * `x-zendesk-webhook-signature-timestamp` the literal ISO timestamp that was signed. The secret is
 * used as given (the docs' Node example does not base64-decode it). Compared in constant time; a
 * timestamp more than {@link MAX_SIGNATURE_SKEW_MS} away from now is refused, so a captured request
 * cannot be replayed later (within the window, the receiver refuses it by its event id).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const SIGNATURE_TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
/** How far a signature's timestamp may be from now, either way. */
export const MAX_SIGNATURE_SKEW_MS = 5 * 60_000;

/** `ok`, or why a request is refused. */
export type SignatureVerdict = 'ok' | 'missing' | 'invalid' | 'stale';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
/** A base64 SHA-256 digest: 32 bytes. */
const DIGEST_B64 = /^[A-Za-z0-9+/]{43}=$/;

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  /** The raw body exactly as received. */
  body: Buffer;
}

/** Checks a request's signature with `secret`, then its timestamp against `now` (epoch ms). */
export function verifyZendeskSignature(req: SignedRequest, secret: string, now: number, maxSkewMs = MAX_SIGNATURE_SKEW_MS): SignatureVerdict {
  const { signature, timestamp, body } = req;
  if (!signature || !timestamp) return 'missing';
  const expected = createHmac('sha256', secret).update(timestamp, 'utf8').update(body).digest();
  const given = DIGEST_B64.test(signature) ? Buffer.from(signature, 'base64') : Buffer.alloc(expected.length);
  // Always one constant-time comparison of equal lengths; a malformed header compares zeros and fails.
  const matches = timingSafeEqual(expected, given) && DIGEST_B64.test(signature);
  if (!matches) return 'invalid';
  const at = ISO_UTC.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at) || Math.abs(now - at) > maxSkewMs) return 'stale';
  return 'ok';
}
