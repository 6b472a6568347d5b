/**
 * The emulated server behind the routes: one in-memory database per tenant, web sessions, and the
 * `common` / `db` / `object` services of `dispatch_rpc`.
 */
import { randomBytes } from 'node:crypto';
import { callKw, missingArgs } from './dispatch';
import { OdooError, accessDenied, keyError, unknownDatabase } from './errors';
import { buildRegistry } from './models';
import { integrationUid, type OdooProfile, type OdooVersion } from './profiles';
import { seedDatabase } from './seed';
import { OdooDb } from './store';
import type { OdooEmulatorTenant } from './index';

/** uid of the admin user of every database (the tenant's login on an 'admin' profile). */
export const ADMIN_UID = 2;

export interface VersionInfo {
  serie: OdooVersion;
  serverVersion: string;
  info: [number, number, number, string, number, string];
}

export function versionInfo(serie: OdooVersion): VersionInfo {
  const major = Number(serie.split('.')[0]);
  const build = serie === '17.0' ? '20250110' : serie === '18.0' ? '20250702' : '20251001';
  return { serie, serverVersion: `${serie}-${build}`, info: [major, 0, 0, 'final', 0, ''] };
}

/** A tenant with its profile settled. */
export type ResolvedTenant = OdooEmulatorTenant & { readonly profile: OdooProfile };

export interface TenantDb {
  readonly cfg: ResolvedTenant;
  db: OdooDb;
  readonly version: VersionInfo;
  /** uid of the tenant's login. */
  readonly uid: number;
}

export interface Session {
  db: string;
  uid: number;
}

/**
 * One Odoo server: one version, its databases, its web sessions. A database of another server
 * does not exist here (a real server has one version and its own PostgreSQL databases).
 */
export class OdooBackend {
  readonly #tenants = new Map<string, TenantDb>();
  readonly sessions = new Map<string, Session>();
  readonly version: VersionInfo;

  constructor(
    serie: OdooVersion,
    readonly tenants: readonly ResolvedTenant[],
    readonly clock: () => Date = () => new Date(),
  ) {
    this.version = versionInfo(serie);
    this.reseed();
  }

  reseed(): void {
    this.#tenants.clear();
    this.sessions.clear();
    for (const cfg of this.tenants) {
      const db = seedDatabase(new OdooDb(cfg.db, buildRegistry(cfg.profile), this.clock), cfg.seed ?? 'world', cfg.tenant, {
        login: cfg.login,
        password: cfg.apiKey,
        profile: cfg.profile,
      });
      this.#tenants.set(cfg.db, { cfg, db, version: this.version, uid: integrationUid(cfg.profile) });
    }
  }

  byDb(name: unknown): TenantDb | undefined {
    return typeof name === 'string' ? this.#tenants.get(name) : undefined;
  }

  byApiKey(key: string, dbName?: string): TenantDb | undefined {
    for (const t of this.#tenants.values()) if (t.cfg.apiKey === key && (dbName === undefined || t.cfg.db === dbName)) return t;
    return undefined;
  }

  dbNames(): string[] {
    return [...this.#tenants.keys()].sort();
  }

  /** `res.users.authenticate`: uid, or undefined for a wrong login or password. */
  authenticate(dbName: unknown, login: unknown, password: unknown): number | undefined {
    const t = this.byDb(dbName);
    if (!t) throw unknownDatabase(String(dbName));
    return t.db.all('res.users').find((u) => u.active !== false && u.login === login && typeof password === 'string' && u.password === password)?.id;
  }

  /** Whether `uid` / `password` are a user of the database (no error). */
  validUser(t: TenantDb, uid: unknown, password: unknown): boolean {
    const user = typeof uid === 'number' ? t.db.get('res.users', uid) : undefined;
    return user !== undefined && user.active !== false && typeof password === 'string' && user.password === password;
  }

  /** `security.check(db, uid, password)` for the object service. */
  check(dbName: unknown, uid: unknown, password: unknown): TenantDb {
    const t = this.byDb(dbName);
    if (!t) throw unknownDatabase(String(dbName));
    if (!this.validUser(t, uid, password)) throw accessDenied();
    return t;
  }

  newSession(db: string, uid: number): string {
    const sid = randomBytes(40).toString('base64url').slice(0, 70);
    this.sessions.set(sid, { db, uid });
    return sid;
  }

  /** `dispatch_rpc(service, method, args)`; undefined is Python's None. */
  dispatchRpc(service: unknown, method: unknown, params: unknown): unknown {
    const args: unknown[] = Array.isArray(params) ? params : [];
    switch (service) {
      case 'common':
        return this.#common(String(method), args);
      case 'db':
        if (method === 'list') return this.dbNames();
        if (method === 'server_version') return this.version.serverVersion;
        throw new OdooError('builtins.KeyError', `exp_${String(method)}`);
      case 'object': {
        if (method !== 'execute' && method !== 'execute_kw') throw new OdooError('builtins.NameError', `Method not available ${String(method)}`);
        const t = this.check(args[0], args[1], args[2]);
        if (method === 'execute_kw') {
          const names = ['model', 'method', 'args'];
          if (args.length < 6) throw missingArgs('execute_kw', names.slice(Math.max(0, args.length - 3)));
          return callKw({ db: t.db, uid: Number(args[1]), model: String(args[3]), method: String(args[4]), args: args[5], kwargs: args[6] ?? {} });
        }
        if (args.length < 5) throw missingArgs('execute', ['obj', 'method'].slice(Math.max(0, args.length - 3)));
        return callKw({ db: t.db, uid: Number(args[1]), model: String(args[3]), method: String(args[4]), args: args.slice(5), kwargs: {} });
      }
      default:
        throw keyError(String(service));
    }
  }

  #common(method: string, args: unknown[]): unknown {
    switch (method) {
      case 'version':
        return { server_version: this.version.serverVersion, server_version_info: this.version.info, server_serie: this.version.serie, protocol_version: 1 };
      case 'login':
        if (args.length < 3) throw missingArgs('exp_login', ['db', 'login', 'password'].slice(args.length));
        return this.authenticate(args[0], args[1], args[2]) ?? false;
      case 'authenticate':
        if (args.length < 4) throw missingArgs('exp_authenticate', ['db', 'login', 'password', 'user_agent_env'].slice(args.length));
        return this.authenticate(args[0], args[1], args[2]) ?? false;
      case 'about':
        return 'See http://openerp.com';
      default:
        throw new OdooError('builtins.Exception', `Method not found: ${method}`);
    }
  }
}
