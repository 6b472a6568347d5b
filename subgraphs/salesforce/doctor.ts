/**
 * The Salesforce doctor: for one tenant, whether its org is reachable, the client credentials get a
 * token, the configured REST API version is offered, the Account external-id field exists and is
 * an external id, and how much of the daily API allowance is left (`Sforce-Limit-Info`).
 */
import type { Logger } from 'pino';
import type { TenantConfig } from '../../tenancy/registry';
import { describeRef, resolveSecret, type SecretSource } from '../../platform/secrets';
import { describeError, FindingList, type DoctorFinding } from '../kit/doctor';
import { isRecord, upstreamFetch, type UpstreamResponse } from '../kit/http';
import { isSoqlFieldName } from './client';

/** The OAuth / REST error code of an answer (never its message, which may echo input). */
function errorCodeOf(body: unknown): string | undefined {
  if (Array.isArray(body) && isRecord(body[0]) && typeof body[0]['errorCode'] === 'string') return body[0]['errorCode'];
  if (isRecord(body) && typeof body['error'] === 'string') return body['error'];
  return undefined;
}

/** Share of the daily allowance used, from `Sforce-Limit-Info: api-usage=18/5000`. */
function apiUsage(res: UpstreamResponse): { used: number; limit: number } | undefined {
  const m = /api-usage=(\d+)\/(\d+)/.exec(res.headers.get('sforce-limit-info') ?? '');
  return m ? { used: Number(m[1]), limit: Number(m[2]) } : undefined;
}

/** The Salesforce doctor of one tenant. Never throws. */
export async function salesforceDoctor(tenant: TenantConfig, secrets: SecretSource, _log: Logger): Promise<DoctorFinding[]> {
  const out = new FindingList(tenant.id, 'salesforce');
  const sf = tenant.upstreams.salesforce;
  const loginUrl = sf.loginUrl.replace(/\/+$/, '');
  let clientId: string;
  let clientSecret: string;
  try {
    clientId = resolveSecret(sf.clientId, secrets);
    clientSecret = resolveSecret(sf.clientSecret, secrets);
  } catch (err) {
    out.fail('credentials', describeError(err));
    return out.findings;
  }

  // Token (reachability and credentials in one exchange).
  let session: { token: string; instanceUrl: string };
  try {
    const res = await upstreamFetch('salesforce', `${loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
      timeoutMs: sf.timeoutMs,
    });
    const body = res.json;
    if (res.status === 200 && isRecord(body) && typeof body['access_token'] === 'string' && typeof body['instance_url'] === 'string') {
      out.ok('reachability', `token endpoint answers at ${loginUrl}`);
      out.ok('credentials', `client credentials accepted; instance ${body['instance_url']}`);
      session = { token: body['access_token'], instanceUrl: body['instance_url'].replace(/\/+$/, '') };
    } else if (res.status >= 400 && res.status < 500 && errorCodeOf(body) !== undefined) {
      out.ok('reachability', `token endpoint answers at ${loginUrl}`);
      out.fail(
        'credentials',
        `Salesforce refused the client credentials (${res.status} ${errorCodeOf(body) ?? ''}): check ${describeRef(sf.clientId)} and ${describeRef(sf.clientSecret)} and the connected app's client-credentials flow`,
      );
      return out.findings;
    } else {
      out.fail(
        'reachability',
        `${loginUrl}/services/oauth2/token answered HTTP ${res.status}${res.json === undefined ? ' without JSON' : ''}: not a Salesforce token endpoint (check upstreams.salesforce.loginUrl)`,
      );
      return out.findings;
    }
  } catch (err) {
    out.fail('reachability', `unreachable at ${loginUrl}: ${describeError(err)}`);
    return out.findings;
  }

  const get = (path: string): Promise<UpstreamResponse> =>
    upstreamFetch('salesforce', `${session.instanceUrl}${path}`, {
      headers: { authorization: `Bearer ${session.token}`, accept: 'application/json' },
      timeoutMs: sf.timeoutMs,
    });

  // API version.
  try {
    const res = await get('/services/data/');
    const versions = Array.isArray(res.json) ? res.json.filter(isRecord).map((v) => String(v['version'] ?? '')) : [];
    const latest = versions.at(-1) ?? 'unknown';
    if (res.status !== 200 || versions.length === 0)
      out.warn('api version', `the version list (GET /services/data/) answered HTTP ${res.status}; ${sf.apiVersion} not confirmed`);
    else if (versions.includes(sf.apiVersion)) out.ok('api version', `${sf.apiVersion} offered (latest ${latest})`);
    else {
      out.fail('api version', `${sf.apiVersion} is not offered by this org (offered ${versions[0] ?? ''} to ${latest}): set upstreams.salesforce.apiVersion`);
      return out.findings;
    }
  } catch (err) {
    out.fail('api version', `the version list could not be read: ${describeError(err)}`);
    return out.findings;
  }

  // External-id field of Account.
  const field = sf.accountExternalIdField;
  const matchesById = tenant.matching.salesforce.includes('external_id');
  if (!isSoqlFieldName(field)) {
    out.fail('external id field', `${field} is not a Salesforce field name`);
    return out.findings;
  }
  try {
    const res = await get(`/services/data/v${sf.apiVersion}/sobjects/Account/describe`);
    if (res.status !== 200 || !isRecord(res.json) || !Array.isArray(res.json['fields'])) {
      out.warn(
        'external id field',
        `describe of Account answered HTTP ${res.status}${errorCodeOf(res.json) ? ` ${errorCodeOf(res.json) ?? ''}` : ''}: Account.${field} not confirmed`,
      );
    } else {
      const found = res.json['fields'].filter(isRecord).find((f) => String(f['name']).toLowerCase() === field.toLowerCase());
      if (!found) {
        out.add(
          'external id field',
          matchesById ? 'fail' : 'warn',
          `Account has no field ${field}${matchesById ? ': matching by external_id fails for every customer' : ''} (set upstreams.salesforce.accountExternalIdField)`,
        );
      } else if (found['externalId'] !== true) {
        out.warn('external id field', `Account.${String(found['name'])} exists but is not an External ID field: lookups by it are not indexed`);
      } else {
        out.ok('external id field', `Account.${String(found['name'])} (${String(found['type'] ?? '?')}, External ID)`);
      }
    }
    const usage = apiUsage(res);
    if (usage) {
      const left = usage.limit - usage.used;
      const detail = `${usage.used} of ${usage.limit} daily API requests used (${left} left)`;
      if (left <= usage.limit * 0.1) out.warn('api usage', `${detail}: close to REQUEST_LIMIT_EXCEEDED`);
      else out.ok('api usage', detail);
    } else out.ok('api usage', 'not reported (no Sforce-Limit-Info header)');
  } catch (err) {
    out.fail('external id field', `describe of Account failed: ${describeError(err)}`);
  }
  return out.findings;
}
