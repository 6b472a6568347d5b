/**
 * A recursive-descent parser for the SOQL subset in `ast.ts`. Errors are MALFORMED_QUERY with the
 * position of the offending token, worded as Salesforce words them (`unexpected token: 'X'`).
 */
import { SfErrorCode, soqlError, type SfError } from '../errors';
import {
  RELATIVE_DATE_NAMES,
  type CompareOp,
  type Condition,
  type FieldRef,
  type Literal,
  type OrderItem,
  type RelativeDateName,
  type SelectItem,
  type SoqlQuery,
} from './ast';
import { tokenize, type Token } from './lexer';

/** Largest OFFSET Salesforce accepts. */
export const MAX_OFFSET = 2000;

const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'LIMIT',
  'OFFSET',
  'GROUP',
  'HAVING',
  'WITH',
  'FOR',
  'USING',
  'NULL',
  'TRUE',
  'FALSE',
  'ASC',
  'DESC',
  'NULLS',
]);

/**
 * A dateTime literal as epoch ms, whole seconds: Salesforce stores dateTime values to the second and
 * ignores a literal's fractional seconds when it compares (`>= 10:00:05.900Z` matches `10:00:05`).
 */
export function parseDateTimeLiteral(text: string): number | undefined {
  const iso = text.replace(/\.\d+/, '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

const isRelativeDate = (word: string): word is RelativeDateName => (RELATIVE_DATE_NAMES as readonly string[]).includes(word);

class Parser {
  #i = 0;
  constructor(
    private readonly soql: string,
    private readonly tokens: readonly Token[],
  ) {}

  get #tok(): Token {
    return this.tokens[this.#i]!;
  }

  #fail(token: Token = this.#tok): SfError {
    const shown = token.kind === 'eof' ? '<EOF>' : token.kind === 'string' ? `'${token.text}'` : token.text;
    return soqlError(SfErrorCode.MALFORMED_QUERY, this.soql, token.pos, `unexpected token: ${shown}`);
  }

  #isWord(word: string, token: Token = this.#tok): boolean {
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  #isPunct(p: string): boolean {
    return this.#tok.kind === 'punct' && this.#tok.text === p;
  }

  #eatWord(word: string): boolean {
    if (!this.#isWord(word)) return false;
    this.#i++;
    return true;
  }

  #expectWord(word: string): Token {
    const token = this.#tok;
    if (!this.#isWord(word)) throw this.#fail();
    this.#i++;
    return token;
  }

  #eatPunct(p: string): boolean {
    if (!this.#isPunct(p)) return false;
    this.#i++;
    return true;
  }

  #expectPunct(p: string): void {
    if (!this.#isPunct(p)) throw this.#fail();
    this.#i++;
  }

  #name(): Token {
    const token = this.#tok;
    if (token.kind !== 'ident' || RESERVED.has(token.text.toUpperCase())) throw this.#fail();
    this.#i++;
    return token;
  }

  #field(): FieldRef {
    const token = this.#name();
    return { path: token.text.split('.'), pos: token.pos };
  }

  #integer(): number {
    const token = this.#tok;
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.#fail();
    this.#i++;
    return Number(token.text);
  }

  query(nested: boolean): SoqlQuery {
    this.#expectWord('SELECT');
    const select: SelectItem[] = [];
    do select.push(this.#selectItem(nested));
    while (this.#eatPunct(','));
    this.#expectWord('FROM');
    const fromToken = this.#name();
    const from = { name: fromToken.text, pos: fromToken.pos };
    const where = this.#eatWord('WHERE') ? this.#condition() : undefined;
    const orderBy: OrderItem[] = [];
    if (this.#eatWord('ORDER')) {
      this.#expectWord('BY');
      do orderBy.push(this.#orderItem());
      while (this.#eatPunct(','));
    }
    const limit = this.#eatWord('LIMIT') ? this.#integer() : undefined;
    let offset: number | undefined;
    if (!nested && this.#isWord('OFFSET')) {
      this.#i++;
      const token = this.#tok;
      offset = this.#integer();
      if (offset > MAX_OFFSET) throw soqlError(SfErrorCode.NUMBER_OUTSIDE_VALID_RANGE, this.soql, token.pos, `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
    }
    return { select, from, orderBy, ...(where ? { where } : {}), ...(limit !== undefined ? { limit } : {}), ...(offset !== undefined ? { offset } : {}) };
  }

  #selectItem(nested: boolean): SelectItem {
    const token = this.#tok;
    if (!nested && this.#isPunct('(')) {
      this.#i++;
      const query = this.query(true);
      this.#expectPunct(')');
      return { kind: 'subquery', query, pos: token.pos };
    }
    if (this.#isWord('COUNT') && this.tokens[this.#i + 1]?.text === '(') {
      this.#i += 2;
      const field = this.#isPunct(')') ? undefined : this.#field();
      this.#expectPunct(')');
      const alias = this.#tok.kind === 'ident' && !RESERVED.has(this.#tok.text.toUpperCase()) ? this.#name().text : undefined;
      return { kind: 'count', pos: token.pos, ...(field ? { field } : {}), ...(alias ? { alias } : {}) };
    }
    return { kind: 'field', field: this.#field() };
  }

  #orderItem(): OrderItem {
    const field = this.#field();
    const descending = this.#eatWord('DESC');
    if (!descending) this.#eatWord('ASC');
    let nullsLast = descending;
    if (this.#eatWord('NULLS')) {
      if (this.#eatWord('FIRST')) nullsLast = false;
      else if (this.#eatWord('LAST')) nullsLast = true;
      else throw this.#fail();
    }
    return { field, descending, nullsLast };
  }

  /** AND and OR may not be mixed without parentheses, as in SOQL. */
  #condition(): Condition {
    const first = this.#unary();
    const connective = this.#isWord('AND') ? 'AND' : this.#isWord('OR') ? 'OR' : undefined;
    if (!connective) return first;
    const items = [first];
    while (this.#eatWord(connective)) items.push(this.#unary());
    if (this.#isWord(connective === 'AND' ? 'OR' : 'AND')) throw this.#fail();
    return { kind: connective === 'AND' ? 'and' : 'or', items };
  }

  #unary(): Condition {
    if (this.#eatWord('NOT')) return { kind: 'not', item: this.#unary() };
    if (this.#isPunct('(')) {
      this.#i++;
      const inner = this.#condition();
      this.#expectPunct(')');
      return inner;
    }
    return this.#comparison();
  }

  #comparison(): Condition {
    const field = this.#field();
    const token = this.#tok;
    if (this.#isWord('NOT') || this.#isWord('IN')) {
      const negated = this.#eatWord('NOT');
      this.#expectWord('IN');
      this.#expectPunct('(');
      const values: Literal[] = [];
      do values.push(this.#literal());
      while (this.#eatPunct(','));
      this.#expectPunct(')');
      return { kind: 'in', field, negated, values };
    }
    let op: CompareOp;
    if (this.#eatWord('LIKE')) op = 'LIKE';
    else if (token.kind === 'op') {
      op = token.text === '<>' ? '!=' : (token.text as CompareOp);
      this.#i++;
    } else throw this.#fail();
    return { kind: 'compare', field, op, value: this.#literal() };
  }

  #literal(): Literal {
    const token = this.#tok;
    const pos = token.pos;
    let literal: Literal;
    switch (token.kind) {
      case 'string':
        literal = { kind: 'string', value: token.text, pos };
        break;
      case 'number':
        literal = { kind: 'number', value: Number(token.text), pos };
        break;
      case 'date':
        literal = { kind: 'date', value: token.text, pos };
        break;
      case 'datetime': {
        const ms = parseDateTimeLiteral(token.text);
        if (ms === undefined) throw this.#fail();
        literal = { kind: 'datetime', value: ms, pos };
        break;
      }
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'NULL') literal = { kind: 'null', pos };
        else if (word === 'TRUE' || word === 'FALSE') literal = { kind: 'boolean', value: word === 'TRUE', pos };
        else if (isRelativeDate(word)) {
          if (!word.includes('_N_')) {
            literal = { kind: 'relativeDate', name: word, pos };
            break;
          }
          this.#i++;
          this.#expectPunct(':');
          return { kind: 'relativeDate', name: word, n: this.#integer(), pos };
        } else throw this.#fail();
        break;
      }
      default:
        throw this.#fail();
    }
    this.#i++;
    return literal;
  }

  end(): void {
    if (this.#tok.kind !== 'eof') throw this.#fail();
  }
}

/** Parses one SOQL statement; throws an `SfError` (MALFORMED_QUERY) positioned at the bad token. */
export function parseSoql(soql: string): SoqlQuery {
  const parser = new Parser(soql, tokenize(soql));
  const query = parser.query(false);
  parser.end();
  return query;
}

/** The top-level FROM object of a query, without validating the rest (for request classification). */
export function fromObjectOf(soql: string): string | undefined {
  try {
    const tokens = tokenize(soql);
    let depth = 0;
    for (let i = 0; i < tokens.length - 1; i++) {
      const t = tokens[i]!;
      if (t.kind === 'punct' && t.text === '(') depth++;
      else if (t.kind === 'punct' && t.text === ')') depth--;
      else if (depth === 0 && t.kind === 'ident' && t.text.toUpperCase() === 'FROM') {
        const next = tokens[i + 1]!;
        return next.kind === 'ident' ? next.text : undefined;
      }
    }
  } catch {
    // an unparseable query is classified without an object
  }
  return undefined;
}
