/**
 * Salesforce REST errors: a JSON array of `{message, errorCode}` (one element here), with the HTTP
 * status Salesforce uses for each code. SOQL errors echo the query line with a caret and
 * `ERROR at Row:R:Column:C`, as the real parser does.
 */

export enum SfErrorCode {
  INVALID_SESSION_ID = 'INVALID_SESSION_ID',
  MALFORMED_QUERY = 'MALFORMED_QUERY',
  INVALID_FIELD = 'INVALID_FIELD',
  INVALID_TYPE = 'INVALID_TYPE',
  INVALID_QUERY_FILTER_OPERATOR = 'INVALID_QUERY_FILTER_OPERATOR',
  INVALID_QUERY_LOCATOR = 'INVALID_QUERY_LOCATOR',
  NUMBER_OUTSIDE_VALID_RANGE = 'NUMBER_OUTSIDE_VALID_RANGE',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  JSON_PARSER_ERROR = 'JSON_PARSER_ERROR',
  INVALID_FIELD_FOR_INSERT_UPDATE = 'INVALID_FIELD_FOR_INSERT_UPDATE',
  REQUIRED_FIELD_MISSING = 'REQUIRED_FIELD_MISSING',
  FIELD_INTEGRITY_EXCEPTION = 'FIELD_INTEGRITY_EXCEPTION',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST = 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  REQUEST_LIMIT_EXCEEDED = 'REQUEST_LIMIT_EXCEEDED',
  UNKNOWN_EXCEPTION = 'UNKNOWN_EXCEPTION',
}

const STATUS: Record<SfErrorCode, number> = {
  INVALID_SESSION_ID: 401,
  MALFORMED_QUERY: 400,
  INVALID_FIELD: 400,
  INVALID_TYPE: 400,
  INVALID_QUERY_FILTER_OPERATOR: 400,
  INVALID_QUERY_LOCATOR: 400,
  NUMBER_OUTSIDE_VALID_RANGE: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  JSON_PARSER_ERROR: 400,
  INVALID_FIELD_FOR_INSERT_UPDATE: 400,
  REQUIRED_FIELD_MISSING: 400,
  FIELD_INTEGRITY_EXCEPTION: 400,
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 400,
  REQUEST_LIMIT_EXCEEDED: 403,
  UNKNOWN_EXCEPTION: 500,
};

/** An error the REST API answers with; thrown inside the emulator, turned into a reply by the routes. */
export class SfError extends Error {
  readonly status: number;
  constructor(
    readonly errorCode: SfErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SfError';
    this.status = STATUS[errorCode];
  }

  /** The wire body: `[{"message": ..., "errorCode": ...}]`. */
  toBody(): Array<{ message: string; errorCode: string }> {
    return [{ message: this.message, errorCode: this.errorCode }];
  }
}

export const notFound = (): SfError => new SfError(SfErrorCode.NOT_FOUND, 'The requested resource does not exist');
export const sessionInvalid = (): SfError => new SfError(SfErrorCode.INVALID_SESSION_ID, 'Session expired or invalid');
export const limitExceeded = (): SfError => new SfError(SfErrorCode.REQUEST_LIMIT_EXCEEDED, 'TotalRequests Limit exceeded.');
export const unknownException = (): SfError =>
  new SfError(SfErrorCode.UNKNOWN_EXCEPTION, 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678 (-12345)');

export const invalidFieldDetail = (field: string, entity: string): string =>
  `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;

export const invalidTypeDetail = (type: string): string =>
  `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;

/**
 * A SOQL error positioned at `offset` (0-based) in `soql`: the query line, a caret under the
 * offending column, `ERROR at Row:R:Column:C` and the detail.
 */
export function soqlError(code: SfErrorCode, soql: string, offset: number, detail: string): SfError {
  const before = soql.slice(0, Math.max(0, Math.min(offset, soql.length)));
  const lines = before.split('\n');
  const row = lines.length;
  const column = (lines[lines.length - 1] ?? '').length + 1;
  const line = soql.split('\n')[row - 1] ?? '';
  return new SfError(code, `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${detail}`);
}
