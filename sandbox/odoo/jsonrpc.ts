/**
 * The JSON-RPC routes: `/jsonrpc`, `/web/session/authenticate`, `/web/dataset/call_kw`, plus the
 * HTTP-level answers Odoo (werkzeug) gives for bad requests and unknown routes.
 */
import type { SandboxReply, SandboxRequest } from '../kit/emulator';
import { ADMIN_UID, type OdooBackend } from './backend';
import { callKw } from './dispatch';
import { OdooError, accessDenied } from './errors';
import { secondsOnly } from './store';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export const htmlReply = (status: number, body: string, headers: Record<string, string> = {}): SandboxReply => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  body,
});

const inferredTypeError = (path: string): SandboxReply =>
  htmlReply(
    400,
    `<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>Request inferred type is compatible with [&#39;http&#39;] but &#39;${path}&#39; is type=&#39;json&#39;.</p>\n`,
  );

export const notFoundPage = (): SandboxReply =>
  htmlReply(
    404,
    '<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset="utf-8"/>\n        <title>Odoo</title>\n    </head>\n    <body>\n        <div class="container">\n            <h1>404: Page not found!</h1>\n            <p>The page you were looking for could not be found; it is possible you have typed the address incorrectly, but it has most probably been removed due to the recent website reorganisation.</p>\n        </div>\n    </body>\n</html>',
    { 'set-cookie': 'frontend_lang=en_US; Path=/' },
  );

/** Whether the request is a JSON request by Odoo's standards (mimetype application/json or application/json-rpc). */
export function isJsonRequest(req: SandboxRequest): boolean {
  const ct = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  return req.method === 'POST' && (ct === 'application/json' || ct === 'application/json-rpc');
}

/** The JSON-RPC body, or the 400 reply werkzeug/Odoo gives for an unparsable or non-object body. */
export function parseJsonRpc(req: SandboxRequest): { ok: true; id: unknown; params: Record<string, unknown> } | { ok: false; reply: SandboxReply } {
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    return { ok: false, reply: htmlReply(400, 'Invalid JSON data') };
  }
  if (!isRecord(body)) return { ok: false, reply: htmlReply(400, 'Invalid JSON-RPC data') };
  return { ok: true, id: body.id ?? null, params: isRecord(body.params) ? body.params : {} };
}

