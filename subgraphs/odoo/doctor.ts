/**
 * The Odoo doctor: for one tenant, what its Odoo is and what the schema can get out of it.
 *
 * Checks, in order (a blocking failure stops the checks that depend on it):
 * reachability and version (declared vs found), protocol, credentials, capability discovery, each
 * optional module's state, one row per schema field that will be null and why, the custom fields
 * configured vs present, support-plan products configured vs found, companies and currencies,
 * read access per model, the integration user's groups, and the record-rule restriction.
 */
import type { Logger } from 'pino';
import type { TenantConfig } from '../../tenancy/registry';
import type { SecretSource } from '../../platform/secrets';
import { describeError, FindingList, type DoctorFinding } from '../kit/doctor';
import { ErrorCode, UpstreamError } from '../kit/errors';
import { discoverCapabilities, OPTIONAL_MODULES, READ_MODELS, SCHEMA_SOURCES, type OdooCapabilities } from './capabilities';
import { OdooRejection, type OdooClient, type OdooServerVersion } from './client';
import { CANONICAL_CUSTOM_FIELDS, type OdooCustomFields } from './field-adapter';
import { createTenantOdooClient } from './upstream';

/** The model each custom field lives on. */
const CUSTOM_FIELD_MODEL: Readonly<Record<keyof OdooCustomFields, string>> = {
  entitlementStart: 'sale.order.line',
  entitlementEnd: 'sale.order.line',
  supportTier: 'product.product',
  warrantyMonths: 'product.product',
};

/** Group xml ids the doctor reasons about, with the names Odoo shows (Settings / Users / Groups). */
const SALESMAN = 'sales_team.group_sale_salesman';
const ALL_DOCUMENTS = ['sales_team.group_sale_salesman_all_leads', 'sales_team.group_sale_manager'];
/** Groups that may read credit limits and balances, and those that imply them (account/security/account_security.xml). */
const ACCOUNTING_READERS = ['account.group_account_invoice', 'account.group_account_readonly', 'account.group_account_user', 'account.group_account_manager'];
const ACCOUNTING_NAMES =
  "'Invoicing / Invoicing' (account.group_account_invoice) or 'Technical / Show Accounting Features - Readonly' (account.group_account_readonly)";

const isCredentialRefusal = (err: unknown): boolean =>
  err instanceof UpstreamError &&
  err.code === ErrorCode.UPSTREAM_REJECTED &&
  (err.message === 'Odoo refused the integration credentials' ||
    err.extensions['status'] === 401 ||
    (err instanceof OdooRejection && /AccessDenied|Unauthorized/.test(err.odooName)));

/** Reachability, version and protocol; the server version when the other checks can go on. */
async function checkServer(client: OdooClient, tenant: TenantConfig, out: FindingList): Promise<OdooServerVersion | undefined> {
  const config = tenant.upstreams.odoo;
  let server: OdooServerVersion;
  try {
    server = await client.version();
  } catch (err) {
    const misconfigured = err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_MISCONFIGURED;
    out.fail('reachability', `${misconfigured ? 'not an Odoo API' : 'unreachable'} at ${config.url}: ${describeError(err)}`);
    return undefined;
  }
  out.ok('reachability', `Odoo ${server.serverVersion} answers at ${config.url}`);
  const declared = Number(config.version.split('.')[0]);
  if (declared === server.major) out.ok('version', `declared ${config.version}, server runs ${server.serverVersion}`);
  else
    out.warn(
      'version',
      `the registry declares ${config.version} but the server runs ${server.serverVersion}: field names may be adapted wrongly (set upstreams.odoo.version "${server.major}.0")`,
    );
  if (config.protocol === 'json2' && server.major < 19) {
    out.fail(
      'protocol',
      `json2 configured, but the server runs Odoo ${server.serverVersion}, which has no JSON-2 API (Odoo 19 and later): set protocol "jsonrpc"`,
    );
    return undefined;
  }
  out.ok(
    'protocol',
    config.protocol === 'json2'
      ? 'json2 (/json/2, bearer API key)'
      : `jsonrpc (/jsonrpc execute_kw)${server.major >= 19 ? '; this server also offers JSON-2' : ''}`,
  );
  return server;
}

/** Credentials: the first authenticated call. Returns the res.users fields when readable. */
async function checkCredentials(
  client: OdooClient,
  tenant: TenantConfig,
  out: FindingList,
): Promise<{ ok: boolean; userFields: Record<string, Record<string, unknown>> | undefined }> {
  const config = tenant.upstreams.odoo;
  try {
    const userFields = await client.fieldsGet('res.users', ['type', 'relation']);
    out.ok('credentials', `${config.login} logs in to database ${config.db}`);
    return { ok: true, userFields };
  } catch (err) {
    if (isCredentialRefusal(err)) {
      out.fail(
        'credentials',
        `Odoo refused the API key of ${config.login} on database ${config.db} (check the login, the database name and the key referenced by upstreams.odoo.apiKey)`,
      );
      return { ok: false, userFields: undefined };
    }
    if (err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_REJECTED) {
      out.ok('credentials', `${config.login} logs in to database ${config.db} (but may not read res.users)`);
      return { ok: true, userFields: undefined };
    }
    out.fail('credentials', `could not log in: ${describeError(err)}`);
    return { ok: false, userFields: undefined };
  }
}

