/**
 * docker-compose.yml and the Dockerfile are for users (no Docker engine runs here): this keeps their
 * services, commands, ports and files in step with the package's own entry points and defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { GatewayEnv } from '../../gateway/config';
import { DEFAULT_PORTS } from '../../sandbox/ports';
import { SUBGRAPHS } from '../../schema/subgraphs';
import pino from 'pino';
import { SecretResolutionError, type SecretRef } from '../../platform/secrets';
import { SUBGRAPH_STARTERS } from '../../subgraphs';
import { internalKey } from '../../tenancy/identity';
import { loadRegistry, withUpstreamUrls } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';

const root = resolve(__dirname, '..', '..');
interface Service {
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
}
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** `node dist/x/y.js` → `x/y.ts` must exist in the repo and be what the build compiles. */
const sourceOf = (command: string[]): string => resolve(root, command[1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

/** The sandbox's Odoo servers' ports: one per distinct version of the sandbox registry. */
const odooServerPorts = (): number[] =>
  [...new Set(loadRegistry(SANDBOX_REGISTRY_PATH).tenants.map((t) => t.upstreams.odoo.version))].map((_, i) => DEFAULT_PORTS.odoo + 10 * i);

type Upstream = 'odoo' | 'salesforce' | 'zendesk';
const UPSTREAMS: readonly Upstream[] = ['odoo', 'salesforce', 'zendesk'];

/** The environment variables the compose registry's credentials reference, per upstream (all tenants). */
function refsByUpstream(): Record<Upstream, string[]> {
  const registry = loadRegistry(resolve(root, 'tenancy/compose.tenants.json'));
  const names = (refs: SecretRef[]): string[] =>
    refs.map((ref) => {
      if (!('env' in ref)) throw new Error(`compose credentials come from the environment, not ${JSON.stringify(ref)}`);
      return ref.env;
    });
  return {
    odoo: names(registry.tenants.map((t) => t.upstreams.odoo.apiKey)),
    salesforce: names(registry.tenants.flatMap((t) => [t.upstreams.salesforce.clientId, t.upstreams.salesforce.clientSecret])),
    zendesk: names(
      registry.tenants.flatMap((t) => [t.upstreams.zendesk.token, ...(t.upstreams.zendesk.webhookSecret ? [t.upstreams.zendesk.webhookSecret] : [])]),
    ),
  };
}

/** Zendesk webhook signing secrets are optional: resolved when a delivery arrives, and compose registers no webhook. */
const isRequired = (name: string): boolean => !name.endsWith('_WEBHOOK_SECRET');

/** A service's environment as the container would see it: every `${NAME...}` filled with a stand-in value. */
function containerEnv(service: string): Record<string, string> {
  const env = compose.services[service]?.environment ?? {};
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[^}]+\}/g, `stand-in-for-${k.toLowerCase()}-0123456789abcdef0123456789`)]),
  );
}

describe('docker-compose.yml', () => {
  it('should run every command from a compiled entry point that exists', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'redis' || name === 'redis-cache' || name === 'postgres') continue; // stock images
      expect(service.command?.[0]).toBe('node');
      expect(existsSync(sourceOf(service.command!))).toBe(true);
    }
  });

  it('should start one service per subgraph on its default port', () => {
    for (const s of SUBGRAPHS) {
      const service = compose.services[`${s.name}-subgraph`];
      expect(service?.command).toEqual(['node', 'dist/subgraphs/main.js', s.name]);
      expect(service?.environment?.['PORT']).toBe(String(s.defaultPort));
      expect(compose.services['gateway']?.environment?.[`${s.name.toUpperCase()}_SUBGRAPH_URL`]).toBe(`http://${s.name}-subgraph:${s.defaultPort}/graphql`);
    }
  });

  it('should publish the gateway and emulator ports npm start uses', () => {
    expect(compose.services['gateway']?.ports).toEqual([`${DEFAULT_PORTS.gateway}:${DEFAULT_PORTS.gateway}`]);
    expect(GatewayEnv.parse({}).PORT).toBe(DEFAULT_PORTS.gateway);
    expect(compose.services['sandbox']?.ports).toEqual([...odooServerPorts(), DEFAULT_PORTS.salesforce, DEFAULT_PORTS.zendesk].map((p) => `${p}:${p}`));
  });

  it('should hand every secret the registry references from the environment only, to its own services', () => {
    for (const [upstream, refs] of Object.entries(refsByUpstream())) {
      for (const ref of refs.filter(isRequired)) {
        for (const service of ['sandbox', `${upstream}-subgraph`]) expect(compose.services[service]?.environment?.[ref]).toBe(`\${${ref}:?set in .env}`);
      }
    }
    for (const v of Object.values(compose.services['gateway']?.environment ?? {})) expect(String(v)).not.toMatch(/^[A-Za-z0-9+/=_-]{32,}$/);
  });

  it('should point the compose registry at the sandbox service and otherwise match the sandbox registry', () => {
    const sandbox = loadRegistry(SANDBOX_REGISTRY_PATH);
    const composed = loadRegistry(resolve(root, 'tenancy/compose.tenants.json'));
    const strip = (r: typeof sandbox) =>
      r.tenants.map((t) => ({
        ...t,
        upstreams: {
          odoo: { ...t.upstreams.odoo, url: '' },
          salesforce: { ...t.upstreams.salesforce, loginUrl: '' },
          zendesk: { ...t.upstreams.zendesk, url: '' },
        },
      }));
    expect(strip(composed)).toEqual(strip(sandbox));
    // One Odoo server per version, in order of first appearance, on 8069, 8079, ... (sandbox/odoo).
    const versions = [...new Set(sandbox.tenants.map((t) => t.upstreams.odoo.version))];
    for (const t of composed.tenants)
      expect(t.upstreams.odoo.url).toBe(`http://sandbox:${DEFAULT_PORTS.odoo + 10 * versions.indexOf(t.upstreams.odoo.version)}`);
  });
});