/** The JSON-RPC answer: `result` (absent for None) or the error envelope. */
export function envelope(
  backend: OdooBackend,
  id: unknown,
  outcome: { result: unknown } | { error: OdooError },
  headers: Record<string, string> = {},
): SandboxReply {
  const body: Record<string, unknown> = { jsonrpc: '2.0', id };
  if ('error' in outcome) {
    const session = outcome.error.odooName === 'odoo.http.SessionExpiredException';
    body.error = {
      code: session ? 100 : backend.version.serie === '19.0' ? 0 : 200,
      message: session ? 'Odoo Session Expired' : 'Odoo Server Error',
      data: outcome.error.toData(),
    };
  } else if (outcome.result !== undefined) body.result = outcome.result;
  return { status: 200, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

function run(backend: OdooBackend, id: unknown, fn: () => unknown, headers?: Record<string, string>): SandboxReply {
  try {
    return envelope(backend, id, { result: fn() }, headers);
  } catch (err) {
    if (err instanceof OdooError) return envelope(backend, id, { error: err }, headers);
    throw err;
  }
}

export function sessionIdOf(req: SandboxRequest): string | undefined {
  const cookie = String(req.headers.cookie ?? '');
  return /(?:^|;\s*)session_id=([^;]+)/.exec(cookie)?.[1];
}

function sessionInfo(backend: OdooBackend, dbName: string, baseUrl: string): Record<string, unknown> {
  const t = backend.byDb(dbName);
  const v = backend.version;
  const admin = t?.db.get('res.partner', 3);
  const company = t?.db.get('res.company', 1);
  const currencyId = typeof company?.currency_id === 'number' ? company.currency_id : 1;
  const currency = t?.db.get('res.currency', currencyId);
  const settings = {
    id: 1,
    user_id: { id: ADMIN_UID },
    is_discuss_sidebar_category_channel_open: true,
    is_discuss_sidebar_category_chat_open: true,
    push_to_talk_key: false,
    use_push_to_talk: false,
    voice_active_duration: 200,
    channel_notifications: false,
    mute_until_dt: false,
    volumes: [['ADD', []]],
  };
  const view = (display_name: string, icon: string, multi_record: boolean): Record<string, unknown> => ({ display_name, icon, multi_record });
  return {
    uid: ADMIN_UID,
    is_system: true,
    is_admin: true,
    is_public: false,
    is_internal_user: true,
    user_context: { lang: 'en_US', tz: false, uid: ADMIN_UID },
    db: dbName,
    user_settings: settings,
    server_version: v.serverVersion,
    server_version_info: v.info,
    support_url: 'https://www.odoo.com/buy',
    name: String(admin?.name ?? 'Administrator'),
    username: t?.cfg.login ?? 'admin',
    partner_write_date: String(secondsOnly(admin?.write_date ?? '')),
    partner_display_name: String(admin?.name ?? 'Administrator'),
    partner_id: 3,
    'web.base.url': baseUrl,
    active_ids_limit: 20000,
    profile_session: null,
    profile_collectors: null,
    profile_params: null,
    max_file_upload_size: 134217728,
    home_action_id: false,
    cache_hashes: { translations: '00824d188bc14af9b28311a21f884408a10d9c1a', load_menus: 'a5a3972172a795a6728d511c2bcd0a18690c45d1dd790c3fabee89fac8e22b61' },
    currencies: { [String(currencyId)]: { symbol: String(currency?.symbol ?? '$'), position: String(currency?.position ?? 'before'), digits: [69, 2] } },
    bundle_params: { lang: 'en_US' },
    test_mode: false,
    view_info: {
      list: view('List', 'oi oi-view-list', true),
      form: view('Form', 'fa fa-address-card', false),
      graph: view('Graph', 'fa fa-area-chart', true),
      pivot: view('Pivot', 'oi oi-view-pivot', true),
      calendar: view('Calendar', 'fa fa-calendar', true),
      kanban: view('Kanban', 'oi oi-view-kanban', true),
      search: view('Search', 'oi oi-search', true),
      activity: view('Activity', 'fa fa-clock-o', true),
    },
    user_companies: {
      current_company: 1,
      allowed_companies: { '1': { id: 1, name: String(company?.name ?? 'My Company'), sequence: 0, child_ids: [], parent_id: false } },
      disallowed_ancestor_companies: {},
    },
    show_effect: true,
    display_switch_company_menu: false,
    max_time_between_keys_in_ms: 150,
    websocket_worker_version: `${v.serie}-5`,
    tour_enabled: true,
    current_tour: {
      name: 'sale_tour',
      custom: false,
      url: '/odoo',
      steps: [],
      rainbowManMessage: '<span><b>Congratulations</b>, your first quotation is sent!<br>Check your email to validate the quote.\n        </span>',
    },
    storeData: {
      Store: {
        action_discuss_id: 126,
        channel_types_with_seen_infos: ['chat', 'group'],
        hasGifPickerFeature: false,
        hasLinkPreviewFeature: true,
        hasMessageTranslationFeature: false,
        internalUserGroupId: 1,
        mt_comment_id: 1,
        odoobot: { id: 2, type: 'partner' },
        self: { id: 3, type: 'partner' },
        settings,
      },
      'res.partner': [
        {
          active: false,
          avatar_128_access_token: 'd0e0092589ab7e636420f66cbdaae9bb1f10783d5b4ba8d9c1c28990ec1d2bc4o0x6b2f2f51',
          email: 'odoobot@example.com',
          id: 2,
          im_status: 'bot',
          isInternalUser: true,
          is_company: false,
          name: 'OdooBot',
          userId: 1,
          write_date: String(secondsOnly(t?.db.get('res.partner', 2)?.write_date ?? '')),
        },
        {
          active: true,
          avatar_128_access_token: '8e874c14a65e6bfb61affb524d8b30709701975f757dcdd7c1056b684b65cdf3o0x6b2f3078',
          id: 3,
          isAdmin: true,
          isInternalUser: true,
          name: String(admin?.name ?? 'Administrator'),
          notification_preference: 'email',
          signature: `<span data-o-mail-quote="1">-- <br data-o-mail-quote="1">\n${String(admin?.name ?? 'Administrator')}</span>`,
          userId: ADMIN_UID,
          write_date: String(secondsOnly(admin?.write_date ?? '')),
        },
      ],
    },
    iap_company_enrich: true,
    can_insert_in_spreadsheet: false,
  };
}

const sessionCookie = (sid: string, now: Date): string =>
  `session_id=${sid}; Expires=${new Date(now.getTime() + 365 * 86_400_000).toUTCString()}; Max-Age=604800; HttpOnly; Path=/`;

/** Routes of type='json': `/jsonrpc` and the `/web/...` ones. */
export function handleJsonRoutes(backend: OdooBackend, req: SandboxRequest): SandboxReply | undefined {
  const path = req.url.pathname;
  const isWebCall = path === '/web/dataset/call_kw' || path.startsWith('/web/dataset/call_kw/');
  const jsonRoutes =
    path === '/jsonrpc' || path === '/web/session/authenticate' || path === '/web/session/get_session_info' || path === '/web/session/destroy' || isWebCall;
  if (!jsonRoutes) return undefined;
  if (!isJsonRequest(req)) return inferredTypeError(path);
  const parsed = parseJsonRpc(req);
  if (!parsed.ok) return parsed.reply;
  const { id, params } = parsed;
  if (path === '/jsonrpc') return run(backend, id, () => backend.dispatchRpc(params.service, params.method, params.args));

  if (path === '/web/session/authenticate') {
    let sid: string | undefined;
    const reply = run(backend, id, () => {
      const uid = backend.authenticate(params.db, params.login, params.password);
      if (uid === undefined) throw accessDenied();
      sid = backend.newSession(String(params.db), uid);
      return sessionInfo(backend, String(params.db), req.url.origin);
    });
    if (sid) reply.headers = { ...reply.headers, 'set-cookie': sessionCookie(sid, backend.clock()) };
    return reply;
  }

  const sid = sessionIdOf(req);
  const session = sid ? backend.sessions.get(sid) : undefined;
  const tenant = session ? backend.byDb(session.db) : undefined;
  if (!session || !tenant || !sid) {
    return envelope(backend, null, { error: new OdooError('odoo.http.SessionExpiredException', 'Session expired') });
  }
  const cookie = { 'set-cookie': sessionCookie(sid, backend.clock()) };
  if (path === '/web/session/get_session_info') return run(backend, id, () => sessionInfo(backend, session.db, req.url.origin), cookie);
  if (path === '/web/session/destroy') {
    backend.sessions.delete(sid);
    return run(backend, id, () => undefined);
  }
  return run(
    backend,
    id,
    () =>
      callKw({ db: tenant.db, uid: session.uid, model: String(params.model), method: String(params.method), args: params.args, kwargs: params.kwargs ?? {} }),
    cookie,
  );
}
