/**
 * SOQL tokens. Keywords are not told apart from identifiers here: SOQL keywords are
 * case-insensitive and the parser compares them by upper-cased text.
 */
import { SfErrorCode, soqlError } from '../errors';

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for `string`, the unescaped value). */
  readonly text: string;
  /** Offset of the token's first character in the query. */
  readonly pos: number;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
/** A dateTime literal; fractional seconds are accepted (any number of digits) and ignored, as Salesforce ignores them. */
const DATETIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})/y;
const DATE = /\d{4}-\d{2}-\d{2}(?![\dT])/y;
const NUMBER = /[+-]?\d+(?:\.\d+)?(?![\w.])/y;
const OP = /!=|<>|<=|>=|=|<|>/y;
/** Tried in this order: a date must win over a number, a number over an identifier. */
const MATCHERS: ReadonlyArray<readonly [TokenKind, RegExp]> = [
  ['datetime', DATETIME],
  ['date', DATE],
  ['number', NUMBER],
  ['ident', IDENT],
  ['op', OP],
];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '%': '\\%', _: '\\_' };

function sticky(re: RegExp, soql: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(soql)?.[0];
}

/** Splits a query into tokens, ending with one `eof` token. Throws MALFORMED_QUERY on a stray character. */
export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= soql.length) throw soqlError(SfErrorCode.MALFORMED_QUERY, soql, i, `line 1:${i} mismatched character '<EOF>' expecting '''`);
        const ch = soql[j]!;
        if (ch === "'") break;
        if (ch === '\\') {
          const next = soql[j + 1];
          const escaped = next === undefined ? undefined : ESCAPES[next];
          // `\%` and `\_` stay escaped: they only mean something to LIKE.
          if (escaped === undefined)
            throw soqlError(
              SfErrorCode.MALFORMED_QUERY,
              soql,
              j,
              `Invalid string literal '${soql.slice(i, j + 2)}'. Illegal character sequence '\\${next ?? ''}' in string literal.`,
            );
          value += escaped;
          j += 2;
          continue;
        }
        value += ch;
        j++;
      }
      tokens.push({ kind: 'string', text: value, pos: i });
      i = j + 1;
      continue;
    }
    if ('(),:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    let match: { kind: TokenKind; text: string } | undefined;
    for (const [kind, re] of MATCHERS) {
      const text = sticky(re, soql, i);
      if (text !== undefined) {
        match = { kind, text };
        break;
      }
    }
    if (!match) throw soqlError(SfErrorCode.MALFORMED_QUERY, soql, i, `line 1:${i} no viable alternative at character '${c}'`);
    tokens.push({ ...match, pos: i });
    i += match.text.length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: soql.length });
  return tokens;
}
