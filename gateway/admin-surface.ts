/**
 * The operator's endpoints, kept off the public surface:
 *
 * - `/metrics` (Prometheus), the detailed `/readyz` (each check, the doctor summary) and
 *   `/admin/doctor`. With an admin port they are served on a second listener only (bound to
 *   127.0.0.1 by default; `/metrics` and `/readyz` there need no token, `/admin/doctor` still
 *   wants an admin token since it answers for the caller's tenant). Without one they stay on the
 *   public port behind an `admin`-role token (401 without a valid token, 403 for other roles).
 * - The public `/readyz` answers `{status}` only (200 ready / 503 not ready) from a probe round
 *   cached for `readyCacheMs`: whatever the request rate, the subgraphs and Redis see at most one
 *   probe round per period. `/healthz` stays public.
 */
import type { Server } from 'node:http';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { listen } from '../platform/listen';
import { aggregateSummary, type AdminDoctor } from './admin-doctor';
import { AuthenticationError, type Authenticator } from './auth';
import { createHardenedServer, securityHeaders, type HttpLimits, type SecurityHeaderOptions } from './http-hardening';

/** One dependency readiness waits on (structurally gateway/server.ts's ReadinessCheck). */
export interface Probe {
  name: string;
  check: () => Promise<void>;
}

export type CheckStatus = 'ok' | 'unavailable';

export interface ReadinessRound {
  ready: boolean;
  checks: Record<string, CheckStatus>;
  /** When the round finished (the clock's ms). */
  at: number;
}

export interface Readiness {
  /** A round no older than the cache period, else a new one; concurrent callers share one round in flight. */
  cached(): Promise<ReadinessRound>;
  /** A new round (joins one already in flight); its result is cached for `cached()`. */
  fresh(): Promise<ReadinessRound>;
}

/** Probe rounds with a cache: the public `/readyz` can be asked a thousand times a second and probe once. */
export function createReadiness(probes: readonly Probe[], options: { cacheMs?: number; clock?: () => number } = {}): Readiness {
  const { cacheMs = 5_000, clock = Date.now } = options;
  let last: ReadinessRound | undefined;
  let inFlight: Promise<ReadinessRound> | undefined;
  const round = (): Promise<ReadinessRound> =>
    (inFlight ??= (async () => {
      const results = await Promise.all(
        probes.map(async (p): Promise<readonly [string, CheckStatus]> => {
          try {
            await p.check();
            return [p.name, 'ok'];
          } catch {
            return [p.name, 'unavailable'];
          }
        }),
      );
      last = { ready: results.every(([, s]) => s === 'ok'), checks: Object.fromEntries(results), at: clock() };
      return last;
    })().finally(() => {
      inFlight = undefined;
    }));
  return {
    cached: () => (last && clock() - last.at < cacheMs ? Promise.resolve(last) : round()),
    fresh: round,
  };
}

export interface AdminSurfaceOptions {
  authenticate: Authenticator;
  /** The Prometheus exposition of the gateway's registry. */
  renderMetrics: () => Promise<{ contentType: string; body: string }>;
  probes: readonly Probe[];
  doctor: AdminDoctor;
  log: Logger;
  /**
   * Port of the admin listener (0: any free port). Set: `/metrics`, the detailed `/readyz` and
   * `/admin/doctor` are served there and not on the public port. Unset: they stay on the public
   * port behind an admin-role token. @default unset
   */
  port?: number;
  /** Address the admin listener binds. @default '127.0.0.1' */
  host?: string;
  /** How long the public `/readyz` reuses a probe round (ms). @default 5_000 */
  readyCacheMs?: number;
  /** The readiness cache's clock (epoch ms). @default Date.now */
  clock?: () => number;
  /** Timeouts of the admin listener (the public one's). */
  http?: HttpLimits;
  security?: SecurityHeaderOptions;
}

export interface AdminSurface {
  /** `/healthz`, the public `/readyz` and, without an admin listener, the token-guarded admin routes. */
  readonly publicRoutes: Router;
  /** Starts the admin listener when a port is configured; resolves to its bound port. */
  listen(): Promise<number | undefined>;
  /** The admin listener's `http://host:port`, once listening. */
  readonly url: string | undefined;
  /** Idempotent; closes the admin listener. */
  stop(): Promise<void>;
}

/** 401 without a valid token, 403 for a token without the admin role; otherwise on to the route. */
export function requireAdmin(authenticate: Authenticator, log: Logger): RequestHandler {
  return (req, res, next) => {
    authenticate(req.headers.authorization).then(
      ({ identity }) => {
        if (identity.roles.includes('admin')) next();
        else res.status(403).json({ error: 'this endpoint is for the admin role' });
      },
      (err: unknown) => {
        if (!(err instanceof AuthenticationError)) {
          next(err);
          return;
        }
        log.info({ reason: err.reason, path: req.path }, 'admin endpoint refused: unauthenticated');
        res.status(401).json({ error: 'Authentication required: send a valid bearer token' });
      },
    );
  };
}

export function createAdminSurface(options: AdminSurfaceOptions): AdminSurface {
  const { authenticate, renderMetrics, doctor, log, port, host = '127.0.0.1' } = options;
  const readiness = createReadiness(options.probes, {
    ...(options.readyCacheMs !== undefined ? { cacheMs: options.readyCacheMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const separate = port !== undefined;

  const healthz: RequestHandler = (_req, res) => {
    res.json({ status: 'ok' });
  };
  const metrics = async (_req: Request, res: Response) => {
    const { contentType, body } = await renderMetrics();
    res.type(contentType).send(body);
  };
  const detailedReadyz = async (_req: Request, res: Response) => {
    const { ready, checks } = await readiness.fresh();
    const summary = doctor.summary();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks, ...(summary ? { doctor: aggregateSummary(summary) } : {}) });
  };
  const publicReadyz = async (_req: Request, res: Response) => {
    const { ready } = await readiness.cached();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  };
  const doctorRoute: RequestHandler = (req, res, next) => {
    doctor.handle(req, res).catch(next);
  };

  const publicRoutes = express.Router();
  publicRoutes.get('/healthz', healthz);
  if (separate) publicRoutes.get('/readyz', publicReadyz);
  else {
    const admin = requireAdmin(authenticate, log);
    // A bearer token asks for the details (and must be an admin's); without one, the status alone.
    publicRoutes.get('/readyz', (req, res, next) => (req.headers.authorization === undefined ? publicReadyz(req, res) : admin(req, res, next)), detailedReadyz);
    publicRoutes.get('/metrics', admin, metrics);
    publicRoutes.get('/admin/doctor', doctorRoute);
  }

  let server: Server | undefined;
  let url: string | undefined;
  let stopping: Promise<void> | undefined;
  return {
    publicRoutes,
    get url() {
      return url;
    },
    async listen() {
      if (!separate) return undefined;
      const app = express();
      app.disable('x-powered-by');
      app.use(securityHeaders(options.security));
      app.get('/healthz', healthz);
      app.get('/readyz', detailedReadyz);
      app.get('/metrics', metrics);
      app.get('/admin/doctor', doctorRoute);
      app.use((_req, res) => {
        res.status(404).json({ error: 'not found' });
      });
      server = createHardenedServer(app, options.http);
      const bound = await listen(server, port, host);
      url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
      log.info({ url }, 'admin endpoints listening');
      return bound;
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
