/** The SOQL subset the sandbox understands, as parsed (names not yet resolved against the schema). */

export interface FieldRef {
  /** Dotted path as written, split: `Account.Owner.Name` → ['Account', 'Owner', 'Name']. */
  readonly path: readonly string[];
  readonly pos: number;
}

export type Literal =
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly pos: number }
  | { readonly kind: 'null'; readonly pos: number }
  /** `2026-01-15` */
  | { readonly kind: 'date'; readonly value: string; readonly pos: number }
  /** `2026-01-15T10:00:00Z`, as epoch ms. */
  | { readonly kind: 'datetime'; readonly value: number; readonly pos: number }
  /** A relative date literal: `TODAY`, `LAST_N_DAYS:30`, ... (`n` for the `_N_` forms). */
  | { readonly kind: 'relativeDate'; readonly name: RelativeDateName; readonly n?: number; readonly pos: number };

/** The relative date literals the sandbox understands (a subset of Salesforce's). */
export const RELATIVE_DATE_NAMES = ['YESTERDAY', 'TODAY', 'TOMORROW', 'THIS_MONTH', 'THIS_YEAR', 'LAST_N_DAYS', 'NEXT_N_DAYS'] as const;
export type RelativeDateName = (typeof RELATIVE_DATE_NAMES)[number];

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition }
  | { readonly kind: 'compare'; readonly field: FieldRef; readonly op: CompareOp; readonly value: Literal }
  | { readonly kind: 'in'; readonly field: FieldRef; readonly negated: boolean; readonly values: readonly Literal[] };

export interface OrderItem {
  readonly field: FieldRef;
  readonly descending: boolean;
  readonly nullsLast: boolean;
}

export type SelectItem =
  | { readonly kind: 'field'; readonly field: FieldRef }
  /** `COUNT()` (no field) or `COUNT(Id) alias`. */
  | { readonly kind: 'count'; readonly field?: FieldRef; readonly alias?: string; readonly pos: number }
  | { readonly kind: 'subquery'; readonly query: SoqlQuery; readonly pos: number };

export interface SoqlQuery {
  readonly select: readonly SelectItem[];
  readonly from: { readonly name: string; readonly pos: number };
  readonly where?: Condition;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: number;
  readonly offset?: number;
}
