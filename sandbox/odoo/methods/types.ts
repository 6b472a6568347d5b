/** How a business method is declared: its Python signature (for argument binding) and its body. */
import type { OdooDb, Vals } from '../store';

export interface Env {
  readonly db: OdooDb;
  readonly uid: number;
  readonly context: Readonly<Record<string, unknown>>;
  /** Model behaviours, so that records created by business code get the same sequences and checks. */
  readonly behaviours: ReadonlyMap<string, ModelBehaviour>;
}

export interface MethodSpec {
  /** `@api.model`: no record ids in front of the arguments. */
  model?: boolean;
  /** Parameter names after `self`, in order. */
  params: readonly string[];
  /** How many of `params` have no default. @default 0 */
  required?: number;
  /** Accepts `**kwargs`. */
  varKw?: boolean;
  /** Keyword-only parameters (`*, body=...`): positional arguments are refused. */
  kwOnly?: boolean;
  /** Returns the result, or `undefined` for Python's None (the JSON-RPC answer then has no `result`). */
  fn(env: Env, ids: number[], p: Record<string, unknown>, model: string): unknown;
}

/** Model-specific behaviour around the generic ORM, plus the model's public business methods. */
export interface ModelBehaviour {
  /** Completes or checks the values of one record before insert (sequences, defaults from context). */
  beforeCreate?(env: Env, vals: Vals): Vals;
  afterCreate?(env: Env, id: number, vals: Vals): void;
  beforeWrite?(env: Env, ids: number[], vals: Vals): void;
  afterWrite?(env: Env, ids: number[], vals: Vals): void;
  beforeUnlink?(env: Env, ids: number[]): void;
  methods?: Record<string, MethodSpec>;
}