/** Which optional modules schema fields depend on (a missing model or field, or `quietWithout`). */
function dependents(caps: OdooCapabilities): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of SCHEMA_SOURCES) {
    const reason = caps.missing(s.model, s.source);
    const module =
      s.quietWithout !== undefined && !caps.moduleInstalled(s.quietWithout)
        ? s.quietWithout
        : reason
          ? /^Odoo module (\S+) is not installed/.exec(reason)?.[1]
          : undefined;
    if (module !== undefined) out.set(module, [...(out.get(module) ?? []), s.field]);
  }
  return out;
}

function checkModules(caps: OdooCapabilities, out: FindingList): void {
  const needs = dependents(caps);
  if (caps.modules.size === 0) {
    out.warn('modules', 'module states unknown: the integration user cannot read ir.module.module (fields_get still tells what exists)');
  } else {
    const installed = OPTIONAL_MODULES.filter((m) => caps.moduleInstalled(m));
    const unused = OPTIONAL_MODULES.filter((m) => !caps.moduleInstalled(m) && !needs.has(m)).map((m) => `${m} (${caps.modules.get(m) ?? 'not present'})`);
    out.ok(
      'modules',
      `installed: ${installed.join(', ') || 'none'}${unused.length ? `; not installed, no schema field needs them: ${unused.join(', ')}` : ''}`,
    );
  }
  for (const module of OPTIONAL_MODULES) {
    const fields = needs.get(module);
    if (caps.moduleInstalled(module) || fields === undefined) continue;
    out.warn(`module ${module}`, `${caps.modules.get(module) ?? 'not installed'}: ${fields.join(', ')} ${fields.length === 1 ? 'is' : 'are'} null without it`);
  }
}

function checkFields(caps: OdooCapabilities, out: FindingList): void {
  let nulls = 0;
  for (const s of SCHEMA_SOURCES) {
    const reason = caps.missing(s.model, s.source);
    if (reason === null) continue;
    // Quiet without its module: the module's row says so; the field is simply null, no error.
    if (s.quietWithout !== undefined && !caps.moduleInstalled(s.quietWithout) && reason === `Odoo module ${s.quietWithout} is not installed`) continue;
    nulls += 1;
    out.warn(`field ${s.field}`, `null (UPSTREAM_CAPABILITY_MISSING): ${reason}`);
  }
  if (nulls === 0) out.ok('schema fields', `every Odoo-sourced schema field can be read (${SCHEMA_SOURCES.length} checked)`);
}

function checkCustomFields(caps: OdooCapabilities, tenant: TenantConfig, out: FindingList): void {
  const configured = tenant.upstreams.odoo.customFields;
  const keys = (Object.keys(CANONICAL_CUSTOM_FIELDS) as Array<keyof OdooCustomFields>).filter((k) => configured[k] !== undefined);
  if (keys.length === 0) {
    out.ok('custom fields', 'none configured: entitlements come from the support-plan products alone');
    return;
  }
  for (const key of keys) {
    const model = CUSTOM_FIELD_MODEL[key];
    const own = configured[key] ?? '';
    const reason = caps.missing(model, CANONICAL_CUSTOM_FIELDS[key]);
    if (reason === null) out.ok(`custom field ${key}`, `${model}.${own} present`);
    else out.warn(`custom field ${key}`, `${model}.${own} configured but not readable: ${reason.replace(CANONICAL_CUSTOM_FIELDS[key], own)}`);
  }
}

function checkPlans(caps: OdooCapabilities, tenant: TenantConfig, out: FindingList): void {
  const plans = tenant.upstreams.odoo.entitlements.plans;
  if (plans.length === 0) {
    out.ok('support plans', 'none configured');
    return;
  }
  const found = [...caps.plans.values()];
  const missing = plans.filter((p) => !found.some((f) => f.tier === p.tier && f.termMonths === p.termMonths));
  const names = (ps: typeof plans): string => ps.map((p) => (p.sku !== undefined ? `sku ${p.sku}` : `category ${p.category ?? ''}`)).join(', ');
  if (missing.length === 0)
    out.ok('support plans', `${plans.length} configured, ${found.length} product${found.length === 1 ? '' : 's'} found (${names(plans)})`);
  else
    out.warn(
      'support plans',
      `${plans.length} configured, ${plans.length - missing.length} found; no product for ${names(missing)}: orders of it are not recognized as entitlements`,
    );
}

function checkCompanies(caps: OdooCapabilities, tenant: TenantConfig, out: FindingList): void {
  const wanted = tenant.upstreams.odoo.companies;
  const list = caps.companies.map((c) => `${c.name} #${c.id} (${c.currencyCode}, ${c.timeZone ?? 'UTC'})`).join('; ');
  if (caps.companies.length === 0) {
    out.warn('companies', 'no company readable: amounts have no currency');
    return;
  }
  const lost = (wanted ?? []).filter((id) => !caps.companies.some((c) => c.id === id));
  const currencies = [...new Set(caps.companies.map((c) => c.currencyCode))];
  const detail = `${caps.companies.length}: ${list}; currenc${currencies.length === 1 ? 'y' : 'ies'} ${currencies.join(', ')}; main company ${caps.companies[0]?.name ?? ''}`;
  if (lost.length > 0) out.warn('companies', `${detail}; configured company ids ${lost.join(', ')} not found or not allowed for the user`);
  else out.ok('companies', detail);
}

