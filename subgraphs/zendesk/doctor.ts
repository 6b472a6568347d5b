/**
 * The Zendesk doctor: for one tenant, whether the API answers at the configured base, the
 * `email/token` pair authenticates as a real agent (Zendesk answers an unauthenticated
 * `users/me` with 401, or with 200 and the anonymous user `{"id": null, "name": "Anonymous user"}`),
 * and how much rate-limit headroom is left this minute (`X-Rate-Limit` / `X-Rate-Limit-Remaining`,
 * or the `ratelimit-limit` / `ratelimit-remaining` pair).
 */
import type { Logger } from 'pino';
import type { TenantConfig } from '../../tenancy/registry';
import { describeRef, resolveSecret, type SecretSource } from '../../platform/secrets';
import { describeError, FindingList, type DoctorFinding } from '../kit/doctor';
import { isRecord, retryAfterSeconds, upstreamFetch } from '../kit/http';

/** Below this share of the minute's allowance left, the headroom is a warning. */
const LOW_HEADROOM = 0.2;

const headerNumber = (headers: Headers, ...names: string[]): number | undefined => {
  for (const name of names) {
    const raw = headers.get(name);
    // `ratelimit-remaining` may be a structured field (`...;r=12`): take the first number.
    const n = raw === null ? NaN : Number(/\d+/.exec(raw)?.[0]);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
};

/** The Zendesk doctor of one tenant. Never throws. */
export async function zendeskDoctor(tenant: TenantConfig, secrets: SecretSource, _log: Logger): Promise<DoctorFinding[]> {
  const out = new FindingList(tenant.id, 'zendesk');
  const zd = tenant.upstreams.zendesk;
  const base = zd.url.replace(/\/+$/, '');
  let token: string;
  try {
    token = resolveSecret(zd.token, secrets);
  } catch (err) {
    out.fail('credentials', describeError(err));
    return out.findings;
  }
  const authorization = `Basic ${Buffer.from(`${zd.email}/token:${token}`, 'utf8').toString('base64')}`;
  let res;
  try {
    res = await upstreamFetch('zendesk', `${base}/users/me.json`, { headers: { authorization, accept: 'application/json' }, timeoutMs: zd.timeoutMs });
  } catch (err) {
    out.fail('reachability', `unreachable at ${base}: ${describeError(err)}`);
    return out.findings;
  }
  if (res.json === undefined && res.status !== 429) {
    out.fail('reachability', `${base}/users/me.json answered HTTP ${res.status} without JSON: not the Support API base (it ends in /api/v2)`);
    return out.findings;
  }
  out.ok('reachability', `Support API answers at ${base}`);

  const body = res.json;
  const user = isRecord(body) && isRecord(body['user']) ? body['user'] : undefined;
  if (res.status === 401 || res.status === 403) {
    out.fail('credentials', `Zendesk refused ${zd.email} with the token ${describeRef(zd.token)} (HTTP ${res.status})`);
  } else if (res.status === 429) {
    out.warn('credentials', `not checked: throttled (retry after ${retryAfterSeconds(res.headers) ?? '?'} s)`);
  } else if (res.status !== 200 || !user) {
    out.fail('credentials', `users/me answered HTTP ${res.status} without a user`);
  } else if (user['id'] === null || user['id'] === undefined) {
    out.fail(
      'credentials',
      `Zendesk answered as the anonymous user: ${zd.email} with the token ${describeRef(zd.token)} is not accepted (or token access is disabled)`,
    );
  } else {
    const role = String(user['role'] ?? 'unknown');
    const email = typeof user['email'] === 'string' ? user['email'] : '';
    const who = `${String(user['name'] ?? '')} <${email}> #${String(user['id'])}, role ${role}`;
    if (role !== 'agent' && role !== 'admin')
      out.fail('credentials', `authenticated as ${who}: an ${role} cannot read the desk's tickets (use an agent or admin)`);
    else if (email && email.toLowerCase() !== zd.email.toLowerCase()) out.warn('credentials', `authenticated as ${who}, not as the configured ${zd.email}`);
    else out.ok('credentials', `authenticated as ${who}`);
  }

  const limit = headerNumber(res.headers, 'x-rate-limit', 'ratelimit-limit');
  const remaining = headerNumber(res.headers, 'x-rate-limit-remaining', 'ratelimit-remaining');
  if (res.status === 429) out.warn('rate limit', `exhausted: 0 requests left, retry after ${retryAfterSeconds(res.headers) ?? '?'} s`);
  else if (remaining === undefined) out.ok('rate limit', 'headroom not reported (no rate-limit headers)');
  else {
    const detail = `${remaining}${limit !== undefined ? ` of ${limit}` : ''} requests left this minute`;
    if (limit !== undefined && remaining < limit * LOW_HEADROOM) out.warn('rate limit', `${detail}: low headroom, requests will be throttled (429) soon`);
    else out.ok('rate limit', detail);
  }
  return out.findings;
}
