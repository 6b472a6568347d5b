/** Every model the emulator knows, by name. */
import type { ModelDef } from '../fields';
import { accountModels } from './account';
import { baseModels } from './base';
import { partnerModels } from './partner';
import { productModels } from './product';
import { saleModels } from './sale';
import { stockModels } from './stock';
import { wizardModels } from './wizards';

export function buildRegistry(): ReadonlyMap<string, ModelDef> {
  const all = [...baseModels, ...partnerModels, ...productModels, ...saleModels, ...accountModels, ...stockModels, ...wizardModels];
  return new Map(all.map((m) => [m.name, m]));
}