describe('the admin surface in compose', () => {
  const gateway = () => compose.services['gateway']!;

  it("should serve the admin endpoints on a port of their own, valid for the gateway's config and never published", () => {
    const env = gateway().environment ?? {};
    const parsed = GatewayEnv.parse({ PORT: env['PORT'], ADMIN_PORT: env['ADMIN_PORT'], ADMIN_HOST: env['ADMIN_HOST'] });
    expect(parsed.ADMIN_PORT).toEqual(expect.any(Number));
    expect(parsed.ADMIN_PORT).not.toBe(parsed.PORT);
    expect(gateway().ports?.some((p) => p.split(':').includes(String(parsed.ADMIN_PORT)))).toBe(false);
    // Without ADMIN_PORT (npm start), they stay on the public port behind an admin token, and an admin listener binds loopback.
    expect(GatewayEnv.parse({}).ADMIN_PORT).toBeUndefined();
    expect(GatewayEnv.parse({}).ADMIN_HOST).toBe('127.0.0.1');
  });

  it('should check health on the public port with the public /readyz (status only, cached), never an admin endpoint', () => {
    const test = gateway().healthcheck?.test?.join(' ') ?? '';
    expect(test).toContain(`http://127.0.0.1:${gateway().environment?.['PORT']}/readyz`);
    expect(test).not.toMatch(/\/metrics|\/admin\//);
  });
});

describe('least privilege in compose', () => {
  const credentialNames = (service: string): string[] => {
    const all = new Set(Object.values(refsByUpstream()).flat());
    return Object.keys(compose.services[service]?.environment ?? {}).filter((k) => all.has(k) || /^SANDBOX_/.test(k));
  };

  it("should give each subgraph its own upstream's credentials and no other's", () => {
    const refs = refsByUpstream();
    for (const upstream of UPSTREAMS) {
      const required = refs[upstream].filter(isRequired);
      const held = credentialNames(`${upstream}-subgraph`);
      expect([upstream, held.filter((name) => !refs[upstream].includes(name))]).toEqual([upstream, []]);
      expect([upstream, required.filter((name) => !held.includes(name))]).toEqual([upstream, []]);
    }
  });

  it('should give the gateway no upstream credential, only its own secrets', () => {
    expect(credentialNames('gateway')).toEqual([]);
    const env = compose.services['gateway']?.environment ?? {};
    const secrets = Object.entries(env)
      .filter(([, v]) => String(v).includes('${'))
      .map(([k]) => k)
      .sort();
    expect(secrets).toEqual(['AUTH_HS256_SECRET', 'INTERNAL_TOKEN_SECRET']);
    // And its configuration is complete with just that (production: both secrets are required).
    const parsed = GatewayEnv.parse(containerEnv('gateway'));
    expect(parsed.NODE_ENV).toBe('production');
  });

  it('should give the sandbox, which is the three upstreams, every credential and nothing of the gateway', () => {
    const refs = refsByUpstream();
    const held = credentialNames('sandbox');
    for (const upstream of UPSTREAMS) for (const name of refs[upstream].filter(isRequired)) expect(held).toContain(name);
    const env = compose.services['sandbox']?.environment ?? {};
    for (const key of ['INTERNAL_TOKEN_SECRET', 'AUTH_HS256_SECRET', 'REDIS_URL', 'DATABASE_URL']) expect([key, env[key]]).toEqual([key, undefined]);
  });

  describe.each(UPSTREAMS)('the %s subgraph started with exactly its compose environment', (upstream) => {
    // Unreachable upstreams: start-up resolves secrets and builds clients; discovery fails fast and is not fatal.
    const registry = withUpstreamUrls(loadRegistry(resolve(root, 'tenancy/compose.tenants.json')), {
      odoo: 'http://127.0.0.1:9',
      salesforce: 'http://127.0.0.1:9',
      zendesk: 'http://127.0.0.1:9',
    });
    const start = (env: Record<string, string>) =>
      SUBGRAPH_STARTERS[upstream]({ registry, secrets: { env }, identityKey: internalKey('k'.repeat(40)), log: pino({ level: 'silent' }) });

    it('should start and resolve every tenant credential it needs from its own variables', async () => {
      const running = await start(containerEnv(`${upstream}-subgraph`));
      await running.stop();
    });

    it("should not start with another subgraph's environment, naming the missing reference", async () => {
      const other = UPSTREAMS.find((u) => u !== upstream)!;
      const missing = refsByUpstream()[upstream][0]!;
      await expect(start(containerEnv(`${other}-subgraph`))).rejects.toThrow(new SecretResolutionError(`secret env:${missing} is not set`));
    });
  });
});

describe('the two Redis in compose', () => {
  const command = (service: string): string => compose.services[service]?.command?.join(' ') ?? '';

  it('should bound the bus Redis and evict there only keys with a TTL (never a stream or a cursor)', () => {
    expect(command('redis')).toMatch(/--maxmemory \d+mb/);
    expect(command('redis')).toContain('--maxmemory-policy volatile-lru');
  });

  it('should give the entity cache a Redis of its own, bounded, that may evict any of its keys', () => {
    expect(command('redis-cache')).toMatch(/--maxmemory \d+mb/);
    expect(command('redis-cache')).toContain('--maxmemory-policy allkeys-lru');
    for (const s of SUBGRAPHS) {
      const env = compose.services[`${s.name}-subgraph`]?.environment ?? {};
      expect([s.name, env['CACHE_REDIS_URL'], env['REDIS_URL']]).toEqual([s.name, 'redis://redis-cache:6379', 'redis://redis:6379']);
    }
    expect(compose.services['gateway']?.environment?.['CACHE_REDIS_URL']).toBeUndefined();
    expect(compose.services['gateway']?.environment?.['REDIS_URL']).toBe('redis://redis:6379');
  });
});

describe('the action log in compose', () => {
  it('should give the subgraphs that write upstream the PostgreSQL action log, required in production', () => {
    for (const name of ['odoo-subgraph', 'zendesk-subgraph']) {
      expect(compose.services[name]?.environment?.['DATABASE_URL']).toMatch(/^postgres:\/\/postgres:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\/gateway$/);
    }
    expect(compose.services['gateway']?.environment?.['DATABASE_URL']).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  it('should copy every source folder the build compiles', () => {
    const tsconfig = JSON.parse(readFileSync(resolve(root, 'tsconfig.json'), 'utf8')) as { include: string[] };
    const build = JSON.parse(readFileSync(resolve(root, 'tsconfig.build.json'), 'utf8')) as { exclude: string[] };
    const compiled = tsconfig.include.filter((dir) => !build.exclude.includes(dir) && existsSync(resolve(root, dir)) && !dir.endsWith('.ts'));
    expect(compiled.length).toBeGreaterThan(5);
    for (const dir of compiled) expect(dockerfile).toMatch(new RegExp(`^COPY ${dir} ${dir}$`, 'm'));
  });

  it('should build with the package build script and ship the files read at run time', () => {
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(pkg.scripts['build']).toMatch(/tsc -p tsconfig\.build\.json/);
    expect(dockerfile).toMatch(/schema\/supergraph\.graphql/);
    expect(dockerfile).toMatch(/schema\.graphql/);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/gateway\/main\.js"\]/);
  });
});
