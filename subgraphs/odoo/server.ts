/**
 * The Odoo subgraph service: schema + resolvers + permissions in the kit's server, one Odoo client
 * per tenant (credentials resolved once, at start-up, so a missing secret stops the process before
 * it listens), fresh loaders per request.
 */
import { Kind, type DocumentNode } from 'graphql';
import { tenantLookup } from '../../tenancy/registry';
import { resolveSecret } from '../../tenancy/secrets';
import { createLogger } from '../kit/log';
import { clientsPerTenant, startSubgraphServer, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { createOdooClient } from './client';
import { createFieldAdapter } from './field-adapter';
import { createOdooLoaders } from './loaders';
import { odooPermissions } from './permissions';
import { resolvers, type OdooContext } from './resolvers';
import { typeDefs } from './typeDefs';

/** Options of {@link startOdooSubgraph}: the kit's, nothing more. */
export type OdooSubgraphOptions = SubgraphOptions;

/** `Type.field` paths of non-null fields: hiding one of them nulls its parent, not just the field. */
export function nonNullFieldPaths(doc: DocumentNode): Set<string> {
  const out = new Set<string>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of def.fields ?? []) if (field.type.kind === Kind.NON_NULL_TYPE) out.add(`${def.name.value}.${field.name.value}`);
  }
  return out;
}

export async function startOdooSubgraph(options: OdooSubgraphOptions): Promise<RunningSubgraph> {
  const { port = 0, host = '127.0.0.1', registry, secrets, identityKey, cache, economy = 'batched' } = options;
  const log = options.log ?? createLogger('odoo-subgraph');

  // One client per tenant, reused across requests (it keeps the Odoo uid and the keep-alive pool).
  const clients = clientsPerTenant(registry, (tenant) =>
    createOdooClient({
      url: tenant.upstreams.odoo.url,
      db: tenant.upstreams.odoo.db,
      login: tenant.upstreams.odoo.login,
      apiKey: resolveSecret(tenant.upstreams.odoo.apiKey, secrets),
      protocol: tenant.upstreams.odoo.protocol,
      timeoutMs: tenant.upstreams.odoo.timeoutMs,
      fieldAdapter: createFieldAdapter(tenant.upstreams.odoo.version, tenant.upstreams.odoo.customFields),
      log: log.child({ tenant: tenant.id, upstream: 'odoo' }),
    }),
  );
  const nonNull = nonNullFieldPaths(typeDefs);
  for (const tenant of registry.tenants) {
    for (const [role, paths] of Object.entries(tenant.policy.hiddenFields)) {
      for (const path of paths ?? []) {
        if (nonNull.has(path)) log.warn({ tenant: tenant.id, role, field: path }, 'hidden field is non-null in the Odoo schema: hiding it nulls its parent object');
      }
    }
  }

  return startSubgraphServer<OdooContext>({
    name: 'odoo',
    typeDefs,
    resolvers,
    permissions: odooPermissions(),
    port,
    host,
    identityKey,
    tenantOf: tenantLookup(registry),
    log,
    createContext: (base) => {
      const client = clients.get(base.tenant.id);
      if (!client) throw new Error(`no Odoo client for tenant ${base.tenant.id}`);
      return {
        ...base,
        loaders: createOdooLoaders({
          client,
          tenant: base.tenant,
          // A cached fetch may be shared by other requests (single flight): only an unshared one
          // follows this request's signal; shared ones stay bounded by the tenant's `timeoutMs`.
          signal: cache ? undefined : base.signal,
          cache,
          economy,
          onStale: (serve) => base.stale.push(serve),
        }),
      };
    },
  });
}
