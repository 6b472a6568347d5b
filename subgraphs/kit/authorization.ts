/**
 * The authorization building blocks every subgraph's permissions.ts uses: a field is visible to an
 * identity when one of its roles is allowed by the default policy AND the tenant's policy overlay
 * does not hide that field for that role (data minimization per tenant). `admin` sees everything
 * the overlay leaves visible. Denials are FORBIDDEN errors on the field's path; the rest of the
 * answer arrives.
 */
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IMiddlewareGenerator } from 'graphql-middleware';
import type { IRules } from 'graphql-shield';
import type { GraphQLResolveInfo } from 'graphql';
import type { Role } from '../../tenancy/identity';
import { overlayHides } from '../../tenancy/registry';
import type { BaseContext } from './context';
import { forbidden } from './errors';

/** `'any'`: every authenticated role. */
export type Audience = readonly Role[] | 'any';

/** Whether an identity with these roles may see `Type.field` under the tenant's overlay. */
export function canSee(ctx: BaseContext, typeName: string, fieldName: string, audience: Audience): boolean {
  const path = `${typeName}.${fieldName}`;
  return ctx.identity.roles.some((role) => (audience === 'any' || role === 'admin' || audience.includes(role)) && !overlayHides(ctx.tenant, role, path));
}

/** A shield rule for fields seen by `audience` (evaluated per field: the overlay is per field). */
function visibleTo(audience: Audience) {
  const name = audience === 'any' ? 'visibleToAnyRole' : `visibleTo(${[...audience].sort().join(',')})`;
  return rule(name, { cache: 'no_cache' })(async (_parent: unknown, _args: unknown, ctx: BaseContext, info: GraphQLResolveInfo) =>
    canSee(ctx, info.parentType.name, info.fieldName, audience) ? true : forbidden(`Not authorized to access ${info.parentType.name}.${info.fieldName}`),
  );
}

/**
 * A rule tree from a readable policy: for each type, the audience of every field not listed, and
 * the audience of each sensitive field. Anything not covered is denied; federation's own
 * `_service`/`_entities` and the `_Service` type are allowed (entities reached through `_entities`
 * are covered by their own type rules).
 */
export interface TypePolicy {
  /** Audience of fields not listed in `fields`. */
  default: Audience;
  fields?: Record<string, Audience>;
}

export function buildPermissions<C extends BaseContext>(policy: Readonly<Record<string, TypePolicy>>): IMiddlewareGenerator<unknown, C, unknown> {
  // graphql-shield refuses two rule instances with one name: one instance per audience.
  const rules = new Map<string, ReturnType<typeof visibleTo>>();
  const ruleFor = (audience: Audience) => {
    const key = audience === 'any' ? 'any' : [...audience].sort().join(',');
    let r = rules.get(key);
    if (!r) rules.set(key, (r = visibleTo(audience)));
    return r;
  };
  const tree: IRules = { Query: { _service: allow, _entities: allow }, _Service: allow };
  for (const [typeName, typePolicy] of Object.entries(policy)) {
    const fields: Record<string, ReturnType<typeof visibleTo>> = { '*': ruleFor(typePolicy.default) };
    for (const [field, audience] of Object.entries(typePolicy.fields ?? {})) fields[field] = ruleFor(audience);
    tree[typeName] = { ...((tree[typeName] as object | undefined) ?? {}), ...fields };
  }
  return shield(tree, { fallbackRule: deny, fallbackError: () => forbidden(), allowExternalErrors: true }) as IMiddlewareGenerator<unknown, C, unknown>;
}
