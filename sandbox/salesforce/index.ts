/**
 * The Salesforce REST emulator: OAuth 2.0 client credentials, SOQL queries with pagination,
 * sObject retrieve (single, by external id, composite), create and update (which keep
 * SystemModstamp and LastModifiedDate), describe, and Salesforce's error arrays,
 * `Sforce-Limit-Info` header and daily API limit, one org per tenant seeded from the tenant's world.
 */
import type { SalesforceTenantCredentials } from '../credentials';
import {
  ANONYMOUS,
  startEmulator,
  type Classified,
  type EmulatorDefinition,
  type EmulatorOptions,
  type RunningEmulator,
  type SandboxReply,
  type SandboxRequest,
} from '../kit/emulator';
import { buildWorld } from '../world';
import { TokenIssuer, tokenParams } from './auth';
import { SfError, limitExceeded, notFound, sessionInvalid, unknownException } from './errors';
import { handleData } from './routes';
import { sobjectNamed } from './schema';
import { seedOrg } from './seed';
import { fromObjectOf } from './soql/parse';
import type { OrgStore } from './store';

export { seedOrg } from './seed';
export { OrgStore } from './store';
export { SfErrorCode } from './errors';

export interface SalesforceEmulatorOptions {
  /** REST calls an org may make before answering 403 REQUEST_LIMIT_EXCEEDED. @default 100_000 */
  dailyApiLimit?: number;
  /**
   * Rows per query page when the request sends no `Sforce-Query-Options: batchSize=N` (which is
   * clamped to 200..2000 as Salesforce does). Any positive size is accepted here so tests can page
   * through small result sets. @default 2000
   */
  batchSize?: number;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const TOKEN_PATH = '/services/oauth2/token';
const DATA_PATH = /^\/services\/data\/v(\d+\.\d+)(?:\/(.*))?$/;
/** API versions listed by `GET /services/data/` (any version is served). */
const VERSIONS = Array.from({ length: 66 - 20 + 1 }, (_, i) => 20 + i);
const SEASONS = ['Winter', 'Spring', 'Summer'];

const versionList = (): Array<{ label: string; url: string; version: string }> =>
  VERSIONS.map((v) => ({
    label: `${SEASONS[(v - 20) % 3]!} '${String(11 + Math.floor((v - 20) / 3)).padStart(2, '0')}`,
    url: `/services/data/v${v}.0`,
    version: `${v}.0`,
  }));

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`Salesforce emulator: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

const segmentsOf = (rest: string | undefined): string[] =>
  (rest ?? '')
    .replace(/\/+$/, '')
    .split('/')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });

/** Creates the emulator definition for the given tenants (one org each). */
export function createSalesforceEmulator(tenants: SalesforceTenantCredentials[], opts: SalesforceEmulatorOptions = {}): EmulatorDefinition {
  const { dailyApiLimit = 100_000, batchSize = 2000 } = opts;
  positiveInt('dailyApiLimit', dailyApiLimit);
  positiveInt('batchSize', batchSize);
  if (tenants.length === 0) throw new RangeError('Salesforce emulator: at least one tenant is required');
  for (const key of ['tenant', 'clientId'] as const) {
    const seen = new Set<string>();
    for (const t of tenants) {
      if (seen.has(t[key])) throw new RangeError(`Salesforce emulator: duplicate ${key} ${JSON.stringify(key === 'tenant' ? t.tenant : '<redacted>')}`);
      seen.add(t[key]);
    }
  }

  const issuer = new TokenIssuer(tenants);
  const seedAll = (): Map<string, OrgStore> => new Map(tenants.map((t) => [t.tenant, seedOrg(buildWorld(t.tenant))]));
  let orgs = seedAll();

  const limitHeaders = (org: OrgStore | undefined): Record<string, string> => ({
    'content-type': JSON_TYPE,
    ...(org ? { 'sforce-limit-info': `api-usage=${org.apiUsage}/${dailyApiLimit}` } : {}),
  });
  const errorReply = (err: SfError, org: OrgStore | undefined): SandboxReply => ({
    status: err.status,
    headers: limitHeaders(org),
    body: JSON.stringify(err.toBody()),
  });

  function classify(req: SandboxRequest): Classified {
    const path = req.url.pathname;
    if (path === TOKEN_PATH) {
      const tenant = issuer.tenantOfClientId(tokenParams(req.body, req.url).get('client_id'));
      return { tenant: tenant ?? ANONYMOUS, op: `${req.method} ${TOKEN_PATH}` };
    }
    const tenant = issuer.tenantOf(req.headers.authorization) ?? ANONYMOUS;
    const match = DATA_PATH.exec(path);
    if (!match) return { tenant, op: path.replace(/\/+$/, '') === '/services/data' ? 'GET versions' : `${req.method} other` };
    const [head, ...rest] = segmentsOf(match[2]);
    const typeName = (raw: string | undefined): string => (raw === undefined ? '?' : (sobjectNamed(raw)?.name ?? raw));
    if (head === 'query' || head === 'queryAll') {
      if (rest.length > 0) return { tenant, op: 'SOQL next' };
      const from = fromObjectOf(req.url.searchParams.get('q') ?? '');
      return { tenant, op: `SOQL ${typeName(from)}` };
    }
    if (head === 'sobjects' && rest.length > 0) {
      return {
        tenant,
        op: rest[1] === 'describe' && rest.length === 2 ? `GET sobjects/${typeName(rest[0])}/describe` : `${req.method} sobjects/${typeName(rest[0])}`,
      };
    }
    if (head === 'composite' && rest[0] === 'sobjects') return { tenant, op: `${req.method} composite/sobjects/${typeName(rest[1])}` };
    return { tenant, op: `${req.method} ${head ?? ''}` };
  }

  function handle(req: SandboxRequest, who: Classified): SandboxReply {
    const path = req.url.pathname;
    const baseUrl = `${req.url.protocol}//${req.url.host}`;
    if (path === TOKEN_PATH) {
      if (req.method !== 'POST') return errorReply(notFound(), undefined);
      return issuer.issue(tokenParams(req.body, req.url), baseUrl, (tenant) => orgs.get(tenant));
    }
    // The versions list needs no session and, as on Salesforce, carries no Sforce-Limit-Info.
    if (path.replace(/\/+$/, '') === '/services/data') return { status: 200, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(versionList()) };
    const match = DATA_PATH.exec(path);
    if (!match) return errorReply(notFound(), undefined);
    const org = who.tenant === ANONYMOUS ? undefined : orgs.get(who.tenant);
    if (!org) return errorReply(sessionInvalid(), undefined);
    if (org.apiUsage >= dailyApiLimit) return errorReply(limitExceeded(), org);
    org.apiUsage += 1;
    try {
      const reply = handleData({ req, org, version: match[1]!, segments: segmentsOf(match[2]), defaultBatchSize: batchSize, dailyApiLimit });
      return { status: reply.status, headers: limitHeaders(org), body: reply.body === undefined ? '' : JSON.stringify(reply.body) };
    } catch (err) {
      if (err instanceof SfError) return errorReply(err, org);
      throw err;
    }
  }

  return {
    name: 'salesforce',
    classify,
    handle,
    faultReply(kind, _req, who) {
      const org = who.tenant === ANONYMOUS ? undefined : orgs.get(who.tenant);
      return errorReply(kind === 'rate_limit' ? limitExceeded() : unknownException(), org);
    },
    /** Fresh orgs: seeded records (updates dropped), no open cursors, and a new API day. Tokens stay valid. */
    reseed() {
      orgs = seedAll();
    },
  };
}

/** Starts the Salesforce emulator on its own HTTP server (port 0 for an ephemeral port). */
export async function startSalesforceEmulator(
  opts: EmulatorOptions & SalesforceEmulatorOptions & { tenants: SalesforceTenantCredentials[] },
): Promise<RunningEmulator> {
  const { tenants, dailyApiLimit, batchSize, ...emulatorOptions } = opts;
  return startEmulator(
    createSalesforceEmulator(tenants, { ...(dailyApiLimit !== undefined ? { dailyApiLimit } : {}), ...(batchSize !== undefined ? { batchSize } : {}) }),
    emulatorOptions,
  );
}
