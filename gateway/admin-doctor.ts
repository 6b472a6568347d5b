/**
 * The doctor for the `admin` role: `GET /admin/doctor` authenticates the client's bearer token as
 * `/graphql` does, requires the admin role, and asks every subgraph's `GET /doctor` (with an
 * internal identity token signed for that subgraph alone) about the caller's own tenant. The
 * gateway knows nothing of upstreams: it merges what the subgraphs report.
 *
 * `/readyz` shows a summary (counts per tenant and upstream) of the last run over every enabled
 * tenant of the registry; a run starts in the background when `/readyz` is asked and the last one
 * is older than `refreshMs`, and readiness never waits for it.
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { INTERNAL_IDENTITY_HEADER, internalAudience, signInternalToken, type Identity } from '../tenancy/identity';
import type { TenantRegistry } from '../tenancy/registry';
import { AuthenticationError, type Authenticator } from './auth';

const STATUSES = ['ok', 'warn', 'fail'] as const;
type Status = (typeof STATUSES)[number];

const Finding = z.object({
  tenant: z.string(),
  upstream: z.string(),
  check: z.string(),
  status: z.enum(STATUSES),
  detail: z.string(),
});
export type AdminDoctorFinding = z.infer<typeof Finding>;
const DoctorAnswer = z.object({ findings: z.array(Finding) });

type Counts = Record<Status, number>;

export interface DoctorSummary {
  /** When the last run finished (ISO-8601); null before the first. */
  at: string | null;
  /** Counts per tenant and upstream. */
  tenants: Record<string, Record<string, Counts>>;
}

/**
 * What `/readyz` (open to anyone who can reach it) shows of a summary: counts per upstream over all
 * tenants, never which tenant has what problem (that is the tenant admin's `/admin/doctor`).
 */
export function aggregateSummary(summary: DoctorSummary): { at: string | null; upstreams: Record<string, Counts> } {
  const upstreams: Record<string, Counts> = {};
  for (const byUpstream of Object.values(summary.tenants)) {
    for (const [upstream, counts] of Object.entries(byUpstream)) {
      const sum = (upstreams[upstream] ??= { ok: 0, warn: 0, fail: 0 });
      sum.ok += counts.ok;
      sum.warn += counts.warn;
      sum.fail += counts.fail;
    }
  }
  return { at: summary.at, upstreams };
}

export interface AdminDoctorOptions {
  subgraphs: ReadonlyArray<{ name: string; url: string }>;
  internalKey: Uint8Array;
  authenticate: Authenticator;
  log: Logger;
  /** The tenants `/readyz` summarizes; none = no summary. */
  registry?: TenantRegistry;
  /** Budget for one subgraph's doctor. @default 60_000 */
  timeoutMs?: number;
  /** Oldest summary `/readyz` shows before a new run starts (a run calls every tenant's upstreams: spend quota sparingly). @default 900_000 */
  refreshMs?: number;
}

export interface AdminDoctor {
  /** `GET /admin/doctor`. */
  handle(req: Request, res: Response): Promise<void>;
  /** For `/readyz`: the last summary, and a background refresh when it is stale. Never waits, never throws. */
  summary(): DoctorSummary | undefined;
  /** Abandons a running refresh. */
  stop(): void;
}

const count = (findings: readonly AdminDoctorFinding[]): Counts => {
  const c: Counts = { ok: 0, warn: 0, fail: 0 };
  for (const f of findings) c[f.status] += 1;
  return c;
};

export function createAdminDoctor(options: AdminDoctorOptions): AdminDoctor {
  const { subgraphs, internalKey, authenticate, log, registry, timeoutMs = 60_000, refreshMs = 900_000 } = options;
  const stopper = new AbortController();

  /** One subgraph's findings for the identity's tenant; a subgraph that fails is a `fail` row of its own. */
  async function ask(subgraph: { name: string; url: string }, identity: Identity): Promise<AdminDoctorFinding[]> {
    const failRow = (detail: string): AdminDoctorFinding[] => [{ tenant: identity.tenant, upstream: subgraph.name, check: 'subgraph', status: 'fail', detail }];
    try {
      const url = new URL('/doctor', subgraph.url);
      url.searchParams.set('tenant', identity.tenant);
      const token = await signInternalToken(identity, internalKey, internalAudience(subgraph.name));
      const res = await fetch(url, {
        headers: { [INTERNAL_IDENTITY_HEADER]: token, accept: 'application/json' },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopper.signal]),
      });
      const body: unknown = await res.json().catch(() => undefined);
      const parsed = DoctorAnswer.safeParse(body);
      if (!res.ok || !parsed.success) return failRow(`the ${subgraph.name} service answered /doctor with HTTP ${res.status}`);
      // A subgraph answers for the identity's tenant only; anything else is dropped, not forwarded.
      return parsed.data.findings.filter((f) => f.tenant === identity.tenant);
    } catch (err) {
      log.warn({ subgraph: subgraph.name, err: err instanceof Error ? err.message : String(err) }, 'doctor: subgraph did not answer');
      return failRow(`the ${subgraph.name} service did not answer /doctor`);
    }
  }

  const runFor = async (identity: Identity): Promise<AdminDoctorFinding[]> => (await Promise.all(subgraphs.map((s) => ask(s, identity)))).flat();

  let last: DoctorSummary | undefined;
  let lastAt = 0;
  let running: Promise<void> | undefined;

  function refresh(): void {
    if (!registry || running || stopper.signal.aborted) return;
    const started = Date.now();
    lastAt = started;
    running = (async () => {
      const tenants: DoctorSummary['tenants'] = {};
      await Promise.all(
        registry.tenants
          .filter((t) => t.enabled)
          .map(async (t) => {
            const findings = await runFor({ tenant: t.id, subject: 'gateway:readyz', roles: ['admin'], scopes: [] });
            const byUpstream: Record<string, Counts> = {};
            for (const u of [...new Set(findings.map((f) => f.upstream))]) byUpstream[u] = count(findings.filter((f) => f.upstream === u));
            tenants[t.id] = byUpstream;
          }),
      );
      if (!stopper.signal.aborted) last = { at: new Date().toISOString(), tenants };
    })()
      .catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'doctor: summary refresh failed'))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    async handle(req, res) {
      let identity: Identity;
      try {
        ({ identity } = await authenticate(req.headers.authorization));
      } catch (err) {
        if (!(err instanceof AuthenticationError)) throw err;
        log.info({ reason: err.reason }, 'admin doctor refused: unauthenticated');
        res.status(401).json({ error: 'Authentication required: send a valid bearer token' });
        return;
      }
      if (!identity.roles.includes('admin')) {
        res.status(403).json({ error: 'the doctor is for the admin role' });
        return;
      }
      const findings = await runFor(identity);
      res.json({ tenant: identity.tenant, counts: count(findings), findings });
    },
    summary() {
      if (Date.now() - lastAt >= refreshMs) refresh();
      return registry ? (last ?? { at: null, tenants: {} }) : undefined;
    },
    stop() {
      stopper.abort();
    },
  };
}
