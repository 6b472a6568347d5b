/**
 * The sandbox's Odoo: one server per Odoo version among the tenants (each on its own port, as a
 * real server has one version), one in-memory database per tenant shaped by its profile
 * (profiles.ts), speaking Odoo 18's
 * `/jsonrpc` (common / db / object), the web client's `/web/session/authenticate` +
 * `/web/dataset/call_kw`, and the JSON-2 API. Shapes follow the recorded exchanges in
 * shared/fixtures/odoo; where the emulator and a recording disagree, the emulator is wrong.
 */
import {
  ANONYMOUS,
  jsonReply,
  startEmulator,
  type Classified,
  type EmulatorDefinition,
  type EmulatorOptions,
  type RunningEmulator,
  type SandboxReply,
  type SandboxRequest,
} from '../kit/emulator';
import type { FaultRule } from '../kit/faults';
import type { OdooTenantCredentials } from '../credentials';
import { OdooBackend, type ResolvedTenant, type TenantDb } from './backend';
import { OdooError, type OdooErrorName } from './errors';
import { envelope, handleJsonRoutes, notFoundPage, sessionIdOf } from './jsonrpc';
import { handleJson2, json2Tenant } from './json2';
import { resolveProfile, type OdooProfile, type OdooVersion } from './profiles';
import type { OdooDb } from './store';

export { profileFor, type OdooProfile, type OdooVersion } from './profiles';

export interface OdooEmulatorTenant extends OdooTenantCredentials {
  /**
   * 'world' (default): seeded from buildWorld(tenant); 'empty': a fresh Odoo database (only the
   * records a new Odoo 18 db has: company partner 1, admin user uid 2 with partner 3, warehouse 1
   * 'WH' with stock location 8 'WH/Stock', picking types etc.)
   */
  seed?: 'world' | 'empty';
  /** Overrides of the tenant's profile (`profileFor(tenant)`): version, modules, custom fields, companies, integration user. */
  profile?: Partial<OdooProfile>;
  /** Shorthand for `profile.version` (wins over it; the registry's version arrives here). */
  version?: OdooVersion;
}

/** One emulated Odoo server: its version and the databases it hosts. */
export interface OdooServerInfo {
  version: OdooVersion;
  dbs: readonly string[];
}

export interface OdooEmulatorOptions {
  /** Clock of the emulated server (write dates, "today" of the seed). @default () => new Date() */
  clock?: () => Date;
}

