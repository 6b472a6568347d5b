/**
 * `call_kw`: finds the public method (model-specific, then generic ORM), binds positional and
 * keyword arguments as Python would (with Python's TypeError messages) and runs it.
 */
import { OdooError, typeError } from './errors';
import { BEHAVIOURS, findMethod } from './methods';
import type { MethodSpec } from './methods/types';
import { toIds } from './orm';
import type { OdooDb } from './store';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Python's "'a', 'b' and 'c'" list of missing argument names. */
export function pyNames(names: readonly string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 1) return q.join('');
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

export const missingArgs = (fn: string, names: readonly string[]): OdooError =>
  typeError(`${fn}() missing ${names.length} required positional argument${names.length > 1 ? 's' : ''}: ${pyNames(names)}`);

/** Resolves a public method or raises what Odoo's `get_public_method` raises. */
export function publicMethod(db: OdooDb, model: string, method: string): MethodSpec {
  if (!db.model(model)) throw new OdooError('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
  if (method.startsWith('_')) throw new OdooError('odoo.exceptions.AccessError', `Private methods (such as '${model}.${method}') cannot be called remotely.`);
  const spec = findMethod(model, method);
  if (!spec) throw new OdooError('builtins.AttributeError', `The method '${model}.${method}' does not exist`);
  return spec;
}

/** Binds named parameters from positional `args` and `kwargs`. */
export function bindArgs(method: string, spec: MethodSpec, positional: readonly unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  const given = positional.length + 1;
  if (spec.kwOnly && positional.length > 0) throw typeError(`${method}() takes 1 positional argument but ${given} were given`);
  if (positional.length > spec.params.length) {
    const min = (spec.required ?? 0) + 1;
    const max = spec.params.length + 1;
    throw typeError(`${method}() takes ${min === max ? `${max}` : `from ${min} to ${max}`} positional argument${max > 1 ? 's' : ''} but ${given} were given`);
  }
  const p: Record<string, unknown> = {};
  positional.forEach((v, i) => {
    const name = spec.params[i];
    if (name !== undefined) p[name] = v;
  });
  for (const [k, v] of Object.entries(kwargs)) {
    if (k === 'context') continue;
    if (spec.params.includes(k)) {
      if (k in p) throw typeError(`${method}() got multiple values for argument '${k}'`);
      p[k] = v;
    } else if (spec.varKw) p[k] = v;
    else throw typeError(`${method}() got an unexpected keyword argument '${k}'`);
  }
  const missing = spec.params.slice(0, spec.required ?? 0).filter((n) => !(n in p));
  if (missing.length) throw missingArgs(method, missing);
  return p;
}

export interface CallKw {
  db: OdooDb;
  uid: number;
  model: string;
  method: string;
  args: unknown;
  kwargs: unknown;
}

/** `odoo.api.call_kw` over the in-memory database. Returns undefined for None. */
export function callKw({ db, uid, model, method, args, kwargs }: CallKw): unknown {
  const spec = publicMethod(db, model, method);
  const list: unknown[] = Array.isArray(args) ? args : typeof args === 'string' ? [...args] : args === undefined || args === null ? [] : [args];
  const kw = isRecord(kwargs) ? kwargs : {};
  const context = isRecord(kw.context) ? kw.context : {};
  let ids: number[] = [];
  let rest = list;
  if (!spec.model) {
    if (list.length === 0) throw typeError(`${method}() missing 1 required positional argument: 'self'`);
    ids = toIds(list[0]);
    rest = list.slice(1);
  }
  const p = bindArgs(method, spec, rest, kw);
  return db.transaction(context, () => spec.fn({ db, uid, context, behaviours: BEHAVIOURS }, ids, p, model), uid);
}
