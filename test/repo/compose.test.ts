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
import { loadRegistry } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';

const root = resolve(__dirname, '..', '..');
interface Service {
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
}
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** `node dist/x/y.js` → `x/y.ts` must exist in the repo and be what the build compiles. */
const sourceOf = (command: string[]): string => resolve(root, command[1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

/** The sandbox's Odoo servers' ports: one per distinct version of the sandbox registry. */
const odooServerPorts = (): number[] =>
  [...new Set(loadRegistry(SANDBOX_REGISTRY_PATH).tenants.map((t) => t.upstreams.odoo.version))].map((_, i) => DEFAULT_PORTS.odoo + 10 * i);

describe('docker-compose.yml', () => {
  it('should run every command from a compiled entry point that exists', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'redis' || name === 'postgres') continue; // stock images
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

  it('should give every service the secrets the registry references, from the environment only', () => {
    const registry = loadRegistry(SANDBOX_REGISTRY_PATH);
    const refs = registry.tenants.flatMap((t) => [
      t.upstreams.odoo.apiKey,
      t.upstreams.salesforce.clientId,
      t.upstreams.salesforce.clientSecret,
      t.upstreams.zendesk.token,
    ]);
    for (const ref of refs) {
      expect('env' in ref).toBe(true);
      if ('env' in ref) expect(compose.services['odoo-subgraph']?.environment?.[ref.env]).toBe(`\${${ref.env}:?set in .env}`);
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
