/**
 * Odoo exceptions as they cross the wire: the Python class name (`data.name`), the message, the
 * `args` tuple and a plausible traceback. Every failure the emulator reports is an `OdooError`;
 * the protocol modules turn it into a JSON-RPC envelope or a JSON-2 body.
 */

/** The exception classes the emulator raises, by their wire name. */
export type OdooErrorName =
  | 'odoo.exceptions.UserError'
  | 'odoo.exceptions.ValidationError'
  | 'odoo.exceptions.AccessError'
  | 'odoo.exceptions.AccessDenied'
  | 'odoo.exceptions.MissingError'
  | 'odoo.http.SessionExpiredException'
  | 'psycopg2.OperationalError'
  | 'builtins.ValueError'
  | 'builtins.TypeError'
  | 'builtins.KeyError'
  | 'builtins.AttributeError'
  | 'builtins.AssertionError'
  | 'builtins.Exception'
  | 'builtins.NameError'
  | 'werkzeug.exceptions.Unauthorized'
  | 'werkzeug.exceptions.NotFound'
  | 'werkzeug.exceptions.BadRequest'
  | 'werkzeug.exceptions.UnprocessableEntity';

/** Where in Odoo the error is raised; only used to make the traceback read like the real one. */
const RAISED_AT: Partial<Record<OdooErrorName, string>> = {
  'odoo.exceptions.UserError': 'odoo/models.py", line 4530, in _call_kw',
  'odoo.exceptions.ValidationError': 'odoo/models.py", line 1631, in _validate_fields',
  'odoo.exceptions.AccessError': 'odoo/service/model.py", line 44, in get_public_method',
  'odoo.exceptions.AccessDenied': 'odoo/addons/base/models/res_users.py", line 2320, in _check_credentials',
  'odoo.exceptions.MissingError': 'odoo/fields.py", line 1272, in __get__',
  'builtins.ValueError': 'odoo/osv/expression.py", line 374, in _anyfy_leaves',
  'builtins.AssertionError': 'odoo/osv/expression.py", line 210, in normalize_domain',
  'builtins.AttributeError': 'odoo/service/model.py", line 38, in get_public_method',
  'builtins.TypeError': 'odoo/service/model.py", line 58, in dispatch',
  'builtins.KeyError': 'odoo/http.py", line 411, in dispatch_rpc',
  'builtins.Exception': 'odoo/service/common.py", line 60, in dispatch',
};

/** An Odoo exception: what `serialize_exception` puts under `error.data`. */
export class OdooError extends Error {
  readonly odooName: OdooErrorName;
  readonly arguments: unknown[];

  constructor(name: OdooErrorName, message: string, args: unknown[] = [message]) {
    super(message);
    this.name = 'OdooError';
    this.odooName = name;
    this.arguments = args;
  }

  /** `traceback.format_exc()` as Odoo would show it (paths as in the fixtures). */
  get debug(): string {
    const short = this.odooName.startsWith('builtins.') ? this.odooName.slice('builtins.'.length) : this.odooName;
    const at = RAISED_AT[this.odooName] ?? 'odoo/http.py", line 2122, in _transactioning';
    return [
      'Traceback (most recent call last):',
      '  File "/opt/odoo/odoo/http.py", line 2122, in _transactioning',
      '    return service_model.retrying(func, env=self.env)',
      '  File "/opt/odoo/odoo/service/model.py", line 156, in retrying',
      '    result = func()',
      '  File "/opt/odoo/odoo/http.py", line 2089, in _serve_ir_http',
      '    response = self.dispatcher.dispatch(rule.endpoint, args)',
      `  File "/opt/odoo/${at}`,
      `${short}: ${this.message}`,
      '',
    ].join('\n');
  }

  /** The `data` member of the error envelope. */
  toData(): { name: string; debug: string; message: string; arguments: unknown[]; context: Record<string, never> } {
    return { name: this.odooName, debug: this.debug, message: this.message, arguments: this.arguments, context: {} };
  }
}

export const userError = (message: string): OdooError => new OdooError('odoo.exceptions.UserError', message);
export const validationError = (message: string): OdooError => new OdooError('odoo.exceptions.ValidationError', message);
export const accessError = (message: string): OdooError => new OdooError('odoo.exceptions.AccessError', message);
export const accessDenied = (): OdooError => new OdooError('odoo.exceptions.AccessDenied', 'Access Denied');
export const missingError = (model: string, ids: readonly number[], uid: number): OdooError =>
  new OdooError(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')}${ids.length === 1 ? ',' : ''}), User: ${uid})`,
  );
export const valueError = (message: string): OdooError => new OdooError('builtins.ValueError', message);
export const typeError = (message: string): OdooError => new OdooError('builtins.TypeError', message);
export const keyError = (key: string): OdooError => new OdooError('builtins.KeyError', key);

/** `psycopg2.OperationalError` for a database that does not exist (fixture common.authenticate.unknown_db). */
export const unknownDatabase = (db: string): OdooError =>
  new OdooError('psycopg2.OperationalError', `connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "${db}" does not exist\n`);

/** The `http_status` an exception gets over JSON-2 (Odoo 19 `exceptions.py`); anything else is a 500. */
export function json2Status(err: OdooError): number {
  switch (err.odooName) {
    case 'odoo.exceptions.AccessDenied':
    case 'odoo.exceptions.AccessError':
      return 403;
    case 'odoo.exceptions.MissingError':
    case 'werkzeug.exceptions.NotFound':
      return 404;
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.ValidationError':
    case 'werkzeug.exceptions.UnprocessableEntity':
      return 422;
    case 'werkzeug.exceptions.Unauthorized':
      return 401;
    case 'werkzeug.exceptions.BadRequest':
      return 400;
    default:
      return 500;
  }
}

/** Python `repr()` of a JSON value, as Odoo prints leaves and domains in its messages. */
export function pyRepr(value: unknown, tuple = false): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(new RegExp(quote, 'g'), `\\${quote}`);
    return `${quote}${body}${quote}`;
  }
  if (Array.isArray(value)) {
    const inner = value.map((v) => pyRepr(v)).join(', ');
    return tuple ? `(${inner}${value.length === 1 ? ',' : ''})` : `[${inner}]`;
  }
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}