export type OdooEmulator = EmulatorDefinition & {
  /** The servers, primary first (listener i of the running emulator is server i). */
  readonly servers: readonly OdooServerInfo[];
  /** The in-memory database of a tenant (by database name), for tests to look inside. */
  db(name: string): OdooDb;
  /** Chatter messages posted on a record, newest first. */
  messages(dbName: string, model: string, resId: number): Array<{ id: number; body: string; messageType: string }>;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonBody(req: SandboxRequest): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(req.body.toString('utf8'));
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function classify(backend: OdooBackend, req: SandboxRequest): Classified {
  const path = req.url.pathname;
  const anonymous = (op: string): Classified => ({ tenant: ANONYMOUS, op });
  const tenantOf = (t: TenantDb | undefined, op: string): Classified => (t ? { tenant: t.cfg.tenant, op } : anonymous(op));
  if (path.startsWith('/json/2/')) {
    const [, , model = '?', method = '?'] = path.split('/').filter(Boolean);
    return tenantOf(json2Tenant(backend, req), `${model}.${method}`);
  }
  if (path === '/web/version' || path === '/json/version') return anonymous('web.version');
  const params = jsonBody(req)?.params;
  const p = isRecord(params) ? params : {};
  if (path === '/jsonrpc') {
    const args = Array.isArray(p.args) ? p.args : [];
    const service = String(p.service ?? '?');
    const method = String(p.method ?? '?');
    if (service === 'object') {
      const t = backend.byDb(args[0]);
      const op = `${String(args[3] ?? '?')}.${String(args[4] ?? '?')}`;
      return tenantOf(t && backend.validUser(t, args[1], args[2]) ? t : undefined, op);
    }
    if (service === 'common' && (method === 'authenticate' || method === 'login')) {
      const t = backend.byDb(args[0]);
      return tenantOf(t && args[2] === t.cfg.apiKey ? t : undefined, `common.${method}`);
    }
    return anonymous(`${service}.${method}`);
  }
  if (path === '/web/session/authenticate') {
    const t = backend.byDb(p.db);
    return tenantOf(t && p.login === t.cfg.login && p.password === t.cfg.apiKey ? t : undefined, 'web.session.authenticate');
  }
  if (path.startsWith('/web/')) {
    const sid = sessionIdOf(req);
    const session = sid ? backend.sessions.get(sid) : undefined;
    const op = path.startsWith('/web/dataset/call_kw') ? `${String(p.model ?? '?')}.${String(p.method ?? '?')}` : path.slice(1).replace(/\//g, '.');
    return tenantOf(session ? backend.byDb(session.db) : undefined, op);
  }
  return anonymous(`${req.method} ${path}`);
}

function handle(backend: OdooBackend, req: SandboxRequest): SandboxReply {
  const path = req.url.pathname;
  if (path.startsWith('/json/2/') || path === '/json/2') return handleJson2(backend, req);
  if ((path === '/web/version' || path === '/json/version') && req.method === 'GET') {
    const v = backend.version;
    return jsonReply(200, { version_info: v.info, version: v.serie });
  }
  return handleJsonRoutes(backend, req) ?? notFoundPage();
}

/** The error classes a fault rule may name (`{fault: 'error', error: 'odoo.exceptions.AccessError'}`). */
const ODOO_ERROR_NAMES: readonly OdooErrorName[] = [
  'odoo.exceptions.UserError',
  'odoo.exceptions.ValidationError',
  'odoo.exceptions.AccessError',
  'odoo.exceptions.AccessDenied',
  'odoo.exceptions.MissingError',
  'odoo.http.SessionExpiredException',
  'psycopg2.OperationalError',
];

const TRANSIENT_DB_ERROR =
  'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.\n';

function faultReply(backend: OdooBackend, kind: 'error' | 'rate_limit', req: SandboxRequest, rule: FaultRule): SandboxReply {
  if (kind === 'rate_limit') {
    return {
      status: 429,
      headers: { 'content-type': 'text/html', 'retry-after': String(rule.retryAfterSeconds ?? 1) },
      body: '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    };
  }
  const name = ODOO_ERROR_NAMES.find((n) => n === rule.error);
  const err = name
    ? new OdooError(name, `${name.split('.').pop() ?? 'Error'} (injected by the sandbox)`)
    : new OdooError('psycopg2.OperationalError', TRANSIENT_DB_ERROR);
  if (req.url.pathname.startsWith('/json/2/'))
    return { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(err.toData()) };
  return envelope(backend, jsonBody(req)?.id ?? null, { error: err });
}

/** The tenants grouped into servers by version, in order of first appearance. */
function groupServers(tenants: readonly OdooEmulatorTenant[]): Array<{ version: OdooVersion; tenants: ResolvedTenant[] }> {
  const servers: Array<{ version: OdooVersion; tenants: ResolvedTenant[] }> = [];
  for (const t of tenants) {
    const profile = resolveProfile(t.tenant, t.profile, t.version);
    let server = servers.find((s) => s.version === profile.version);
    if (!server) servers.push((server = { version: profile.version, tenants: [] }));
    server.tenants.push({ ...t, profile });
  }
  if (servers.length === 0) servers.push({ version: '18.0', tenants: [] });
  return servers;
}

/** The Odoo emulator as a definition for `startEmulator`, plus direct access to its databases. */
export function createOdooEmulator(tenants: OdooEmulatorTenant[], options: OdooEmulatorOptions = {}): OdooEmulator {
  const dbs = new Set<string>();
  for (const t of tenants) {
    if (dbs.has(t.db)) throw new Error(`odoo emulator: database ${t.db} is configured twice`);
    dbs.add(t.db);
  }
  const backends = groupServers(tenants).map((s) => new OdooBackend(s.version, s.tenants, options.clock));
  const backendOf = (req: SandboxRequest): OdooBackend => backends[req.listener] ?? (backends[0] as OdooBackend);
  const dbOf = (name: string): OdooDb => {
    for (const b of backends) {
      const t = b.byDb(name);
      if (t) return t.db;
    }
    throw new RangeError(`odoo emulator: no database ${name}`);
  };
  return {
    name: 'odoo',
    servers: backends.map((b) => ({ version: b.version.serie, dbs: b.dbNames() })),
    classify: (req) => {
      try {
        return classify(backendOf(req), req);
      } catch {
        return { tenant: ANONYMOUS, op: `${req.method} ${req.url.pathname}` };
      }
    },
    handle: (req) => handle(backendOf(req), req),
    faultReply: (kind, req, _who, rule) => faultReply(backendOf(req), kind, req, rule),
    reseed: () => {
      for (const b of backends) b.reseed();
    },
    db: dbOf,
    messages: (dbName, model, resId) =>
      dbOf(dbName)
        .all('mail.message')
        .filter((m) => m.model === model && m.res_id === resId)
        .sort((a, b) => b.id - a.id)
        .map((m) => ({ id: m.id, body: String(m.body ?? ''), messageType: String(m.message_type ?? '') })),
  };
}

export interface RunningOdooEmulator extends RunningEmulator {
  /** The servers with their base URLs, primary (`url`) first. */
  readonly servers: ReadonlyArray<OdooServerInfo & { url: string }>;
  /** Base URL of the server that hosts database `db`. */
  urlOf(db: string): string;
  /** The in-memory database (for tests to look inside). */
  db(name: string): OdooDb;
}

/**
 * Starts the Odoo emulator: server 0 on `port`, server i on `port + 10 * i` (ephemeral ports when
 * `port` is 0), sharing one stats and fault table and the admin endpoints.
 */
export async function startOdooEmulator(opts: EmulatorOptions & OdooEmulatorOptions & { tenants: OdooEmulatorTenant[] }): Promise<RunningOdooEmulator> {
  const { tenants, clock, ...emulatorOptions } = opts;
  const def = createOdooEmulator(tenants, clock ? { clock } : {});
  const port = emulatorOptions.port ?? 0;
  const extraPorts = def.servers.slice(1).map((_, i) => (port === 0 ? 0 : port + 10 * (i + 1)));
  const running = await startEmulator(def, { ...emulatorOptions, extraPorts });
  const servers = def.servers.map((s, i) => ({ ...s, url: running.urls[i] ?? running.url }));
  return Object.assign(running, {
    servers,
    db: def.db,
    urlOf(db: string): string {
      const server = servers.find((s) => s.dbs.includes(db));
      if (!server) throw new RangeError(`odoo emulator: no database ${db}`);
      return server.url;
    },
  });
}
