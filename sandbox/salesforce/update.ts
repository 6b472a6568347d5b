/**
 * `PATCH sobjects/{Type}/{Id}`: updates a record as the REST API does (204, no body), bumping
 * LastModifiedDate and SystemModstamp (to the second, as Salesforce stores them), so change capture
 * by polling `SystemModstamp` has something to find. Derived fields follow: an opportunity's stage
 * sets IsClosed, IsWon and Probability; a contact's or user's first and last name set Name. The
 * field checks and derivations are shared with `create.ts`.
 */
import { SfError, SfErrorCode, invalidFieldDetail, notFound } from './errors';
import { fieldOf, OPPORTUNITY_STAGES, sobjectNamed, type FieldDef, type SObjectDef } from './schema';
import { sfDateTime } from './seed';
import type { FieldValue, OrgStore } from './store';

/** Fields the API computes or owns; writing them is refused. */
export const READ_ONLY = new Set(['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'IsClosed', 'IsWon']);
/** Objects whose `Name` is computed from FirstName and LastName. */
export const COMPUTED_NAME = new Set(['Contact', 'User']);

/** INVALID_FIELD_FOR_INSERT_UPDATE for fields the API owns, named as Salesforce names them. */
export function readOnlyError(names: readonly string[]): SfError {
  return new SfError(
    SfErrorCode.INVALID_FIELD_FOR_INSERT_UPDATE,
    `Unable to create/update fields: ${names.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
  );
}

/** Checks one value against its field; returns it as stored. */
export function coerce(store: OrgStore, object: SObjectDef, field: FieldDef, value: unknown): FieldValue {
  if (value === null) {
    if (!field.nillable) throw new SfError(SfErrorCode.REQUIRED_FIELD_MISSING, `Required fields are missing: [${field.name}]`);
    return null;
  }
  const mismatch = (kind: string): SfError =>
    new SfError(
      SfErrorCode.JSON_PARSER_ERROR,
      `Cannot deserialize instance of ${kind} from ${typeof value} value ${JSON.stringify(value)} at [line:1] for field ${object.name}.${field.name}`,
    );
  switch (field.type) {
    case 'double':
    case 'currency':
    case 'percent':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch(field.type);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch('boolean');
      return value;
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw mismatch('date');
      return value;
    case 'datetime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw mismatch('datetime');
      return sfDateTime(Date.parse(value));
    case 'reference': {
      const target = typeof value === 'string' ? store.byId(value) : undefined;
      if (!target || target.type !== field.referenceTo) {
        throw new SfError(SfErrorCode.FIELD_INTEGRITY_EXCEPTION, `${field.label}: id value of incorrect type: ${String(value)}`);
      }
      return String(target.fields.Id);
    }
    case 'picklist':
      if (typeof value !== 'string') throw mismatch('string');
      if (field.name === 'StageName' && !field.picklistValues?.includes(value)) {
        throw new SfError(SfErrorCode.INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, `${field.label}: bad value for restricted picklist field: ${value}`);
      }
      return value;
    default:
      if (typeof value !== 'string') throw mismatch('string');
      return value;
  }
}

/**
 * The writable fields of a create or update body, checked and coerced (canonical names). Throws
 * `SfError`: INVALID_FIELD for an unknown field (or `Id`, `onInsert`), INVALID_FIELD_FOR_INSERT_UPDATE
 * for fields the API owns, and the field's own error for a bad value.
 */
export function writableChanges(store: OrgStore, object: SObjectDef, body: unknown, onInsert: boolean): Record<string, FieldValue> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SfError(SfErrorCode.JSON_PARSER_ERROR, 'Cannot deserialize instance of SObject from the request body');
  }
  const changes: Record<string, FieldValue> = {};
  const refused: string[] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name === 'attributes') continue;
    const field = fieldOf(object, name);
    if (!field) throw new SfError(SfErrorCode.INVALID_FIELD, invalidFieldDetail(name, object.name));
    if (onInsert && field.name === 'Id') throw new SfError(SfErrorCode.INVALID_FIELD, 'The Id field should not be specified in the sobject data.');
    if (READ_ONLY.has(field.name) || (field.name === 'Name' && COMPUTED_NAME.has(object.name))) {
      refused.push(field.name);
      continue;
    }
    changes[field.name] = coerce(store, object, field, value);
  }
  if (refused.length > 0) throw readOnlyError(refused);
  return changes;
}

/**
 * Adds what the API derives from `changes` to them: an opportunity's stage sets IsClosed, IsWon and
 * (unless given) Probability; a contact's or user's first and last name set Name. `merged` is the
 * record as it will be (its current fields, then the changes).
 */
export function deriveFields(object: SObjectDef, changes: Record<string, FieldValue>, merged: Readonly<Record<string, FieldValue>>): void {
  if (object.name === 'Opportunity' && 'StageName' in changes) {
    const stage = OPPORTUNITY_STAGES.find((s) => s.name === changes.StageName)!;
    Object.assign(changes, { IsClosed: stage.closed, IsWon: stage.won, ...('Probability' in changes ? {} : { Probability: stage.probability }) });
  }
  if (COMPUTED_NAME.has(object.name) && ('FirstName' in changes || 'LastName' in changes)) {
    changes.Name = [merged.FirstName, merged.LastName].filter((p) => typeof p === 'string' && p.length > 0).join(' ');
  }
}

/** Applies a PATCH body to the record `id` of `typeName`; throws `SfError` on any bad field. */
export function updateRecord(store: OrgStore, typeName: string, id: string, body: unknown, now: number = Date.now()): void {
  const object = sobjectNamed(typeName);
  const record = store.byId(id);
  if (!object || !record || record.type !== object.name) throw notFound();
  const changes = writableChanges(store, object, body, false);
  deriveFields(object, changes, { ...record.fields, ...changes });
  const stamp = sfDateTime(now);
  store.replace(id, { ...changes, LastModifiedDate: stamp, SystemModstamp: stamp });
}
