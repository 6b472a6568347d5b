/**
 * The three emulators alone, in-process, with freshly minted credentials, and the sandbox registry
 * pointed at them: what `npm run doctor` checks when no TENANTS_FILE is given (and what tests use
 * when they need the upstreams but no subgraph or gateway).
 */
import type { TenantRegistry } from '../tenancy/registry';
import { loadRegistry, withUpstreamUrls } from '../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../tenancy/sandbox';
import type { SecretSource } from '../tenancy/secrets';
import { mintSandboxSecrets, sandboxCredentials } from './credentials';
import type { RunningEmulator } from './kit/emulator';
import { startOdooEmulator, type RunningOdooEmulator } from './odoo';
import { startSalesforceEmulator } from './salesforce';
import { startZendeskEmulator } from './zendesk';

export interface SandboxUpstreams {
  readonly registry: TenantRegistry;
  /** Resolves the registry's secret references (the minted credentials). */
  readonly secrets: SecretSource;
  readonly emulators: { odoo: RunningOdooEmulator; salesforce: RunningEmulator; zendesk: RunningEmulator };
  /** Idempotent. */
  stop(): Promise<void>;
}

/** Starts the emulators on ephemeral ports (127.0.0.1). */
export async function startSandboxUpstreams(options: { registry?: TenantRegistry } = {}): Promise<SandboxUpstreams> {
  const base = options.registry ?? loadRegistry(SANDBOX_REGISTRY_PATH);
  const env = mintSandboxSecrets(base, {});
  const creds = sandboxCredentials(base, { env });
  const started: RunningEmulator[] = [];
  const stopAll = async (): Promise<void> => {
    for (const e of started.reverse()) await e.close().catch(() => undefined);
  };
  try {
    const odoo = await startOdooEmulator({ port: 0, tenants: creds.odoo });
    started.push(odoo);
    const salesforce = await startSalesforceEmulator({ port: 0, tenants: creds.salesforce });
    started.push(salesforce);
    const zendesk = await startZendeskEmulator({ port: 0, tenants: creds.zendesk });
    started.push(zendesk);
    const registry = withUpstreamUrls(base, { odoo: (t) => odoo.urlOf(t.upstreams.odoo.db), salesforce: salesforce.url, zendesk: zendesk.url });
    let stopping: Promise<void> | undefined;
    return {
      registry,
      secrets: { env },
      emulators: { odoo, salesforce, zendesk },
      stop() {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
