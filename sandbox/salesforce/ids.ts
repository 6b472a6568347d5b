/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key prefix naming the object,
 * 2 for the pod, 10 for the record) plus the 3-character case-insensitive checksum suffix that makes
 * the 18-character form every REST answer carries.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** The pod characters of every id this sandbox mints (a real org has a fixed instance too). */
const POD = '5g';

function base62(n: number, width: number): string {
  let out = '';
  let rest = Math.floor(n);
  do {
    out = BASE62[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}

/** The 3-character suffix: one character per 5-character chunk, a bit set per upper-case letter. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) flags |= 1 << i;
    }
    suffix += SUFFIX_CHARS[flags]!;
  }
  return suffix;
}

/** The 18-character id of the `n`-th record (n ≥ 1) with the given key prefix. Deterministic. */
export function recordId(prefix: string, n: number): string {
  const id15 = `${prefix}${POD}${base62(1_000_000_000 + n * 7_919, 10)}`;
  return id15 + idChecksum(id15);
}

/** An organization id (`00D…`) derived from a stable number. */
export const orgIdOf = (seed: number): string => {
  const id15 = `00D${POD}${base62(seed, 10)}`;
  return id15 + idChecksum(id15);
};

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * The 15-character form of a 15- or 18-character id, or `undefined` when the value is not shaped
 * like an id (Salesforce accepts either length wherever it takes an id).
 */
export function normalizeId(value: string): string | undefined {
  if (!ID_SHAPE.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== idChecksum(id15)) return undefined;
  return id15;
}
