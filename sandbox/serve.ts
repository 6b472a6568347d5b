/**
 * The three emulators alone, as one service (docker-compose's `sandbox`): Odoo on 8069, Salesforce
 * on 8070, Zendesk on 8071 (ODOO_PORT, SALESFORCE_PORT, ZENDESK_PORT override), listening on HOST.
 * Upstream credentials come from the environment variables the tenant registry references (the
 * subgraphs read the same ones); any that are unset are minted and printed as `NAME=value` lines
 * for a local run, never in production (no sandbox runs in production).
 */
import { z } from 'zod';
import { loadRegistry } from '../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../tenancy/sandbox';
import { mintSandboxSecrets, sandboxCredentials } from './credentials';
import { startOdooEmulator } from './odoo';
import { startSalesforceEmulator } from './salesforce';
import { startZendeskEmulator } from './zendesk';

const Env = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  ODOO_PORT: z.coerce.number().int().min(0).max(65535).default(8069),
  SALESFORCE_PORT: z.coerce.number().int().min(0).max(65535).default(8070),
  ZENDESK_PORT: z.coerce.number().int().min(0).max(65535).default(8071),
  SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  TENANTS_FILE: z.string().min(1).default(SANDBOX_REGISTRY_PATH),
});

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const registry = loadRegistry(env.TENANTS_FILE);
  const secrets = mintSandboxSecrets(registry, process.env);
  const creds = sandboxCredentials(registry, { env: secrets });
  const latencyMs = env.SANDBOX_LATENCY_MS;
  const odoo = await startOdooEmulator({ host: env.HOST, port: env.ODOO_PORT, latencyMs, tenants: creds.odoo });
  const emulators = [
    odoo,
    await startSalesforceEmulator({ host: env.HOST, port: env.SALESFORCE_PORT, latencyMs, tenants: creds.salesforce }),
    await startZendeskEmulator({ host: env.HOST, port: env.ZENDESK_PORT, latencyMs, tenants: creds.zendesk }),
  ];
  for (const e of emulators) process.stdout.write(`${e.name} emulator: ${e.url}\n`);
  for (const s of odoo.servers) process.stdout.write(`  odoo ${s.version}: ${s.url} (${s.dbs.join(', ')})\n`);
  const minted = Object.keys(secrets).filter((k) => k.startsWith('SANDBOX_') && !process.env[k]);
  if (minted.length) {
    process.stdout.write('\nMinted sandbox credentials (export them for subgraphs run separately):\n');
    for (const k of minted) process.stdout.write(`${k}=${secrets[k]}\n`);
  }
  const stop = () => void Promise.all(emulators.map((e) => e.close())).finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
