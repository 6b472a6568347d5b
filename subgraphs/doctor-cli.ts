/**
 * `npm run doctor [-- --tenant ID] [-- --json]`: what every tenant's upstreams offer and what is
 * wrong with them, as a table and a summary line.
 *
 * With TENANTS_FILE set, that registry is checked with secrets from the environment (and mounted
 * files). Without it, `io.startSandbox` (given by sandbox/doctor.ts, what `npm run doctor` runs)
 * starts the sandbox emulators in-process to check; production code never imports the sandbox.
 * The compiled `node dist/subgraphs/doctor-cli.js` of an image needs TENANTS_FILE.
 *
 * Exit status: 0 no blocking problem (warnings allowed), 1 at least one `fail`, 2 bad usage
 * (unknown tenant, unreadable registry).
 */
import type { Logger } from 'pino';
import { loadRegistry, type TenantRegistry } from '../tenancy/registry';
import type { SecretSource } from '../platform/secrets';
import { runDoctor } from './doctor';
import { countFindings, formatFindingsTable, summaryLine, type DoctorFinding } from './kit/doctor';
import { createLogger, logLevelFrom } from '../platform/log';

export interface DoctorCliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  log?: Logger;
  /** Starts upstreams to check when no TENANTS_FILE is given (the sandbox's emulators). */
  startSandbox?: () => Promise<{ registry: TenantRegistry; secrets: SecretSource; stop(): Promise<void> }>;
}

interface Args {
  tenant?: string;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--tenant') {
      const id = argv[++i];
      if (!id) return '--tenant needs a tenant id';
      args.tenant = id;
    } else if (a.startsWith('--tenant=')) args.tenant = a.slice('--tenant='.length);
    else if (a === '--json') args.json = true;
    else if (a === '--help' || a === '-h') return 'usage';
    else return `unknown argument ${a}`;
  }
  return args;
}

const USAGE =
  'usage: npm run doctor [-- --tenant ID] [--json]\n  TENANTS_FILE=path checks that registry (secrets from the environment); without it `npm run doctor` starts the sandbox emulators and checks them.\n';

/** The CLI without the process: returns the exit status. */
export async function doctorMain(argv: readonly string[], io: DoctorCliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    if (parsed === 'usage') {
      io.stdout(USAGE);
      return 0;
    }
    io.stderr(`doctor: ${parsed}\n${USAGE}`);
    return 2;
  }
  const log = io.log ?? createLogger('doctor', logLevelFrom(io.env, 'silent'));
  let registry: TenantRegistry;
  let secrets: SecretSource;
  let stop: (() => Promise<void>) | undefined;
  let origin: string;
  const file = io.env['TENANTS_FILE'];
  try {
    if (file) {
      registry = loadRegistry(file);
      secrets = { env: io.env };
      origin = `tenant registry ${file}`;
    } else if (io.startSandbox) {
      const sandbox = await io.startSandbox();
      ({ registry, secrets } = sandbox);
      stop = () => sandbox.stop();
      origin = 'the sandbox (emulators started in-process; set TENANTS_FILE to check a real registry)';
    } else {
      io.stderr(`doctor: set TENANTS_FILE to the tenant registry to check\n${USAGE}`);
      return 2;
    }
  } catch (err) {
    io.stderr(`doctor: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  try {
    if (parsed.tenant !== undefined && !registry.tenants.some((t) => t.id === parsed.tenant)) {
      io.stderr(`doctor: unknown tenant ${JSON.stringify(parsed.tenant)}; the registry has ${registry.tenants.map((t) => t.id).join(', ')}\n`);
      return 2;
    }
    const findings: DoctorFinding[] = await runDoctor({ registry, secrets, log, ...(parsed.tenant !== undefined ? { tenant: parsed.tenant } : {}) });
    if (parsed.json) io.stdout(`${JSON.stringify({ findings, counts: countFindings(findings) }, null, 2)}\n`);
    else io.stdout(`Doctor: ${origin}\n\n${formatFindingsTable(findings)}\n\n${summaryLine(findings)}\n`);
    return countFindings(findings).fail > 0 ? 1 : 0;
  } finally {
    await stop?.();
  }
}

/** Runs the CLI as a process (`io` adds or overrides, e.g. the sandbox starter). */
export function runDoctorCli(io: Partial<DoctorCliIo> = {}): void {
  doctorMain(process.argv.slice(2), {
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    ...io,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`doctor failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) runDoctorCli();
