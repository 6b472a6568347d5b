/**
 * The JSON-2 API (Odoo 19): `POST /json/2/<model>/<method>` with a bearer API key, named
 * arguments in the body, bare JSON results and error bodies whose status follows the exception.
 */
import type { SandboxReply, SandboxRequest } from '../kit/emulator';
import type { OdooBackend, TenantDb } from './backend';
import { bindArgs, publicMethod } from './dispatch';
import { BEHAVIOURS } from './methods';
import { OdooError, json2Status } from './errors';
import { toIds } from './orm';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Methods whose Python result is a recordset: JSON-2 sends its ids. */
const RETURNS_RECORDS = new Set(['create', 'message_post', 'search', 'exists']);

const errorReply = (err: OdooError, status = json2Status(err)): SandboxReply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(err.toData()),
});

export function bearerKey(req: SandboxRequest): string | undefined {
  const m = /^bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? '').trim());
  return m?.[1];
}

/** The tenant a JSON-2 request authenticates as, if any. */
export function json2Tenant(backend: OdooBackend, req: SandboxRequest): TenantDb | undefined {
  const key = bearerKey(req);
  if (!key) return undefined;
  const header = req.headers['x-odoo-database'];
  return backend.byApiKey(key, typeof header === 'string' && header ? header : undefined);
}

/**
 * `/json/2/...` on a server older than 19.0 (FACTS 17): the web client's `/json/<path>` route
 * (auth=user) catches it. With one database (monodb) werkzeug redirects to the login page; with
 * several, and no session to pick one, nothing routes it: 404. Bodies byte for byte as recorded.
 */
export function json2BeforeOdoo19(backend: OdooBackend, req: SandboxRequest): SandboxReply {
  if (backend.dbNames().length === 1) {
    const location = `/web/login?redirect=${encodeURIComponent(`${req.url.pathname}?`)}`;
    return {
      status: 303,
      headers: { 'content-type': 'text/html; charset=utf-8', location },
      body: `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${location}">${location}</a>. If not, click the link.\n`,
    };
  }
  return {
    status: 404,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n',
  };
}

export function handleJson2(backend: OdooBackend, req: SandboxRequest): SandboxReply {
  if (backend.version.serie !== '19.0') return json2BeforeOdoo19(backend, req);
  const parts = req.url.pathname.split('/').filter(Boolean); // json, 2, model, method
  const model = parts[2];
  const method = parts[3];
  if (req.method !== 'POST' || parts.length !== 4 || !model || !method) {
    return errorReply(new OdooError('werkzeug.exceptions.NotFound', 'Did you mean POST /json/2/<model>/<method>?'), 404);
  }
  const tenant = json2Tenant(backend, req);
  if (!tenant) return errorReply(new OdooError('werkzeug.exceptions.Unauthorized', 'Invalid apikey', ['Invalid apikey', 401]), 401);
  let body: unknown = {};
  if (req.body.length) {
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch (e) {
      return errorReply(
        new OdooError('werkzeug.exceptions.BadRequest', `could not parse the body as json: ${e instanceof Error ? e.message : String(e)}`),
        400,
      );
    }
  }
  if (!isRecord(body)) return errorReply(new OdooError('werkzeug.exceptions.BadRequest', 'the body must be a json object'), 400);
  if (!tenant.db.model(model)) return errorReply(new OdooError('werkzeug.exceptions.NotFound', `the model '${model}' does not exist`), 404);
  try {
    let spec;
    try {
      spec = publicMethod(tenant.db, model, method);
    } catch (err) {
      if (err instanceof OdooError && err.odooName === 'builtins.AttributeError')
        return errorReply(new OdooError('werkzeug.exceptions.NotFound', err.message), 404);
      throw err;
    }
    const { ids, context, ...kwargs } = body;
    if (spec.model && ids !== undefined)
      return errorReply(new OdooError('werkzeug.exceptions.UnprocessableEntity', `cannot call ${model}.${method} with ids`), 422);
    let p: Record<string, unknown>;
    try {
      p = bindArgs(method, spec, [], kwargs);
    } catch (err) {
      if (err instanceof OdooError && err.odooName === 'builtins.TypeError')
        return errorReply(new OdooError('werkzeug.exceptions.UnprocessableEntity', err.message), 422);
      throw err;
    }
    const ctx = isRecord(context) ? context : {};
    const result = tenant.db.transaction(
      ctx,
      () => spec.fn({ db: tenant.db, uid: tenant.uid, context: ctx, behaviours: BEHAVIOURS }, toIds(ids), p, model),
      tenant.uid,
    );
    const bare = RETURNS_RECORDS.has(method) && typeof result === 'number' ? [result] : result;
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(bare === undefined ? null : bare) };
  } catch (err) {
    if (err instanceof OdooError) return errorReply(err);
    throw err;
  }
}
