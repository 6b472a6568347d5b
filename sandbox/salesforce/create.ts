/**
 * `POST sobjects/{Type}`: creates a record as the REST API does (201 with `{id, success, errors}`),
 * stamping CreatedDate, LastModifiedDate and SystemModstamp with the same second, so change capture
 * by polling `SystemModstamp` finds new records too. Fields are checked as an update checks them;
 * required fields must be given, the owner defaults to the running (integration) user, booleans to
 * false, and the derived fields (an opportunity's IsClosed/IsWon/Probability, a contact's Name)
 * follow.
 */
import { SfError, SfErrorCode } from './errors';
import { sobjectNamed, type SObjectDef } from './schema';
import { sfDateTime } from './seed';
import type { FieldValue, OrgStore } from './store';
import { COMPUTED_NAME, READ_ONLY, deriveFields, writableChanges } from './update';

/** The REST API's answer to a successful create. */
export interface CreateResult {
  readonly id: string;
  readonly success: true;
  readonly errors: readonly never[];
}

/** Non-nillable fields a create must name (the API fills in the others). */
function requiredFields(object: SObjectDef): string[] {
  return object.fields
    .filter((f) => !f.nillable && f.type !== 'boolean' && f.name !== 'OwnerId')
    .filter((f) => !READ_ONLY.has(f.name) && !(f.name === 'Name' && COMPUTED_NAME.has(object.name)))
    .map((f) => f.name);
}

/** Creates a record of `typeName` from a POST body; throws `SfError` on any bad or missing field. */
export function createRecord(store: OrgStore, typeName: string, body: unknown, now: number = Date.now()): CreateResult {
  const object = sobjectNamed(typeName);
  if (!object) throw new SfError(SfErrorCode.NOT_FOUND, 'The requested resource does not exist');
  const changes = writableChanges(store, object, body, true);
  const missing = requiredFields(object).filter((name) => changes[name] === undefined || changes[name] === null);
  if (missing.length > 0) throw new SfError(SfErrorCode.REQUIRED_FIELD_MISSING, `Required fields are missing: [${missing.join(', ')}]`);

  const fields: Record<string, FieldValue> = {};
  for (const f of object.fields) fields[f.name] = f.type === 'boolean' ? f.name === 'IsActive' : null;
  if (object.fields.some((f) => f.name === 'OwnerId')) fields.OwnerId = store.integrationUserId;
  deriveFields(object, changes, { ...fields, ...changes });
  const stamp = sfDateTime(now);
  const id = store.mintId(object.name, object.keyPrefix);
  store.insert({ type: object.name, fields: { ...fields, ...changes, Id: id, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp } });
  return { id, success: true, errors: [] };
}
