/**
 * The three emulators alone, in-process, with freshly minted credentials, and the sandbox registry
 * pointed at them: what `npm run doctor` checks when no TENANTS_FILE is given (and what tests use
 * when they need the upstreams but no subgraph or gateway).
 */
import { onceOnly } from '../platform/listen';
import type { TenantRegistry } from '../tenancy/registry';
import { loadRegistry, withUpstreamUrls } from '../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../tenancy/sandbox';
import type { SecretSource } from '../platform/secrets';
import { mintSandboxSecrets, sandboxCredentials } from './credentials';
import type { RunningEmulator } from './kit/emulator';
import type { FaultRuleInput } from './kit/faults';
import { startOdooEmulator, type RunningOdooEmulator } from './odoo';
import { startSalesforceEmulator } from './salesforce';
import { startZendeskEmulator, type RunningZendeskEmulator } from './zendesk';

export interface SandboxUpstreams {
  readonly registry: TenantRegistry;
  /** Resolves the registry's secret references (the minted credentials); the stack adds secrets it learns later (webhook signing secrets). */
  readonly secrets: SecretSource & { env: Record<string, string | undefined> };
  readonly emulators: { odoo: RunningOdooEmulator; salesforce: RunningEmulator; zendesk: RunningZendeskEmulator };
  /** Idempotent. */
  stop(): Promise<void>;
}

export interface SandboxUpstreamOptions {
  /** @default the sandbox registry (tenancy/sandbox.tenants.json) */
  registry?: TenantRegistry;
  /** @default ephemeral ports */
  ports?: { odoo?: number; salesforce?: number; zendesk?: number };
  /** Latency injected into every upstream call (ms). @default 0 */
  latencyMs?: number;
  /** Fault rules per emulator from the start. */
  faults?: { odoo?: FaultRuleInput[]; salesforce?: FaultRuleInput[]; zendesk?: FaultRuleInput[] };
  /** Zendesk per-tenant rate limit per minute. */
  zendeskRateLimitPerMinute?: number;
  /** Credentials to use instead of minting them, by the registry's reference names (`SANDBOX_ACME_ODOO_API_KEY`...): a script can know them in advance. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Starts the emulators (127.0.0.1) with freshly minted credentials; the stack and the doctor both start them this way. */
export async function startSandboxUpstreams(options: SandboxUpstreamOptions = {}): Promise<SandboxUpstreams> {
  const { ports = {}, latencyMs = 0, faults = {} } = options;
  const base = options.registry ?? loadRegistry(SANDBOX_REGISTRY_PATH);
  const env = mintSandboxSecrets(base, options.env ?? {});
  const creds = sandboxCredentials(base, { env });
  const started: RunningEmulator[] = [];
  const stopAll = async (): Promise<void> => {
    for (const e of started.reverse()) await e.close().catch(() => undefined);
  };
  try {
    const odoo = await startOdooEmulator({ port: ports.odoo ?? 0, latencyMs, faults: faults.odoo, tenants: creds.odoo });
    started.push(odoo);
    const salesforce = await startSalesforceEmulator({ port: ports.salesforce ?? 0, latencyMs, faults: faults.salesforce, tenants: creds.salesforce });
    started.push(salesforce);
    const zendesk = await startZendeskEmulator({
      port: ports.zendesk ?? 0,
      latencyMs,
      faults: faults.zendesk,
      tenants: creds.zendesk,
      rateLimitPerMinute: options.zendeskRateLimitPerMinute,
    });
    started.push(zendesk);
    const registry = withUpstreamUrls(base, { odoo: (t) => odoo.urlOf(t.upstreams.odoo.db), salesforce: salesforce.url, zendesk: zendesk.url });
    return { registry, secrets: { env }, emulators: { odoo, salesforce, zendesk }, stop: onceOnly(stopAll) };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