async function checkAccess(client: OdooClient, caps: OdooCapabilities, out: FindingList): Promise<void> {
  const existing = READ_MODELS.filter((m) => caps.models.get(m) !== null && caps.models.get(m) !== undefined);
  const refused: string[] = [];
  const failed: string[] = [];
  await Promise.all(
    existing.map(async (model) => {
      try {
        await client.searchRead(model, [], { fields: ['id'], limit: 1 });
      } catch (err) {
        if (err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_REJECTED) refused.push(model);
        else failed.push(`${model} (${describeError(err)})`);
      }
    }),
  );
  const absent = READ_MODELS.filter((m) => !existing.includes(m));
  const tail = absent.length ? `; not on the server or not readable at all: ${absent.join(', ')}` : '';
  if (refused.length + failed.length === 0) out.ok('access rights', `reads ${existing.join(', ')}${tail}`);
  else
    out.warn(
      'access rights',
      `${refused.length ? `the integration user may not read ${refused.sort().join(', ')}` : ''}${failed.length ? `${refused.length ? '; ' : ''}reading failed: ${failed.join(', ')}` : ''}${tail}`,
    );
}

/** The integration user's groups (discovered with the capabilities), accounting access and record rules. */
function checkGroups(caps: OdooCapabilities, tenant: TenantConfig, out: FindingList): void {
  const groups = caps.user.groups;
  if (groups === null) {
    out.warn('groups', 'unknown (cannot read res.users groups)');
    out.warn('record rules', 'unknown (cannot read res.users groups)');
    return;
  }
  const label = (xmlid: string): string => (groups.get(xmlid) ? `${groups.get(xmlid)} (${xmlid})` : xmlid);
  const notable = [...groups.keys()]
    .filter((x) => /^(sales_team|account|stock|base)\.group_(sale|account|stock|system|erp_manager|multi_company|user)/.test(x))
    .sort();
  out.ok(
    'groups',
    `${tenant.upstreams.odoo.login}: ${notable.map((x) => groups.get(x) || x).join(', ') || 'none of the sales, accounting or inventory groups'}`,
  );
  const has = (xs: readonly string[]): boolean => xs.some((x) => groups.has(x));
  if (!has(ACCOUNTING_READERS)) out.warn('accounting access', `not in ${ACCOUNTING_NAMES}: credit limit and balances unreadable`);
  else
    out.ok(
      'accounting access',
      `in ${ACCOUNTING_READERS.filter((x) => groups.has(x))
        .map(label)
        .join(', ')}`,
    );
  if (caps.ownDocumentsOnly) {
    out.warn(
      'record rules',
      "Sales / User: Own Documents Only — record rules hide other salespeople's orders, their lines and their customer invoices; open balances are not answered (they would be partial). Add 'Sales / User: All Documents' to see every document",
    );
  } else if (!has([SALESMAN, ...ALL_DOCUMENTS])) {
    out.warn('record rules', 'no Sales group: sale orders are not readable');
  } else {
    out.ok('record rules', `${label(ALL_DOCUMENTS.find((x) => groups.has(x)) ?? SALESMAN)}: every salesperson's orders and invoices are visible`);
  }
}

/** The Odoo doctor of one tenant. Never throws. */
export async function odooDoctor(tenant: TenantConfig, secrets: SecretSource, log: Logger): Promise<DoctorFinding[]> {
  const out = new FindingList(tenant.id, 'odoo');
  let client: OdooClient;
  try {
    // The doctor's own calls are expected to fail on a broken tenant: only debug logs from the client.
    client = createTenantOdooClient(tenant, secrets, log.child({ component: 'doctor' }, { level: 'silent' }));
  } catch (err) {
    out.fail('credentials', describeError(err));
    return out.findings;
  }
  const server = await checkServer(client, tenant, out);
  if (!server) return out.findings;
  const creds = await checkCredentials(client, tenant, out);
  if (!creds.ok) return out.findings;
  let caps: OdooCapabilities;
  try {
    caps = await discoverCapabilities(client, tenant.upstreams.odoo);
  } catch (err) {
    // The subgraph discovers exactly this before serving the tenant: a failure here is a tenant it cannot serve.
    out.fail('discovery', `capability discovery failed: ${describeError(err)}`);
    return out.findings;
  }
  checkModules(caps, out);
  checkFields(caps, out);
  checkCustomFields(caps, tenant, out);
  checkPlans(caps, tenant, out);
  checkCompanies(caps, tenant, out);
  await checkAccess(client, caps, out).catch((err: unknown) => out.warn('access rights', `unknown: ${describeError(err)}`));
  checkGroups(caps, tenant, out);
  return out.findings;
}
