/**
 * What `npm run doctor` (and the admin `/doctor` endpoints) report: one finding per check of one
 * tenant's upstream. A doctor never throws: an unreachable server, a refused credential or a
 * misconfigured URL is a `fail` finding, a degraded capability (module missing, fields null,
 * record-rule restriction, little rate-limit headroom) a `warn`.
 *
 * Details never carry a secret: they name secret references (`env:NAME`), never their values.
 */
import type { Logger } from 'pino';
import type { TenantConfig } from '../../tenancy/registry';
import type { SecretSource } from '../../platform/secrets';
import { ErrorCode, UpstreamError, type Upstream } from './errors';

export const DOCTOR_STATUSES = ['ok', 'warn', 'fail'] as const;
/** `fail`: blocking (unreachable, bad credentials, misconfigured protocol or URL); `warn`: degraded. */
export type DoctorStatus = (typeof DOCTOR_STATUSES)[number];

export interface DoctorFinding {
  tenant: string;
  upstream: Upstream;
  /** What was checked, e.g. `reachability`, `module stock_delivery`, `field Customer.creditLimit`. */
  check: string;
  status: DoctorStatus;
  detail: string;
}

/** One upstream's doctor: every failure becomes a finding, it never rejects. */
export type UpstreamDoctor = (tenant: TenantConfig, secrets: SecretSource, log: Logger) => Promise<DoctorFinding[]>;

/** Collects one tenant-upstream's findings in order. */
export class FindingList {
  readonly findings: DoctorFinding[] = [];
  constructor(
    private readonly tenant: string,
    private readonly upstream: Upstream,
  ) {}

  add(check: string, status: DoctorStatus, detail: string): void {
    this.findings.push({ tenant: this.tenant, upstream: this.upstream, check, status, detail });
  }
  ok(check: string, detail: string): void {
    this.add(check, 'ok', detail);
  }
  warn(check: string, detail: string): void {
    this.add(check, 'warn', detail);
  }
  fail(check: string, detail: string): void {
    this.add(check, 'fail', detail);
  }
}

/**
 * A thrown value as one line for a finding: an UpstreamError's `detail` where it has one (what a
 * misconfigured upstream answered, for the operator), else its own client-safe message.
 */
export function describeError(err: unknown): string {
  if (err instanceof UpstreamError) return 'detail' in err && typeof err.detail === 'string' ? err.detail : err.message;
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

/** Whether an error means the upstream could not be reached at all (the network, a timeout, a wrong URL). */
export const isUnreachable = (err: unknown): boolean =>
  err instanceof UpstreamError &&
  (err.code === ErrorCode.UPSTREAM_UNAVAILABLE || err.code === ErrorCode.UPSTREAM_TIMEOUT || err.code === ErrorCode.UPSTREAM_MISCONFIGURED);

/** Runs a doctor and turns an unexpected throw into a `fail` finding (a doctor should not throw, but the CLI must not crash if one does). */
export async function runSafely(
  doctor: UpstreamDoctor,
  tenant: TenantConfig,
  upstream: Upstream,
  secrets: SecretSource,
  log: Logger,
): Promise<DoctorFinding[]> {
  try {
    return await doctor(tenant, secrets, log);
  } catch (err) {
    log.error({ err, tenant: tenant.id, upstream }, 'doctor failed unexpectedly');
    return [{ tenant: tenant.id, upstream, check: 'doctor', status: 'fail', detail: `the check itself failed: ${describeError(err)}` }];
  }
}

export type DoctorCounts = Record<DoctorStatus, number>;

/** Counts per status. */
export function countFindings(findings: readonly DoctorFinding[]): DoctorCounts {
  const out: DoctorCounts = { ok: 0, warn: 0, fail: 0 };
  for (const f of findings) out[f.status] += 1;
  return out;
}

/** Counts per tenant and upstream (what `/readyz` shows). */
export function summarizeFindings(findings: readonly DoctorFinding[]): Record<string, Partial<Record<Upstream, DoctorCounts>>> {
  const out: Record<string, Partial<Record<Upstream, DoctorCounts>>> = {};
  for (const f of findings) {
    const tenant = (out[f.tenant] ??= {});
    const counts = (tenant[f.upstream] ??= { ok: 0, warn: 0, fail: 0 });
    counts[f.status] += 1;
  }
  return out;
}

const MARK: Record<DoctorStatus, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL' };

/**
 * An aligned, readable table (tenant, upstream, check, status, detail); long details wrap under
 * their column at `width` characters.
 */
export function formatFindingsTable(findings: readonly DoctorFinding[], width = 160): string {
  const headers = ['TENANT', 'UPSTREAM', 'CHECK', 'STATUS', 'DETAIL'] as const;
  const rows = findings.map((f) => [f.tenant, f.upstream, f.check, MARK[f.status], f.detail]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(headers[i]!.length, ...rows.map((r) => r[i]!.length)));
  const indent = widths.reduce((a, w) => a + w + 2, 0);
  const detailWidth = Math.max(40, width - indent);
  const wrap = (text: string): string[] => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/)) {
      if (line && line.length + 1 + word.length > detailWidth) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
    return lines;
  };
  const render = (cells: readonly string[]): string[] => {
    const [first = '', ...more] = wrap(cells[4] ?? '');
    const head = [0, 1, 2, 3].map((i) => (cells[i] ?? '').padEnd(widths[i]!)).join('  ');
    return [`${head}  ${first}`.trimEnd(), ...more.map((l) => `${' '.repeat(indent)}${l}`)];
  };
  const out = [...render(headers), [0, 1, 2, 3].map((i) => '-'.repeat(widths[i]!)).join('  ') + '  ' + '-'.repeat(6)];
  let previous: string | undefined;
  for (const [i, row] of rows.entries()) {
    const group = `${findings[i]!.tenant}/${findings[i]!.upstream}`;
    if (previous !== undefined && group !== previous) out.push('');
    previous = group;
    out.push(...render(row));
  }
  return out.join('\n');
}

/** `3 tenants, 84 checks: 70 ok, 12 warnings, 2 failures`. */
export function summaryLine(findings: readonly DoctorFinding[]): string {
  const c = countFindings(findings);
  const tenants = new Set(findings.map((f) => f.tenant)).size;
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  return `${plural(tenants, 'tenant', 'tenants')}, ${plural(findings.length, 'check', 'checks')}: ${c.ok} ok, ${plural(c.warn, 'warning', 'warnings')}, ${plural(c.fail, 'failure', 'failures')}`;
}
