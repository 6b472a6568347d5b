/**
 * `npm start`: the gateway on the embedded sandbox, with no configuration. Prints, per tenant and
 * role, a bearer token, and a curl of the ticket-context query. Ctrl-C stops everything.
 *
 * Optional environment: PORT (gateway, 4000), SANDBOX_LATENCY_MS (latency injected into every
 * upstream call), REDIS_URL (Redis cache, event bus and leases instead of the in-process ones),
 * CAPTURE_INTERVAL_MS (how often the pollers ask the emulators for changes, 2000), LOG_LEVEL,
 * OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME (tracing: one provider for the whole process), and
 * the emulators' credentials by the registry's reference names (`SANDBOX_ACME_ODOO_API_KEY`,
 * `SANDBOX_ACME_ZENDESK_TOKEN`...: fresh random ones for those not set), so a script can know them.
 */
import { z } from 'zod';
import { loadOrCreateDevSecrets } from '../platform/dev-secrets';
import { ROLES } from '../tenancy/identity';
import { TICKET_CONTEXT_QUERY } from './queries';
import { DEFAULT_PORTS } from './ports';
import { startStack } from './stack';
import { startTracing } from '../platform/tracing';
import { sandboxCredentials } from './credentials';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORTS.gateway),
  SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  REDIS_URL: z.string().url().optional(),
  CAPTURE_INTERVAL_MS: z.coerce.number().int().min(200).default(2_000),
  /** OpenTelemetry: OTLP/HTTP collector base URL (spans to `<url>/v1/traces`); unset = no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** One process, one tracer provider: the components share this `service.name` (each span's `component` attribute tells them apart). */
  OTEL_SERVICE_NAME: z.string().min(1).default('support-gateway-sandbox'),
});

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const secrets = loadOrCreateDevSecrets();
  const tracing = startTracing({ serviceName: env.OTEL_SERVICE_NAME, otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
  const stack = await startStack({
    ports: { ...DEFAULT_PORTS, gateway: env.PORT },
    latencyMs: env.SANDBOX_LATENCY_MS,
    redisUrl: env.REDIS_URL,
    authSecret: secrets.authSecret,
    internalSecret: secrets.internalSecret,
    capture: true,
    captureIntervalMs: env.CAPTURE_INTERVAL_MS,
    sandboxEnv: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('SANDBOX_') && k !== 'SANDBOX_LATENCY_MS')),
  });
  const creds = sandboxCredentials(stack.registry, stack.secrets);
  const out: string[] = [];
  out.push('', `Gateway:     ${stack.gateway.url}   (health: /healthz, readiness: /readyz)`);
  out.push(`Emulators:   Odoo ${stack.emulators.odoo.url}  Salesforce ${stack.emulators.salesforce.url}  Zendesk ${stack.emulators.zendesk.url}`);
  for (const s of stack.emulators.odoo.servers) out.push(`             Odoo ${s.version} ${s.url}  (${s.dbs.join(', ')})`);
  out.push(`Subgraphs:   ${stack.subgraphs.odoo.url}  ${stack.subgraphs.salesforce.url}  ${stack.subgraphs.zendesk.url}`);
  out.push(`Cache:       ${stack.cache?.kind ?? 'off'}`, '');
  const body = JSON.stringify({ query: TICKET_CONTEXT_QUERY.replace(/\s+/g, ' '), variables: { id: '1' } });
  for (const tenant of stack.registry.tenants) {
    out.push(
      `Tenant ${tenant.id}:  Odoo ${tenant.upstreams.odoo.version} at ${tenant.upstreams.odoo.url} (db ${tenant.upstreams.odoo.db}, ${tenant.upstreams.odoo.protocol})`,
    );
    const odoo = creds.odoo.find((c) => c.tenant === tenant.id);
    const salesforce = creds.salesforce.find((c) => c.tenant === tenant.id);
    const zendesk = creds.zendesk.find((c) => c.tenant === tenant.id);
    if (odoo) out.push(`  Odoo emulator:        db ${odoo.db}  login ${odoo.login}  key ${odoo.apiKey}`);
    if (salesforce) out.push(`  Salesforce emulator:  client_id ${salesforce.clientId}  client_secret ${salesforce.clientSecret}`);
    if (zendesk) out.push(`  Zendesk emulator:     ${zendesk.email}/token  ${zendesk.token}`);
    out.push('  client tokens:');
    for (const role of ROLES) out.push(`  ${role.padEnd(10)} ${await stack.token(tenant.id, role, 8 * 3600)}`);
    out.push('');
  }
  const agentToken = await stack.token('acme', 'agent', 8 * 3600);
  out.push('Try the ticket-context query (acme, agent):', '');
  out.push(`curl -s ${stack.gateway.url} -H 'content-type: application/json' -H 'authorization: Bearer ${agentToken}' \\`);
  out.push(`  --data '${body.replace(/'/g, "'\\''")}'`, '');
  out.push(`Live changes: graphql-ws at ${stack.gateway.wsUrl} (README, "Live status"): write to an emulator, watch the push.`);
  out.push('More tokens: npm run -s token -- --tenant globex --role finance', 'Ctrl-C stops everything.', '');
  process.stdout.write(out.join('\n'));

  const shutdown = (signal: string) => {
    process.stdout.write(`\n${signal}: stopping...\n`);
    stack
      .stop()
      .then(() => tracing.shutdown())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
