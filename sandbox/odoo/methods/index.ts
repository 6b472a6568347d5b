/** Behaviours of every model, and the lookup of a public method (model-specific, then generic ORM). */
import { CHATTER_MODELS, MESSAGE_POST, ORM_METHODS } from '../orm';
import { accountBehaviours } from './account';
import { partnerBehaviours } from './partner';
import { saleBehaviours } from './sale';
import { stockBehaviours } from './stock';
import type { MethodSpec, ModelBehaviour } from './types';

export const BEHAVIOURS: ReadonlyMap<string, ModelBehaviour> = new Map(
  Object.entries({ ...partnerBehaviours, ...saleBehaviours, ...stockBehaviours, ...accountBehaviours }),
);

export function findMethod(model: string, method: string): MethodSpec | undefined {
  const own = BEHAVIOURS.get(model)?.methods?.[method];
  if (own) return own;
  if (method === 'message_post' && CHATTER_MODELS.has(model)) return MESSAGE_POST;
  return Object.hasOwn(ORM_METHODS, method) ? ORM_METHODS[method] : undefined;
}
